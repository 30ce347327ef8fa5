"""Templates: the committed files are what the code writes; a filled template reads back."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from xlperf.extract import read_return, template_marker
from xlperf.model import Status, Strand
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.values import Rag
from xlperf.write.templates import Fill, write_template

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_committed_template_is_what_the_code_writes(kind: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"{kind}.xlsx"
    write_template(TEMPLATES[kind], fresh, RULES)
    committed = ROOT / "workbook_templates" / f"{kind}.xlsx"
    assert _parts(committed) == _parts(fresh), "run: python tools/make_templates.py"


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_template_has_marker_tables_dropdowns_and_print_setup(kind: str) -> None:
    path = ROOT / "workbook_templates" / f"{kind}.xlsx"
    book = read_workbook(path)
    assert template_marker(book) == (kind, 1)
    parts = _parts(path)
    sheets = b"".join(v for k, v in parts.items() if k.startswith("xl/worksheets/sheet"))
    assert b'<pane ySplit="1"' in sheets  # frozen header
    assert b'type="list"' in sheets  # dropdowns
    lists = {"action-plan": [b"RAGList", b"StrandList", b"StatusList"],
             "monitoring-return": [b"RAGList", b"StrandList", b"StatusList"],
             "indicator-framework": [b"UnitList", b"DirectionList", b"TypeList"],
             "logframe": [b"LevelList"], "care-pathway": [b"StageList"]}[kind]
    assert all(name in sheets for name in lists)
    assert b'<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/>' in sheets
    assert any(k.startswith("xl/tables/table") for k in parts)
    has_dates = any(f.type.value == "date" for s in TEMPLATES[kind].sheets for f in s.fields)
    assert (b"dd/mm/yyyy" in parts["xl/styles.xml"]) == has_dates  # UK dates where dates are
    workbook = parts["xl/workbook.xml"].decode()
    assert "_xlnm.Print_Titles" in workbook


def test_filled_return_reads_back_as_the_same_models(tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    fill = Fill(
        forms={"agency": "Test Agency", "period": "2025/26 Q2", "submitted_by": "SPOC",
               "submitted_on": date(2025, 10, 3), "progress": "Good quarter.",
               "points_for_action": "=not a formula"},
        tables={"Actions": [{"ref": "1.1", "objective": "Spot exploitation", "strand": "Prevent",
                             "action": "Train staff", "owner": "Training team",
                             "start": date(2025, 4, 1), "due": date(2025, 12, 31),
                             "status": "In progress", "progress": 40, "reported_rag": "Amber",
                             "comment": "+3 on last quarter"}],
                "Indicators": [{"indicator": "Staff trained", "value": 120, "target": 150}]})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)
    reading = read_return(read_workbook(path), RULES, date(2025, 10, 14))
    ret = reading.ret
    assert ret is not None
    assert (ret.agency, ret.period_label, ret.submitted_on) == (
        "Test Agency", "Q2 2025/26", date(2025, 10, 3))
    assert ret.narrative.points_for_action == "=not a formula"
    (action,) = ret.actions
    assert (action.ref, action.strand, action.owner, action.status, action.progress) == (
        "1.1", Strand.PREVENT, "Training team", Status.IN_PROGRESS, 40)
    assert action.due is not None and action.due.end == date(2025, 12, 31)
    assert action.reported_rag is Rag.AMBER and action.computed_rag is Rag.GREEN
    assert action.comment == "+3 on last quarter"
    (figure,) = ret.indicators
    assert (figure.indicator, figure.value, figure.target) == ("Staff trained", 120, 150)
    assert reading.issues == []


def test_missing_template_sheet_is_reported_with_the_sheets_there(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "return.xlsx"
    write_template(TEMPLATES["monitoring-return"], path, RULES)
    book = openpyxl.load_workbook(path)
    del book["Indicators"]
    book.save(path)
    reading = read_return(read_workbook(path), RULES, date(2025, 10, 14))
    missing = [i for i in reading.issues if i.code == "template-sheet-missing"]
    assert len(missing) == 1
    assert "Sheet 'Indicators' not found" in missing[0].message
    assert "Actions" in missing[0].message and "Finance" in missing[0].message


def test_renamed_template_sheets_are_found_by_their_headings(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "return.xlsx"
    fill = Fill(forms={"agency": "Agency A", "period": "2025/26 Q2", "submitted_by": "SPOC",
                       "submitted_on": date(2025, 10, 3)},
                tables={"Actions": [{"action": "Train staff", "owner": "Team",
                                     "due": date(2026, 1, 31)}]})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)
    book = openpyxl.load_workbook(path)
    book["Actions"].title = "Actions Q2"
    book["Return"].title = "Cover"
    book.save(path)
    reading = read_return(read_workbook(path), RULES, date(2025, 10, 14))
    assert reading.ret is not None
    assert [a.text for a in reading.ret.actions] == ["Train staff"]
    assert reading.ret.agency == "Agency A"
    renamed = {(i.sheet, i.code) for i in reading.issues}
    assert ("Actions Q2", "template-sheet-renamed") in renamed
    assert ("Cover", "template-sheet-renamed") in renamed


def test_a_renamed_template_heading_is_read_by_what_it_means(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "return.xlsx"
    fill = Fill(forms={"agency": "Agency A", "period": "Q2 2025/26", "submitted_by": "SPOC",
                       "submitted_on": date(2025, 10, 3)},
                tables={"Actions": [{"action": "Train staff", "owner": "Team",
                                     "due": date(2026, 1, 31)}]})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)
    book = openpyxl.load_workbook(path)
    book["Actions"]["E1"] = "Lead officer"
    book["Actions"]["G1"] = "Deadline"
    book.save(path)
    reading = read_return(read_workbook(path), RULES, date(2025, 10, 14))
    assert reading.ret is not None
    (action,) = reading.ret.actions
    assert action.owner == "Team" and action.due is not None
    renamed = sorted(i.cell for i in reading.issues if i.code == "template-column-renamed")
    assert renamed == ["E1", "G1"]
