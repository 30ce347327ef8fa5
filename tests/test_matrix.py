"""The NRM referral table in the monitoring return: exploitation type x sex and age, with
row, column and grand totals each checked against their parts (figures worked by hand)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

from xlperf.extract import read_return
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import MONITORING_RETURN, NRM_INDICATOR
from xlperf.write.templates import Cell, Fill, write_template

RULES = load_rules()
AS_OF = date(2025, 10, 14)
LAB, SEX, CRIM = "Labour exploitation", "Sexual exploitation", "Criminal exploitation"
MA, FA, MM, FM, T = "Male adult", "Female adult", "Male minor", "Female minor", "Total"


def _return(tmp_path: Path, grid: dict[tuple[str, str], Cell]) -> Path:
    path = tmp_path / "return.xlsx"
    write_template(MONITORING_RETURN, path, RULES, Fill(
        forms={"agency": "Northshire Police", "period": "Q2 2025/26",
               "submitted_by": "SPOC", "submitted_on": date(2025, 10, 3)},
        grids={"NRM referrals": grid}))
    return path


def _read(path: Path) -> tuple[dict[str, float | None], set[tuple[str, str, str]],
                               dict[str, str]]:
    reading = read_return(read_workbook(path), RULES, AS_OF)
    assert reading.ret is not None
    figures = {f.breakdown: f.value for f in reading.ret.indicators
               if f.indicator == NRM_INDICATOR}
    issues = {(i.sheet, i.cell, i.code) for i in reading.issues}
    messages = {i.cell: i.message for i in reading.issues
                if i.code == "breakdown-total-mismatch"}
    return figures, issues, messages


def test_every_cell_is_a_figure_with_its_breakdown_and_cell(tmp_path: Path) -> None:
    path = _return(tmp_path, {(LAB, MA): 6, (LAB, FA): 2, (LAB, T): 8, (SEX, FM): 1,
                              (SEX, T): 1, (T, MA): 6, (T, FA): 2, (T, FM): 1, (T, T): 9})
    figures, issues, _ = _read(path)
    assert figures == {"Labour exploitation / Male adult": 6,
                       "Labour exploitation / Female adult": 2,
                       "Labour exploitation / Total": 8, "Sexual exploitation / Female minor": 1,
                       "Sexual exploitation / Total": 1, "Total / Male adult": 6,
                       "Total / Female adult": 2, "Total / Female minor": 1, "Total": 9}
    assert not {i for i in issues if i[2] == "breakdown-total-mismatch"}
    reading = read_return(read_workbook(path), RULES, AS_OF)
    assert reading.ret is not None
    cells = {f.breakdown: f.source.cell for f in reading.ret.indicators if f.source}
    # headings on row 3 (A3 'Exploitation type'), Labour exploitation on row 4, Total row 10
    assert (cells["Labour exploitation / Male adult"], cells["Total"]) == ("B4", "G10")
    assert cells["Sexual exploitation / Female minor"] == "E5"


def test_row_column_and_grand_totals_that_are_not_their_sums(tmp_path: Path) -> None:
    # Labour row: 3 + 1 + 1 = 5 but typed 6; Male adult column: 3 + 1 = 4 but typed 5;
    # grand total 12 but the types add up to 6 + 3 = 9 (each type's Total where given)
    path = _return(tmp_path, {(LAB, MA): 3, (LAB, FA): 1, (LAB, MM): 1, (LAB, T): 6,
                              (CRIM, MA): 1, (CRIM, MM): 2, (CRIM, T): 3,
                              (T, MA): 5, (T, T): 12})
    _, issues, messages = _read(path)
    mismatches = {cell for sheet, cell, code in issues if code == "breakdown-total-mismatch"}
    assert mismatches == {"G4", "B10", "G10"}
    assert messages["G4"] == ("NRM referrals made, Labour exploitation: Total 6 but the "
                              "breakdown adds up to 5 (3 + 1 + 1). Correct the total or the "
                              "parts.")
    assert messages["B10"].startswith("NRM referrals made, Male adult: Total 5 but the "
                                      "breakdown adds up to 4")
    assert messages["G10"].startswith("NRM referrals made: Total 12 but the breakdown adds "
                                      "up to 9 (6 + 3)")


def test_totals_without_parts_are_checked_against_each_other_only(tmp_path: Path) -> None:
    # the breakdown by sex and age is unknown: row totals only, and the grand total
    good = _return(tmp_path, {(LAB, T): 2, (SEX, T): 1, (T, T): 3})
    figures, issues, _ = _read(good)
    assert figures["Total"] == 3
    assert not [i for i in issues if i[2] == "breakdown-total-mismatch"]
    bad = _return(tmp_path, {(LAB, T): 2, (SEX, T): 1, (T, T): 4})
    _, issues, messages = _read(bad)
    assert ("NRM referrals", "G10", "breakdown-total-mismatch") in issues
    assert "adds up to 3 (2 + 1)" in messages["G10"]


def test_a_word_in_a_cell_and_a_row_the_agency_added(tmp_path: Path) -> None:
    path = _return(tmp_path, {(LAB, MA): "two", (SEX, FA): 1})
    book = openpyxl.load_workbook(path)
    sheet = book["NRM referrals"]
    sheet.insert_rows(10)  # a row for a type the template does not list, above Total
    sheet["A10"], sheet["C10"] = "Labour and criminal exploitation", 2
    book.save(path)
    figures, issues, _ = _read(path)
    assert ("NRM referrals", "B4", "number-unreadable") in issues
    assert "Labour exploitation / Male adult" not in figures
    assert figures["Labour and criminal exploitation / Female adult"] == 2


def test_the_partnership_total_adds_the_grand_totals_once(examples: Path) -> None:
    from xlperf.batch import read_many
    from xlperf.consolidate import consolidate

    files = sorted((examples / "returns").glob("*.xlsx"))
    data = consolidate(list(read_many(files, RULES, AS_OF, None)), AS_OF, RULES)
    headline = {(v.agency, v.period.label): v.value for v in data.reported_figures()
                if v.indicator == NRM_INDICATOR}
    # police 17, council 4 (totals by type only), Haven Pathways 6: never the parts too
    assert {a: v for (a, p), v in headline.items() if p == "Q2 2025/26"} == {
        "Northshire Police": 17, "Northshire County Council": 4, "Haven Pathways": 6}


def test_a_blank_grand_total_is_worked_out_from_the_parts_and_said(tmp_path: Path) -> None:
    # no grand Total: row totals where given, else the row's figures: 5 + (2 + 1) = 8
    path = _return(tmp_path, {(LAB, T): 5, (SEX, FA): 2, (SEX, FM): 1})
    figures, issues, _ = _read(path)
    assert figures["Total"] == 8
    assert ("NRM referrals", "G10", "total-worked-out") in issues
    # only column totals: 4 + 3
    figures, issues, _ = _read(_return(tmp_path, {(T, MA): 4, (T, FA): 3}))
    assert figures["Total"] == 7


def test_a_deleted_or_renamed_referrals_sheet_is_said(tmp_path: Path) -> None:
    path = _return(tmp_path, {(LAB, MA): 2, (T, T): 2})
    book = openpyxl.load_workbook(path)
    book["NRM referrals"].title = "Referrals Q2"
    book.save(path)
    figures, issues, _ = _read(path)
    assert figures["Total"] == 2
    assert ("Referrals Q2", "", "template-sheet-renamed") in issues
    del book["Referrals Q2"]
    book.save(path)
    figures, issues, _ = _read(path)
    assert not figures and ("", "", "optional-sheet-missing") in issues


def test_negative_and_fractional_referrals_are_flagged(tmp_path: Path) -> None:
    _, issues, _ = _read(_return(tmp_path, {(LAB, MA): -1, (SEX, FA): 2.5}))
    assert {("NRM referrals", "B4", "figure-implausible"),
            ("NRM referrals", "C5", "figure-implausible")} <= issues


def test_the_same_indicator_twice_in_one_return_is_flagged(tmp_path: Path) -> None:
    path = tmp_path / "return.xlsx"
    write_template(MONITORING_RETURN, path, RULES, Fill(
        forms={"agency": "Northshire Police", "period": "Q2 2025/26",
               "submitted_by": "SPOC", "submitted_on": date(2025, 10, 3)},
        tables={"Indicators": [
            {"indicator": NRM_INDICATOR, "value": 99},
            {"indicator": "Frontline staff trained", "value": "about 150"},
            {"indicator": "Staff completing training", "numerator": 130, "denominator": 100}]},
        grids={"NRM referrals": {(LAB, MA): 9, (T, T): 9}}))
    reading = read_return(read_workbook(path), RULES, AS_OF)
    issues = {(i.sheet, i.cell, i.code): i.message for i in reading.issues}
    assert issues[("Indicators", "C2", "indicator-repeated")] == (
        "'NRM referrals made' is reported more than once in this return (Indicators C2, "
        "NRM referrals G10); the summaries count equal figures once and add different "
        "ones. Keep one, or tell them apart with a Breakdown.")
    assert ("Indicators", "C3", "number-from-text") in issues  # 'about 150': read, and said
    assert reading.ret is not None
    assert [f.value for f in reading.ret.indicators if f.indicator.startswith("Frontline")] \
        == [150]
    assert issues[("Indicators", "D4", "figure-implausible")].startswith(
        "Staff completing training: 130 of 100 cannot be right (the numerator is larger")


def test_totals_by_type_and_by_sex_and_age_must_agree(tmp_path: Path) -> None:
    # no grand total; the type totals add to 6 + 4 = 10, the sex and age totals to 8
    path = _return(tmp_path, {(LAB, T): 6, (SEX, T): 4, (T, MA): 5, (T, FA): 3})
    figures, issues, messages = _read(path)
    assert figures["Total"] == 10  # the types' totals, said as worked out
    assert ("NRM referrals", "G3", "breakdown-total-mismatch") in issues
    assert messages["G3"].startswith("NRM referrals made, the totals by exploitation type: "
                                     "Total 10 but the breakdown adds up to 8 (5 + 3)")


def test_a_column_inserted_before_the_grid_still_reads(tmp_path: Path) -> None:
    path = _return(tmp_path, {(LAB, MA): 4, (SEX, FA): 5, (T, T): 9})
    book = openpyxl.load_workbook(path)
    book["NRM referrals"].insert_cols(1)
    book.save(path)
    figures, issues, _ = _read(path)
    assert figures["Total"] == 9 and figures["Labour exploitation / Male adult"] == 4
    assert not [i for i in issues if i[2] == "breakdown-total-mismatch"]


def test_a_type_given_only_as_its_total_counts_in_the_grand_total(tmp_path: Path) -> None:
    # Labour only as its Total (9), Sexual as 4 + 1 with its Total 5: 9 + 5 = 14
    path = _return(tmp_path, {(LAB, T): 9, (SEX, FA): 4, (SEX, FM): 1, (SEX, T): 5, (T, T): 14})
    _, issues, _ = _read(path)
    assert not [i for i in issues if i[2] == "breakdown-total-mismatch"]


def test_a_word_in_a_cell_gives_one_issue_not_false_totals(tmp_path: Path) -> None:
    path = _return(tmp_path, {(LAB, MA): "four", (LAB, FA): 1, (LAB, T): 5, (SEX, FA): 2,
                              (SEX, T): 2, (T, T): 7})
    _, issues, _ = _read(path)
    assert ("NRM referrals", "B4", "number-unreadable") in issues
    assert not [i for i in issues if i[2] == "breakdown-total-mismatch"]
