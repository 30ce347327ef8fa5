"""The command line as a user runs it: exit codes, JSON, messages, demo, rag, template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook

from tests.conftest import EXAMPLES

RETURNS = EXAMPLES / "returns"


def xlperf(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "xlperf", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=300)


def test_check_json_lists_issues_with_positions_and_exits_1_on_errors() -> None:
    result = xlperf("check", str(RETURNS / "fire_2025-26_Q1.xlsx"), "--as-of", "14/10/2025",
                    "--json")
    assert result.returncode == 1, result.stderr
    issues = json.loads(result.stdout)
    keys = {"file", "sheet", "cell", "row", "code", "severity", "message"}
    assert all(keys <= set(i) for i in issues)
    impossible = next(i for i in issues if i["code"] == "date-impossible")
    assert (impossible["sheet"], impossible["cell"], impossible["row"]) == ("Actions", "G2", 2)
    assert impossible["severity"] == "error"
    assert "31/09/2025" in impossible["message"]


def test_check_exits_0_on_a_clean_return_and_shows_the_tables_it_found() -> None:
    result = xlperf("check", str(RETURNS / "glaa_2025-26_Q2_resent.xlsx"), "--as-of",
                    "14/10/2025")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "actions table in 'Actions' at A1 (2 rows)" in result.stdout
    assert "No problems found." in result.stdout


def test_check_exits_2_on_an_unreadable_file_with_one_clear_sentence(tmp_path: Path) -> None:
    bad = tmp_path / "return.xlsx"
    bad.write_text("Partner,Referrals\nAgency A,12\n")
    junk = tmp_path / "notes.xlsx"
    junk.write_bytes(bytes(range(256)) * 4)
    result = xlperf("check", str(junk), "--json")
    assert result.returncode == 2
    (issue,) = json.loads(result.stdout)
    assert issue["code"] == "file-unreadable" and "notes.xlsx" in issue["message"]
    assert "Traceback" not in result.stderr


def test_misuse_exits_2_with_a_message() -> None:
    result = xlperf("check", str(RETURNS), "--as-of", "31/02/2025")
    assert result.returncode == 2
    assert "--as-of '31/02/2025' is not a date" in result.stderr
    result = xlperf("template", "risk-register", "-o", "x.xlsx")
    assert result.returncode == 2 and "action-plan, monitoring-return" in result.stderr


def test_demo_runs_from_any_folder_and_says_where_the_workbook_is(tmp_path: Path) -> None:
    result = xlperf("demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # the demo worked, mistakes and all
    out = tmp_path / "xlperf-demo" / "partnership_workbook.xlsx"
    assert out.is_file()
    assert f"Workbook: {out}" in result.stdout
    assert ("Rows: 80 in = 77 used + 0 rejected + 0 unused form rows + 3 in superseded "
            "returns.") in result.stdout
    assert "Written: 28 actions, 63 indicator figures (a row can hold several), 4 finance lines" \
        in result.stdout
    assert "Not submitted for Q2 2025/26: HMRC." in result.stdout


def test_rag_updates_a_copy_of_a_template_plan_and_keeps_its_formula(tmp_path: Path) -> None:
    from tests.libreoffice import SOFFICE, sheets_as_csv

    source = RETURNS / "nhs_2025-26_Q2.xlsx"  # 3.1 due 'Sept 2025' (text), 3.2 'Q4 2025/26'
    before = source.read_bytes()
    out = tmp_path / "rated.xlsx"
    result = xlperf("rag", str(source), "-o", str(out), "--as-of", "14/10/2025")
    assert result.returncode == 0, result.stderr
    assert source.read_bytes() == before
    assert "2 written as words because their due date or percent could not" in result.stdout
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Actions").to_python()
    col = rows[0].index("Computed RAG")
    assert [r[col] for r in rows[1:3]] == ["Red", "Green"]
    if SOFFICE is not None:  # the police plan's real dates keep the live formula
        police = tmp_path / "police.xlsx"
        xlperf("rag", str(RETURNS / "police_2025-26_Q2.xlsx"), "-o", str(police),
               "--as-of", "14/10/2025")
        actions = sheets_as_csv(police, tmp_path / "csv")["Actions"]
        col = actions[0].index("Computed RAG")
        assert [r[col] for r in actions[1:4]] == ["Green", "Red", "Amber"]


def test_rag_on_a_file_with_no_actions_says_so(tmp_path: Path, realdata: Path) -> None:
    kpis = realdata / "cases" / "05_four_rows_but_used_range_to_row_1048576.xlsx"
    result = xlperf("rag", str(kpis), "-o", str(tmp_path / "x.xlsx"))
    assert result.returncode == 2
    assert "No actions found" in result.stderr


def test_template_command_writes_the_committed_template(tmp_path: Path) -> None:
    out = tmp_path / "return.xlsx"
    result = xlperf("template", "monitoring-return", "-o", str(out))
    assert result.returncode == 0, result.stderr
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names == ["Instructions", "Return", "Actions", "Indicators", "NRM referrals",
                     "Narrative", "Finance",
                     "Lists", "_xlperf"]


def test_outputs_never_replace_files_xlperf_did_not_write(tmp_path: Path) -> None:
    theirs = tmp_path / "colleague_dashboard.xlsx"
    theirs.write_bytes((RETURNS / "police_2025-26_Q2.xlsx").read_bytes())
    before = theirs.read_bytes()
    result = xlperf("consolidate", str(RETURNS), "-o", str(theirs))
    assert result.returncode == 2 and "xlperf did not write it" in result.stderr
    assert theirs.read_bytes() == before
    ours = tmp_path / "partnership.xlsx"
    for _ in range(2):  # its own earlier output is replaced without fuss
        assert xlperf("consolidate", str(RETURNS), "-o", str(ours)).returncode in (0, 1)
    assert xlperf("consolidate", str(RETURNS), "-o", str(theirs), "--force").returncode in (0, 1)
    briefing = tmp_path / "briefing.docx"
    assert xlperf("report", str(ours), "-o", str(briefing)).returncode in (0, 1)
    (tmp_path / "~$iefing.docx").write_bytes(b"lock")  # Word's name for a long file's lock
    result = xlperf("report", str(ours), "-o", str(briefing))
    assert result.returncode == 2 and "open in another program" in result.stderr


def test_consolidating_an_empty_folder_writes_nothing_and_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "returns"
    empty.mkdir()
    result = xlperf("consolidate", str(empty), "-o", str(tmp_path / "out.xlsx"))
    assert result.returncode == 2
    assert "No spreadsheets found" in result.stderr and "nothing written" in result.stderr
    assert not (tmp_path / "out.xlsx").exists()


def test_the_workbook_can_be_written_into_the_returns_folder_again(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "returns"
    shutil.copytree(RETURNS, folder)
    runs = [xlperf("consolidate", str(folder), "-o", str(folder / "pw.xlsx"), "--as-of",
                   "14/10/2025") for _ in range(2)]
    assert [r.returncode for r in runs] == [1, 1], runs[1].stderr  # errors in the returns
    # the second run leaves its own earlier output out of the inputs, then replaces it
    first, second = (r.stdout.splitlines()[:2] for r in runs)
    assert first == second and first[0].startswith("Files: 13 files read")
