"""Hard inputs and safe outputs: formula-looking text, personal data, inputs untouched,
atomic writes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.conftest import EXAMPLES
from xlperf.pipeline import run_consolidation
from xlperf.privacy import find_personal_data, redact
from xlperf.rag import load_rules
from xlperf.schema import TEMPLATES
from xlperf.write.templates import Fill, write_template

RULES = load_rules()
AS_OF = date(2025, 10, 14)


def _case_13_texts(realdata: Path) -> list[str]:
    path = realdata / "cases" / "13_partner_free_text_that_looks_like_formulas.xlsx"
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Return").to_python()
    return [str(v) for row in rows[1:] for v in row[1:] if str(v).strip()]


def _return_with(folder: Path, texts: list[str]) -> Path:
    path = folder / "hostile.xlsx"
    actions = [{"action": t, "owner": "Team", "due": date(2026, 1, 31), "comment": t}
               for t in texts]
    fill = Fill(forms={"agency": "Agency A", "period": "Q2 2025/26", "submitted_by": "SPOC",
                       "submitted_on": date(2025, 10, 1), "progress": texts[0],
                       "problems": texts[-1]},
                tables={"Actions": actions,
                        "Indicators": [{"indicator": "Referrals", "value": 3,
                                        "indicator_comment": t} for t in texts]})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)
    return path


def _formulas_and_links(path: Path) -> list[str]:
    found = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data = package.read(name)
            if name.startswith("xl/worksheets/") and (b"<f>" in data or b"<f " in data):
                found.append(name)
            if name.startswith("xl/worksheets/_rels/") and b"hyperlink" in data:
                found.append(name)
    return found


def test_case_13_text_stays_text_through_every_workbook_output(realdata: Path,
                                                               tmp_path: Path) -> None:
    texts = _case_13_texts(realdata)
    assert "=1+1" in texts and any(t.startswith("@") for t in texts)
    source = _return_with(tmp_path, texts)
    out = tmp_path / "partnership.xlsx"
    run_consolidation([source], out, AS_OF, RULES, None)
    assert _formulas_and_links(out) == []
    actions = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Actions").to_python()
    col = actions[0].index("Comment")
    assert [r[col] for r in actions[1:]] == texts  # exactly as written, as text
    rated = tmp_path / "rated.xlsx"
    result = subprocess.run([sys.executable, "-m", "xlperf", "rag", str(source), "-o",
                             str(rated), "--as-of", "14/10/2025"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(rated)["Actions"]
    comments = [sheet.cell(row=r, column=14) for r in range(2, 2 + len(texts))]
    assert [c.value for c in comments] == texts
    assert all(c.data_type == "s" for c in comments)


def test_personal_data_is_flagged_with_its_cell_and_redacted_everywhere(tmp_path: Path) -> None:
    texts = ["Met Mrs Jane Doe at the hub", "Her DOB is 12/03/1990", "Call 07700 900123",
             "Lives near SY11 1RB", "NI AB 12 34 56 C", "Mail jo@example.org",
             "12 referrals, 5 adults"]
    folder = tmp_path / "in"
    folder.mkdir()
    source = _return_with(folder, texts)
    out = tmp_path / "redacted.xlsx"
    data = run_consolidation([folder], out, AS_OF, RULES, None, redact=True)
    flagged = {(i.sheet, i.cell) for i in data.issues if i.code == "personal-data-suspected"}
    assert {("Actions", f"N{r}") for r in range(2, 8)} <= flagged  # comments, rows 2-7
    assert ("Actions", "N8") not in flagged  # aggregate figures are fine
    assert ("Narrative", "B3") in flagged
    book = CalamineWorkbook.from_path(str(out))
    for name in book.sheet_names:
        for row in book.get_sheet_by_name(name).to_python():
            for value in row:
                assert not find_personal_data(str(value)), (name, value)
    assert "[redacted]" in str(book.get_sheet_by_name("Actions").to_python())
    rated = tmp_path / "rated.xlsx"
    subprocess.run([sys.executable, "-m", "xlperf", "rag", str(source), "-o", str(rated),
                    "--redact"], check=True, capture_output=True)
    copy = CalamineWorkbook.from_path(str(rated))
    for name in copy.sheet_names:
        for row in copy.get_sheet_by_name(name).to_python():
            assert not any(find_personal_data(str(v)) for v in row), name


def test_redact_masks_each_kind() -> None:
    assert redact("Mr John Smith, DOB 01/02/1980, 07700 900123, jo@x.org, SY11 1RB") == (
        "[redacted], [redacted], [redacted], [redacted], [redacted]")
    assert find_personal_data("Q3 2024/25: 14 referrals (+3), Apollo 13, ref GR12345") == []
    # the words around a phone number keep their spaces
    assert redact("call John on 07700 900123 please") == "call John on [redacted] please"


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_no_command_modifies_its_inputs(tmp_path: Path) -> None:
    returns = EXAMPLES / "returns"
    before = _hashes(returns)
    one = str(returns / "police_2025-26_Q2.xlsx")
    for args in (["check", str(returns), "--json"],
                 ["consolidate", str(returns), "-o", str(tmp_path / "a.xlsx")],
                 ["rag", one, "-o", str(tmp_path / "b.xlsx")],
                 ["consolidate", one, "-o", str(tmp_path / "c.xlsx"), "--redact"]):
        result = subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True,
                                text=True)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert _hashes(returns) == before, args


def test_a_run_killed_while_writing_leaves_the_previous_output(tmp_path: Path) -> None:
    """Kill a consolidation mid-write: the old workbook survives, no half file appears."""
    out = tmp_path / "partnership.xlsx"
    run_consolidation([EXAMPLES / "returns"], out, AS_OF, RULES, None)
    previous = out.read_bytes()
    script = (
        "import time, xlsxwriter\n"
        "from xlperf.write import partnership_workbook as pw\n"
        "real = pw._summary\n"
        "def slow(*a, **k):\n"
        "    print('writing', flush=True); time.sleep(30); real(*a, **k)\n"
        "pw._summary = slow\n"
        "from datetime import date\n"
        "from pathlib import Path\n"
        "from xlperf.pipeline import run_consolidation\n"
        "from xlperf.rag import load_rules\n"
        f"run_consolidation([Path({str(EXAMPLES / 'returns')!r})], Path({str(out)!r}),"
        " date(2025, 10, 14), load_rules(), None)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == previous
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != out.name]
    assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)
    run_consolidation([EXAMPLES / "returns"], out, AS_OF, RULES, None)
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # stale temp files cleared


@pytest.mark.parametrize("name", ["zip_bomb", "dtd"])
def test_hostile_packages_are_refused_by_consolidate(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / f"{name}.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Override PartName="/xl/'
                   'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/></Types>')
        if name == "zip_bomb":
            z.writestr("xl/worksheets/sheet1.xml", "0" * 300_000_000)
        else:
            z.writestr("xl/sharedStrings.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a '
                       '"aaaa">]><sst><si><t>&a;</t></si></sst>')
    data = run_consolidation([folder], tmp_path / "out.xlsx", AS_OF, RULES, None)
    (issue,) = [i for i in data.issues if i.code == "file-unreadable"]
    assert path.name in issue.message
    assert ("refuse" in issue.message) or ("bomb" in issue.message) or (
        "too large" in issue.message)


def test_a_stray_value_at_the_far_corner_does_not_blow_up_memory(tmp_path: Path) -> None:
    """One value at XFD1048576 would make a dense reader ask for 17 billion cells."""
    import xlsxwriter

    from xlperf.read import read_workbook

    path = tmp_path / "far.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Plan")
    for c, title in enumerate(("Action", "Owner", "Due date")):
        sheet.write_string(0, c, title)
    sheet.write_row(1, 0, ["Train staff", "Team", "31/03/2026"])
    sheet.write_string(1_048_575, 16_383, "stray")
    book.close()
    wb = read_workbook(path)
    assert wb.sheets[0].rows == [["Action", "Owner", "Due date"],
                                 ["Train staff", "Team", "31/03/2026"]]
    assert any("XFD1048576" in note for note in wb.notes)
