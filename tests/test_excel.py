"""The Excel layer on the real xlwings remote engine: buttons, cell functions, the
macro-enabled templates and their VBA, the server scripts and xlwings Lite's main.py.

A workbook is sent to the button functions as the xlwings clients send it (a JSON
payload built from a real file, dates as ``2026-06-30T00:00:00.000Z``), and the test
asserts the actions that would be applied in Excel. ``XLWINGS_LICENSE_KEY`` is set
here only, for the remote engine (xlwings PRO, noncommercial terms).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from xlperf.excel import control, formulas
from xlperf.excel.book import VBA_ACTIONS
from xlperf.excel.issues_sheet import FILLS, HEADER, INPUT_FILL, NO_FILL
from xlperf.excel.xlsm import vba_source, write_xlsm
from xlperf.extract import read_return
from xlperf.indicators import Direction, IndicatorSpec, RagBands, indicator_rag
from xlperf.issues import Severity
from xlperf.model import Action, Status
from xlperf.rag import compute_rag, load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.values import DateValue
from xlperf.write.style import Formats

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "xlperf" / "examples"
RETURNS = EXAMPLES / "returns"
POLICE_Q2 = RETURNS / "police_2025-26_Q2.xlsx"
FIRE_Q1 = RETURNS / "fire_2025-26_Q1.xlsx"  # an impossible due date and 120% complete
AS_OF = date(2025, 10, 14)
RULES = load_rules()


# --- the remote engine and the clients' payload ----------------------------------------


@pytest.fixture
def xw(monkeypatch: pytest.MonkeyPatch) -> Any:
    """xlwings with its remote engine, licensed for this test only."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings

    if "remote" not in [engine.name for engine in xlwings.engines]:
        # xlwings was imported without the key (by another test): register it now
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xlwings.engines.add(Engine(impl=_xlremote.engine))
    return xlwings


def _client_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return None if value == "" else value


def payload(path: Path, as_of: date | None = AS_OF,
            cells: dict[tuple[str, str], object] | None = None,
            extra_sheets: dict[str, list[list[object]]] | None = None,
            name: str | None = None) -> dict[str, Any]:
    """The JSON the VBA client posts for the workbook at ``path``, its values read with
    python-calamine; ``as_of`` typed on the Instructions sheet; ``cells`` edited."""
    import xlwings

    book = CalamineWorkbook.from_path(str(path))
    sheets: list[dict[str, Any]] = []
    for meta in book.sheets_metadata:
        rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        sheets.append({"name": meta.name, "values": [list(r) for r in rows] or [[None]]})
    sheets += [{"name": n, "values": rows} for n, rows in (extra_sheets or {}).items()]
    edits = dict(cells or {})
    if as_of is not None and any(s["name"] == "Instructions" for s in sheets):
        edits[("Instructions", "C6")] = as_of
    for (sheet_name, ref), value in edits.items():
        rows = next(s for s in sheets if s["name"] == sheet_name)["values"]
        row, col = int(ref[1:]) - 1, ord(ref[0]) - 65
        while len(rows) <= row:
            rows.append([])
        rows[row].extend([None] * (col + 1 - len(rows[row])))
        rows[row][col] = value
    width = {id(s): max(len(r) for r in s["values"]) for s in sheets}
    for s in sheets:
        s["values"] = [[_client_value(v) for v in r] + [None] * (width[id(s)] - len(r))
                       for r in s["values"]]
        s.update({"pictures": [], "tables": []})
    return {"version": xlwings.__version__, "client": "VBA",
            "book": {"name": name or path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": [], "sheets": sheets}


def actions(book: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = book.json()["actions"]
    return found


def assert_vba_client_can_apply(found: list[dict[str, Any]]) -> None:
    """Every action is one the VBA client applies, with arguments it can take."""
    assert {a["func"] for a in found} <= VBA_ACTIONS
    for a in found:  # the VBA client's HexToRgb cannot take a null colour
        assert a["func"] != "setRangeColor" or isinstance(a["args"][0], str)


def sheet_position(book_payload: dict[str, Any], name: str) -> int:
    return [s["name"] for s in book_payload["sheets"]].index(name)


def values_written(found: list[dict[str, Any]], position: int) -> list[list[object]]:
    return [row for a in found if a["func"] == "setValues" and a["sheet_position"] == position
            for row in a["values"]]


def colours(found: list[dict[str, Any]], position: int) -> dict[str, str]:
    """A1 of each cell coloured on the sheet at ``position`` -> its fill."""
    return {f"{chr(65 + a['start_column'])}{a['start_row'] + 1}": a["args"][0]
            for a in found if a["func"] == "setRangeColor" and a["sheet_position"] == position}


def test_the_vba_client_list_is_the_one_xlwings_ships() -> None:
    """XLWINGS.md's list is what xlwings' VBA client (Remote.bas) dispatches to."""
    import xlwings

    remote = (Path(xlwings.__file__).parent / "addin" / "Remote.bas").read_text("latin-1")
    handled = set(re.findall(r"Sub (\w+)\(wb As Workbook, action As Dictionary\)", remote))
    assert handled == VBA_ACTIONS


# --- update_rag ----------------------------------------------------------------------------


def test_update_rag_writes_the_cores_words_into_the_computed_rag_column(xw: Any) -> None:
    from xlperf.excel import update_rag

    data = payload(POLICE_Q2)
    book = xw.Book(json=data)
    counts = update_rag(book, alert=False)
    found = actions(book)
    assert_vba_client_can_apply(found)
    rags = [a for a in found if a["func"] == "setValues"]
    assert len(rags) == 1
    write = rags[0]
    assert write["sheet_position"] == sheet_position(data, "Actions")
    assert (write["start_row"], write["start_column"]) == (1, 10)  # K2: Computed RAG
    assert write["values"] == [["Green"], ["Red"], ["Amber"]]  # rows 2 to 4
    core = read_return(read_workbook(POLICE_Q2), RULES, AS_OF).ret
    assert core is not None
    assert [[a.computed_rag.value if a.computed_rag else None] for a in core.actions] == \
        write["values"]
    assert counts == {"Green": 1, "Red": 1, "Amber": 1}


def test_update_rag_works_at_the_date_typed_on_the_instructions_sheet(xw: Any) -> None:
    from xlperf.excel import update_rag

    book = xw.Book(json=payload(POLICE_Q2, as_of=date(2025, 7, 1)))
    update_rag(book, alert=False)
    write = next(a for a in actions(book) if a["func"] == "setValues")
    assert write["values"] == [["Green"], ["Green"], ["Green"]]  # nothing due yet in July


def test_update_rag_on_another_workbook_explains_instead(xw: Any, tmp_path: Path) -> None:
    from xlperf.excel import update_rag

    path = tmp_path / "tracker.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Plan")
    for r, row in enumerate([["Action", "Owner", "Due"], ["Train staff", "Police", "Q3"]]):
        sheet.write_row(r, 0, row)
    book.close()
    remote = xw.Book(json=payload(path))
    assert update_rag(remote) is None
    found = actions(remote)
    assert [a["func"] for a in found] == ["alert"]
    assert "xlperf rag" in found[0]["args"][0]


# --- check -----------------------------------------------------------------------------


def test_check_adds_an_issues_sheet_and_colours_the_cells_to_fix(xw: Any) -> None:
    from xlperf.excel import check

    data = payload(FIRE_Q1)
    issues_at = len(data["sheets"])  # the new sheet goes last
    book = xw.Book(json=data)
    issues = check(book)
    found = actions(book)
    assert_vba_client_can_apply(found)
    added = [a for a in found if a["func"] == "addSheet"]
    assert [a["args"][1] for a in added] == ["Issues"]
    rows = values_written(found, issues_at)
    assert rows[0][0].startswith("Found 2 errors")
    assert tuple(rows[1]) == HEADER
    listed = {(r[1], r[2], r[3]) for r in rows[2:]}
    core = read_return(read_workbook(FIRE_Q1), RULES, AS_OF).issues
    assert {(i.sheet, i.cell, i.code) for i in core if i.cell} <= listed
    assert {(i.sheet, i.cell, i.code) for i in issues} == listed
    errors = {i.cell for i in issues if i.severity is Severity.ERROR and i.sheet == "Actions"}
    assert errors == {"G2", "I2"}  # the impossible due date, and 120% complete
    coloured = colours(found, sheet_position(data, "Actions"))
    assert {cell: coloured[cell] for cell in errors} == {"G2": FILLS[Severity.ERROR],
                                                         "I2": FILLS[Severity.ERROR]}
    assert any(a["func"] == "activateSheet" and a["args"] == [issues_at] for a in found)
    alert = next(a for a in found if a["func"] == "alert")
    assert alert["args"][0].startswith("Checked: 2 errors")


def test_check_again_puts_back_the_fill_of_cells_now_fixed(xw: Any) -> None:
    """The last run coloured Actions G2 and Return B3; both are fine now."""
    from xlperf.excel import check

    earlier = [["Found 2 errors"], [], list(HEADER),
               ["error", "Actions", "G2", "date-impossible", "..."],
               ["error", "Return", "B3", "required-missing", "..."]]
    data = payload(POLICE_Q2, extra_sheets={"Issues": earlier})
    book = xw.Book(json=data)
    check(book, alert=False)
    found = actions(book)
    assert_vba_client_can_apply(found)
    issues_at = sheet_position(data, "Issues")
    assert not [a for a in found if a["func"] == "addSheet"]
    assert any(a["func"] == "sheetClear" and a["sheet_position"] == issues_at for a in found)
    assert colours(found, sheet_position(data, "Actions"))["G2"] == NO_FILL
    assert colours(found, sheet_position(data, "Return"))["B3"] == INPUT_FILL
    # the warning still standing (reported Green, overdue) stays coloured
    assert colours(found, sheet_position(data, "Actions"))["J3"] == FILLS[Severity.WARNING]


def test_check_never_clears_a_sheet_the_user_called_issues(xw: Any) -> None:
    from xlperf.excel import check

    data = payload(POLICE_Q2, extra_sheets={"Issues": [["Our own log"], ["keep me"]]})
    book = xw.Book(json=data)
    check(book, alert=False)
    found = actions(book)
    assert not [a for a in found if a["func"] == "sheetClear"]
    assert [a["args"][1] for a in found if a["func"] == "addSheet"] == ["Issues (xlperf)"]


def test_check_lists_but_never_recolours_another_workbook(xw: Any, tmp_path: Path) -> None:
    from xlperf.excel import check

    path = tmp_path / "tracker.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Plan")
    rows = [["Action", "Owner", "Due date", "RAG"],
            ["Train staff", "Police", "31/02/2025", "Green"]]
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    remote = xw.Book(json=payload(path))
    issues = check(remote, alert=False)
    found = actions(remote)
    assert any(i.code == "date-impossible" and i.cell == "C2" for i in issues)
    assert colours(found, 0) == {}  # the Plan sheet's own formatting is never touched
    assert any(a["func"] == "setRangeColor" and a["sheet_position"] == 1 for a in found)


def test_text_that_looks_like_a_formula_is_written_as_text(xw: Any) -> None:
    from xlperf.excel.book import safe_text

    assert safe_text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert safe_text("Due 30/09/2025") == "Due 30/09/2025"


def test_check_on_an_indicator_framework_runs_its_smart_checks(xw: Any) -> None:
    """The framework is checked against its template, as xlperf check does (not read
    as a return); the baseline removed from PI-02 and the target moved off PI-03 are
    listed and their cells coloured."""
    from xlperf.excel import check, update_rag

    data = payload(EXAMPLES / "indicator_framework.xlsx",
                   cells={("Framework", "H3"): None, ("Targets", "A4"): "PI-99"})
    issues_at = len(data["sheets"])  # the new sheet goes last
    book = xw.Book(json=data)
    issues = check(book, alert=False)
    assert {(i.sheet, i.cell, i.code) for i in issues} == {
        ("Framework", "H3", "indicator-no-baseline"),
        ("Framework", "B4", "indicator-no-target")}
    found = actions(book)
    assert_vba_client_can_apply(found)
    rows = values_written(found, issues_at)
    assert {(r[1], r[2], r[3]) for r in rows[2:]} == {(i.sheet, i.cell, i.code) for i in issues}
    assert colours(found, sheet_position(data, "Framework")) == {
        "H3": FILLS[Severity.WARNING], "B4": FILLS[Severity.WARNING]}
    book = xw.Book(json=data)
    assert update_rag(book) is None
    alert = next(a for a in actions(book) if a["func"] == "alert")["args"][0]
    assert alert.startswith("The indicator framework has no Computed RAG column")


# --- consolidate and report ------------------------------------------------------------


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "2025-26 Q2"
    shutil.copytree(RETURNS, folder)
    return folder


def plan_payload(folder: object, partnership: object = None, output: object = None) -> Any:
    """The action-plan.xlsm template with its Control sheet filled in."""
    path = ROOT / "workbook_templates" / "action-plan.xlsm"
    rows = {f.key: control.FIRST_ROW + 1 + i
            for i, f in enumerate(control.CONTROLS["action-plan"].fields)}
    cells = {("Control", f"B{rows['folder']}"): folder,
             ("Control", f"B{rows['partnership']}"): partnership,
             ("Control", f"B{rows['output_folder']}"): output}
    return payload(path, cells=cells), rows


def test_consolidate_writes_the_partnership_workbook_beside_the_folder(
        xw: Any, returns: Path) -> None:
    from xlperf.excel import consolidate

    data, rows = plan_payload(str(returns), str(EXAMPLES / "partnership.toml"))
    book = xw.Book(json=data)
    output = consolidate(book)
    expected = returns.parent / "2025-26 Q2 partnership workbook.xlsx"
    assert output == expected and expected.exists()
    written = read_workbook(expected)
    assert {"Summary", "Actions", "Narrative", "Submissions"} <= {s.name for s in written.sheets}
    found = actions(book)
    assert_vba_client_can_apply(found)
    control_at = sheet_position(data, control.SHEET)
    status = {(a["start_row"] + 1, a["start_column"]): a["values"][0][0] for a in found
              if a["func"] == "setValues" and a["sheet_position"] == control_at}
    assert status[(rows["output"], 1)] == str(expected)
    assert status[(rows["status"], 1)].startswith(f"Partnership workbook written: {expected}")
    assert "Computed RAG as of 14/10/2025" in status[(rows["status"], 1)]
    alert = next(a for a in found if a["func"] == "alert")
    assert str(expected) in alert["args"][0]


def test_consolidate_without_a_folder_says_where_to_type_it(xw: Any) -> None:
    from xlperf.excel import consolidate

    data, _ = plan_payload(None)
    book = xw.Book(json=data)
    assert consolidate(book) is None
    alert = next(a for a in actions(book) if a["func"] == "alert")
    assert "No returns folder given" in alert["args"][0]
    assert control.FOLDER.label in alert["args"][0]


def test_a_relative_folder_needs_the_workbooks_own_folder(xw: Any, returns: Path) -> None:
    """Through a server only the workbook's name is known, so a relative path cannot be
    placed; the user is told to type a full path."""
    from xlperf.excel import consolidate

    data, _ = plan_payload("2025-26 Q2")
    book = xw.Book(json=data)
    assert consolidate(book, alert=False) is None
    status = values_written(actions(book), sheet_position(data, control.SHEET))
    assert "must be a full path" in str(status)


def test_report_writes_the_4ps_report_in_word(xw: Any, returns: Path, tmp_path: Path) -> None:
    import docx

    from xlperf.excel import report

    out = tmp_path / "board"
    out.mkdir()
    data, _ = plan_payload(str(returns), str(EXAMPLES / "partnership.toml"), str(out))
    book = xw.Book(json=data)
    output = report(book)
    assert output == out / "2025-26 Q2 4Ps report.docx" and output.exists()
    text = "\n".join(p.text for p in docx.Document(str(output)).paragraphs)
    assert "Progress" in text and "Points for action" in text
    assert_vba_client_can_apply(actions(book))


# --- cell functions ------------------------------------------------------------------------


def test_xlperf_rag_gives_the_police_returns_computed_rag(xw: Any) -> None:
    from xlperf.excel.udfs import xlperf_rag

    ret = read_return(read_workbook(POLICE_Q2), RULES, AS_OF).ret
    assert ret is not None
    for action in ret.actions:
        assert action.due is not None and action.computed_rag is not None
        cell = xlperf_rag(action.status.value if action.status else None,
                          datetime.combine(action.due.start, datetime.min.time()),
                          (action.progress or 0) / 100, AS_OF)
        assert cell == action.computed_rag.value
    assert [a.computed_rag.value for a in ret.actions if a.computed_rag] == \
        ["Green", "Red", "Amber"]


@settings(max_examples=200, deadline=None)
@given(status=st.sampled_from([None, *Status]),
       due=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
       progress=st.one_of(st.none(), st.integers(0, 100)),
       as_of=st.dates(date(2025, 1, 1), date(2026, 12, 31)))
def test_xlperf_rag_is_the_cores_compute_rag(status: Status | None, due: date,
                                             progress: int | None, as_of: date) -> None:
    """Cells as Excel gives them (a % cell is a fraction; Office.js sends a date as a
    serial number) give what compute_rag gives the typed action."""
    expected = compute_rag(Action(text="x", status=status, due=DateValue.of_day(due),
                                  progress=progress), as_of, RULES)
    word = expected.value if expected else ""
    fraction = None if progress is None else progress / 100
    serial = (due - date(1899, 12, 30)).days
    assert formulas.rag(status.value if status else None, due, fraction, as_of) == word
    assert formulas.rag(status.value if status else "", float(serial), fraction,
                        f"{as_of:%d/%m/%Y}") == word


def test_xlperf_rag_reads_what_people_type() -> None:
    assert formulas.rag("Complete", None, None, AS_OF) == "Complete"
    assert formulas.rag("In progress", "31/03/2026", "50%", AS_OF) == "Green"
    assert formulas.rag("", "Q2 2025/26", 1, AS_OF) == "Complete"  # 1 is 100%
    assert formulas.rag("In progress", "ongoing", 0.5, AS_OF) == ""  # not rated
    with pytest.raises(formulas.CellInputError, match="as_of"):
        formulas.rag("In progress", "31/03/2026", 0.5, "soon")


@pytest.mark.parametrize(("value", "target", "direction", "word"), [
    (100, 100, None, "Green"), (86, 100, "higher", "Green"), (80, 100, None, "Amber"),
    (60, 100, None, "Red"), (150, 100, None, "Green"), (110, 100, "lower", "Green"),
    (125, 100, "lower is better", "Amber"), (140, 100, "lower", "Red"),
    (None, 100, None, ""), (5, None, None, ""), ("12", "£10", None, "Green"),
])
def test_indicator_status_is_the_cores_indicator_rag(value: object, target: object,
                                                     direction: object, word: str) -> None:
    assert formulas.indicator_status(value, target, direction) == word
    if word:
        lower = direction is not None and str(direction).startswith("lower")
        spec = IndicatorSpec("x", direction=Direction.LOWER if lower else Direction.HIGHER)
        core = indicator_rag(spec, float(str(value)), float(str(target).lstrip("£")),
                             RagBands())
        assert core is not None and core.value == word


def test_cell_functions_say_what_to_give_instead() -> None:
    from xlperf.excel.udfs import xlperf_indicator_status, xlperf_rag

    assert xlperf_indicator_status(5, 10, "sideways").startswith("#xlperf: direction")
    assert xlperf_rag("In progress", "31/03/2026", 150, None).startswith("#xlperf: progress")
    # a figure it cannot use says so rather than leaving the cell blank
    assert xlperf_indicator_status("ten", 10).startswith("#xlperf: value")
    assert xlperf_indicator_status(True, 10).startswith("#xlperf: value")
    # percentages typed as text: 50% of a 60% target is 83%: Amber (within 30%)
    assert xlperf_indicator_status("50%", "60%") == "Amber"


# --- the macro-enabled templates and their VBA -----------------------------------------


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def _macros(path: Path) -> dict[str, str]:
    """Module name -> VBA code, as oletools' olevba extracts it."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(path))
    try:
        return {Path(name).stem: code.decode("latin-1") if isinstance(code, bytes) else code
                for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _code(text: str) -> list[str]:
    return [line for line in text.replace("\r\n", "\n").split("\n")
            if line.strip() and not line.startswith("Attribute ")]


@pytest.mark.parametrize("kind", sorted(control.CONTROLS))
def test_committed_xlsm_is_what_the_code_writes(kind: str, tmp_path: Path) -> None:
    """Everything but the VBA project is rewritten here and compared; the project's
    source is compared with vba/xlperf.bas in the next test (pyOpenVBA, which makes
    it, is only needed by tools/make_xlsm.py)."""
    committed = ROOT / "workbook_templates" / f"{kind}.xlsm"
    fresh = tmp_path / f"{kind}.xlsm"
    write_xlsm(TEMPLATES[kind], fresh, RULES, _parts(committed)["xl/vbaProject.bin"])
    assert _parts(fresh) == _parts(committed), "run: python tools/make_xlsm.py"


@pytest.mark.parametrize("kind", sorted(control.CONTROLS))
def test_xlsm_vba_runs_each_buttons_python(kind: str) -> None:
    path = ROOT / "workbook_templates" / f"{kind}.xlsm"
    macros = _macros(path)
    book = read_workbook(path)
    documents = {"ThisWorkbook"} | {f"Sheet{i}" for i in range(1, len(book.sheets) + 1)}
    assert set(macros) == documents | {control.VBA_MODULE}
    code = macros[control.VBA_MODULE]
    assert _code(code) == _code(vba_source()), "run: python tools/make_xlsm.py"
    for button in control.BUTTONS:
        body = re.search(rf"Public Sub {button.macro}\(\)\s*\n(.*?)End Sub", code, re.S)
        assert body is not None, button.macro
        assert body.group(1).strip() == f'RunXlperf "{button.command}", "{button.function}"'
    assert 'Application.Run "xlwings.xlam!RunPython", pythonCode' in code
    assert ('Application.Run "xlwings.xlam!RunServerPython", server & '
            '"/xlwings/custom-scripts-call/" & scriptName') in code
    assert f'ControlValue("{control.SERVER.label}")' in code
    vml = b"".join(v for k, v in _parts(path).items() if k.startswith("xl/drawings/vml"))
    macros_on_buttons = re.findall(rb"<x:FmlaMacro>\[0\]!(\w+)</x:FmlaMacro>", vml)
    assert [m.decode() for m in macros_on_buttons] == \
        [b.macro for b in control.CONTROLS[kind].buttons]


@pytest.mark.parametrize("kind", sorted(control.CONTROLS))
def test_xlsm_is_the_template_plus_control_and_reads_back(kind: str) -> None:
    path = ROOT / "workbook_templates" / f"{kind}.xlsm"
    book = read_workbook(path)
    assert book.kind == "xlsm"
    names = [s.name for s in book.sheets]
    assert names[:2] == ["Instructions", control.SHEET]
    assert [s.name for s in TEMPLATES[kind].sheets] == names[2:2 + len(TEMPLATES[kind].sheets)]
    labels = {book.sheet(control.SHEET).value(r, 0) for r in range(30)}  # type: ignore[union-attr]
    assert {f.label for f in control.CONTROLS[kind].fields} <= labels
    conf = book.sheet("xlwings.conf")
    assert conf is not None and conf.rows[0] == ["UDF Modules", "xlperf.excel.udfs"]
    reading = read_return(book, RULES, AS_OF)
    assert reading.template == f"{kind} v1"
    assert not [i for i in reading.issues if i.code.startswith("template-")]


def test_every_button_is_a_function_and_a_server_script(xw: Any) -> None:
    import xlperf.excel
    from xlperf.excel import scripts

    for button in control.BUTTONS:
        assert callable(getattr(xlperf.excel, button.function))
        assert button.function in scripts.NAMES
        assert hasattr(getattr(scripts, button.function), "__xlscript__")


def test_input_fill_is_the_templates_answer_fill() -> None:
    import io

    colour = Formats(xlsxwriter.Workbook(io.BytesIO())).input.bg_color
    hex_digits = re.search(r"[0-9A-Fa-f]{6}", str(colour))  # '#FFF8DC' or a Color object
    assert hex_digits is not None and f"#{hex_digits.group().upper()}" == INPUT_FILL


# --- xlwings Server ----------------------------------------------------------------------


def test_server_scripts_run_in_process(xw: Any) -> None:
    from xlwings.server import custom_scripts_call

    from xlperf.excel import scripts

    book = xw.Book(json=payload(POLICE_Q2))
    asyncio.run(custom_scripts_call(scripts, "update_rag", typehint_to_value={xw.Book: book}))
    found = actions(book)
    assert_vba_client_can_apply(found)
    assert next(a for a in found if a["func"] == "setValues")["values"] == \
        [["Green"], ["Red"], ["Amber"]]
    assert any(a["func"] == "alert" for a in found)


def test_server_app_needs_the_token_and_answers_with_actions(xw: Any) -> None:
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from xlperf.excel.server import create_app

    client = TestClient(create_app(token="a-long-random-token"))
    url = "/xlwings/custom-scripts-call/update_rag"
    body = payload(POLICE_Q2)
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "wrong"}).status_code == 401
    answer = client.post(url, json=body, headers={"Authorization": "a-long-random-token"})
    assert answer.status_code == 200
    found = answer.json()["actions"]
    assert_vba_client_can_apply(found)
    assert next(a for a in found if a["func"] == "setValues")["values"] == \
        [["Green"], ["Red"], ["Amber"]]
    missing = client.post("/xlwings/custom-scripts-call/os_system", json=body,
                          headers={"Authorization": "Bearer a-long-random-token"})
    assert missing.status_code == 404
    bad = client.post(url, json={"hello": "world"},
                      headers={"Authorization": "a-long-random-token"})
    assert bad.status_code == 400 and "not an xlwings workbook" in bad.text


def test_server_listens_on_this_pc_unless_a_token_is_set(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from xlperf.excel import server

    assert server.is_loopback("127.0.0.1") and server.is_loopback("::1")
    assert not server.is_loopback("0.0.0.0") and not server.is_loopback("192.168.1.5")
    assert server._parser().parse_args([]).host == "127.0.0.1"
    monkeypatch.delenv(server.TOKEN_VARIABLE, raising=False)
    assert server.main(["--host", "0.0.0.0"]) == 2
    assert server.TOKEN_VARIABLE in capsys.readouterr().err
    monkeypatch.delenv("XLWINGS_LICENSE_KEY", raising=False)
    assert server.main([]) == 2
    assert "XLWINGS_LICENSE_KEY" in capsys.readouterr().err


def test_xlperf_serve_runs_the_app_on_this_pc_with_the_token(
        xw: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command hands uvicorn the buttons' app, bound to 127.0.0.1 unless told, and
    the app demands the token from the environment (uvicorn.run is replaced: no serving)."""
    pytest.importorskip("httpx")
    import uvicorn
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from xlperf.cli import app
    from xlperf.excel.server import TOKEN_VARIABLE

    served: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append((app, options)))
    monkeypatch.setenv(TOKEN_VARIABLE, "a-long-random-token")
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123" in result.output  # the address to type on the Control sheet
    ((server, options),) = served
    assert (options["host"], options["port"], options["ssl_certfile"]) == ("127.0.0.1", 8123,
                                                                           None)
    client = TestClient(server)
    assert client.get("/health").json()["status"] == "ok"
    url = "/xlwings/custom-scripts-call/update_rag"
    assert client.post(url, json=payload(POLICE_Q2)).status_code == 401
    answer = client.post(url, json=payload(POLICE_Q2),
                         headers={"Authorization": "Bearer a-long-random-token"})
    assert next(a for a in answer.json()["actions"] if a["func"] == "setValues")["values"] == \
        [["Green"], ["Red"], ["Amber"]]
    served.clear()
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--ssl-certfile", "c.pem"])
    assert result.exit_code == 2 and not served
    assert "--ssl-keyfile" in result.output


def test_xlperf_serve_without_the_excel_extra_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from xlperf.cli import app

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    message = " ".join(result.output.split())
    assert "needs uvicorn, which is not installed" in message
    assert 'python -m pip install ".[excel]"' in message


# --- xlwings Lite --------------------------------------------------------------------------


def _lite() -> ModuleType:
    spec = importlib.util.spec_from_file_location("xlperf_lite_main", ROOT / "lite" / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_lite_scripts_call_the_same_buttons_without_alerts(xw: Any) -> None:
    lite = _lite()
    book = xw.Book(json=payload(POLICE_Q2))
    lite.xlperf_update_rag(book)
    found = actions(book)
    assert [a["func"] for a in found] == ["setValues"]
    assert found[0]["values"] == [["Green"], ["Red"], ["Amber"]]
    book = xw.Book(json=payload(FIRE_Q1))
    lite.xlperf_check(book)
    assert "alert" not in {a["func"] for a in actions(book)}
    assert lite.xlperf_rag("In progress", 45930.0, 0.6, 45944.0) == "Red"  # serials
    assert lite.xlperf_indicator_status(80, 100) == "Amber"


#: what Pyodide (xlwings Lite) lacks, blocked: the file reader, processes, and the
#: libraries Check and Update RAG do not need (documents, charts, the command line)
NOT_IN_LITE = ["python_calamine", "multiprocessing", "concurrent.futures.process",
               "msoffcrypto", "openpyxl", "docx", "matplotlib", "defusedxml", "jinja2",
               "typer", "rich"]

#: runs lite/main.py's scripts as Pyodide would: those modules blocked, no threads
LITE_RUN = """
import json, sys, threading, _thread
for name in sys.argv[3].split(","):
    sys.modules[name] = None
def no_threads(*args, **kwargs):
    raise RuntimeError("can't start new thread (Pyodide)")
threading.Thread.start = no_threads
_thread.start_new_thread = no_threads
import importlib.util
import xlwings as xw
spec = importlib.util.spec_from_file_location("lite_main", sys.argv[1])
lite = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lite)
payload = json.loads(open(sys.argv[2], encoding="utf-8").read())
found = {}
for script in ("xlperf_check", "xlperf_update_rag"):
    book = xw.Book(json=payload)
    getattr(lite, script)(book)
    found[script] = book.json()["actions"]
print(json.dumps(found, default=str))
"""


def _filled_return(path: Path) -> Path:
    """A monitoring return from the template: 1.1 on track, 1.2 overdue but reported
    Green (a warning), 1.3 at 120% complete (an error)."""
    from xlperf.write.templates import Fill, write_template

    action = {"objective": "Spot exploitation", "status": "In progress", "owner": "Police"}
    fill = Fill(forms={"agency": "Test Agency", "period": "2025/26 Q2",
                       "submitted_by": "SPOC", "submitted_on": date(2025, 10, 3)},
                tables={"Actions": [
                    {**action, "ref": "1.1", "strand": "Prevent", "action": "Train staff",
                     "due": date(2025, 12, 31), "progress": 40, "reported_rag": "Green"},
                    {**action, "ref": "1.2", "strand": "Protect", "action": "Refresh pathway",
                     "due": date(2025, 9, 30), "progress": 50, "reported_rag": "Green"},
                    {**action, "ref": "1.3", "strand": "Pursue", "action": "Joint visits",
                     "due": date(2025, 11, 1), "progress": 120, "reported_rag": "Amber"}]})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)
    return path


def test_lite_checks_and_rates_without_calamine_processes_or_threads(tmp_path: Path) -> None:
    """lite/main.py's scripts on a filled template, in a Python where the modules Pyodide
    lacks cannot be imported and no thread can start: the same actions come back."""
    import json

    path = _filled_return(tmp_path / "return.xlsx")
    data = payload(path)
    (tmp_path / "payload.json").write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", LITE_RUN, str(ROOT / "lite" / "main.py"),
         str(tmp_path / "payload.json"), ",".join(NOT_IN_LITE)],
        capture_output=True, text=True, env={**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"})
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.splitlines()[-1])
    checked, rated = found["xlperf_check"], found["xlperf_update_rag"]
    assert_vba_client_can_apply(checked)
    assert_vba_client_can_apply(rated)
    assert "alert" not in {a["func"] for a in checked + rated}  # Lite shows no pop-ups
    issues_at = len(data["sheets"])
    assert [a["args"][1] for a in checked if a["func"] == "addSheet"] == ["Issues"]
    rows = values_written(checked, issues_at)
    assert rows[0][0].startswith("Found 1 error, 1 warning")
    assert {tuple(r[:4]) for r in rows[2:]} == {
        ("error", "Actions", "I4", "percent-out-of-range"),
        ("warning", "Actions", "J3", "rag-disagrees-with-dates")}
    coloured = colours(checked, sheet_position(data, "Actions"))
    assert coloured == {"I4": FILLS[Severity.ERROR], "J3": FILLS[Severity.WARNING]}
    (write,) = [a for a in rated if a["func"] == "setValues"]
    assert write["sheet_position"] == sheet_position(data, "Actions")
    assert (write["start_row"], write["start_column"]) == (1, 10)  # K2: Computed RAG
    assert write["values"] == [["Green"], ["Red"], ["Amber"]]


def test_reading_a_file_without_calamine_says_why_and_what_to_do(tmp_path: Path) -> None:
    """Where python-calamine is missing, reading a file stops with a message, not an
    ImportError: in the command line, and in xlwings Lite's own words."""
    from xlperf.read.errors import ReaderUnavailable

    path = _filled_return(tmp_path / "return.xlsx")
    code = ("import sys\n"
            "sys.modules['python_calamine'] = None\n"
            "sys.argv = ['xlperf', 'check', sys.argv[1]]\n"
            "from xlperf.cli import main\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                            text=True)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "python -m pip install python-calamine" in " ".join(result.stderr.split())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "platform", "emscripten")
        message = str(ReaderUnavailable())
    assert "xlwings Lite" in message and "Check and Update RAG" in message


#: the packages in xlperf's dependency tree that are not pure Python and that Pyodide
#: builds itself (pyodide.org, "Packages built in Pyodide"); micropip takes them from there
PYODIDE_BUILT = {"cffi", "contourpy", "cryptography", "fonttools", "kiwisolver", "lxml",
                 "markupsafe", "matplotlib", "numpy", "pillow", "pydantic-core"}
BROWSER = {"sys_platform": "emscripten", "platform_system": "Emscripten",
           "platform_machine": "wasm32", "os_name": "posix", "extra": ""}
LINUX = {"sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
         "os_name": "posix", "extra": ""}


def _installs(environment: dict[str, str], deep: bool = False) -> dict[str, list[str]]:
    """What installing xlperf's wheel brings in under ``environment``: package name ->
    the tags of the wheel installed here. ``deep``: dependencies of dependencies too,
    read from the installed packages' metadata."""
    import tomllib
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    found: dict[str, list[str]] = {}
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found or (requirement.marker and not requirement.marker.evaluate(environment)):
            continue
        if not deep:
            found[name] = []
            continue
        dist = metadata.distribution(requirement.name)
        wheel = dist.read_text("WHEEL") or ""
        found[name] = [line.split(":", 1)[1].strip() for line in wheel.splitlines()
                       if line.startswith("Tag:")]
        todo += [Requirement(r) for r in dist.requires or []]
    return found


def test_the_wheel_leaves_python_calamine_out_of_xlwings_lite_only() -> None:
    assert "python-calamine" in _installs(LINUX)
    assert "python-calamine" not in _installs(BROWSER)
    assert set(_installs(LINUX)) - set(_installs(BROWSER)) == {"python-calamine"}


def test_everything_lite_would_install_is_pure_python_or_built_by_pyodide() -> None:
    """micropip installs pure-Python wheels, or Pyodide's own builds: a compiled
    dependency Pyodide does not build (as python-calamine) would stop Lite installing."""
    tree = _installs(BROWSER, deep=True)
    assert "pydantic-core" in tree and "python-calamine" not in tree
    compiled = {name for name, tags in tree.items()
                if not any(tag.endswith("-none-any") for tag in tags)}
    assert compiled <= PYODIDE_BUILT, f"no Pyodide build known for {compiled - PYODIDE_BUILT}"


def _tool(name: str) -> ModuleType:
    path = ROOT / "tools" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"xlperf_tool_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_lite_requirements_cannot_install_a_made_up_address() -> None:
    """The committed file ends in a placeholder no installer accepts (not a web address
    that fails silently, nor a name someone could publish a package under)."""
    from packaging.requirements import InvalidRequirement, Requirement

    tool = _tool("lite_requirements")
    text = (ROOT / "lite" / "requirements.txt").read_text("utf-8")
    assert text == tool.requirements_text(None), "run: python tools/lite_requirements.py"
    last = text.splitlines()[-1]
    assert "://" not in last
    with pytest.raises(InvalidRequirement):
        Requirement(last)


def test_lite_requirements_for_a_hosted_wheel(capsys: pytest.CaptureFixture[str]) -> None:
    tool = _tool("lite_requirements")
    raw = "https://raw.githubusercontent.com/acme/plans/main/dist/xlperf-0.1.0-py3-none-any.whl"
    assert tool.main(["--wheel-url", raw]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == raw and all(line.startswith("#") for line in lines[:-1])
    page = "https://github.com/acme/plans/blob/main/dist/xlperf-0.1.0-py3-none-any.whl"
    assert tool.wheel_address(page) == raw  # a GitHub file page becomes its raw address
    refused = {
        "http://example.org/xlperf-0.1.0-py3-none-any.whl": "not an https address",
        "https://example.org/dist/xlperf-0.1.0.tar.gz": "not an xlperf wheel",
        "https://github.com/acme/plans/releases/download/v0.1/xlperf-0.1.0-py3-none-any.whl":
            "CORS",
    }
    for url, reason in refused.items():
        assert tool.main(["--wheel-url", url]) == 2
        assert reason in capsys.readouterr().err
