"""Every check names its code, severity and cell, and all problems are collected."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xlperf.extract import read_return
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.write.templates import Fill, write_template

RULES = load_rules()
AS_OF = date(2025, 10, 14)


def _check(tmp_path: Path, forms: dict[str, object], actions: list[dict[str, object]]
           ) -> set[tuple[str, str, str, str]]:
    path = tmp_path / "return.xlsx"
    write_template(TEMPLATES["monitoring-return"], path, RULES,
                   Fill(forms=forms, tables={"Actions": actions}))
    reading = read_return(read_workbook(path), RULES, AS_OF)
    return {(i.sheet, i.cell, i.code, i.severity.value) for i in reading.issues}


def test_all_problems_in_a_return_are_collected_with_their_cells(tmp_path: Path) -> None:
    forms = {"agency": "", "period": "Summer", "submitted_by": "SPOC",
             "submitted_on": "12/13/2025"}
    actions = [
        {"ref": "1.1", "action": "Train staff", "owner": "Team", "strand": "Pursuit",
         "start": date(2025, 9, 1), "due": date(2025, 8, 1), "status": "Going well",
         "progress": 50},
        {"ref": "1.1", "action": "Audit contracts", "owner": "< Select >",
         "due": date(2026, 3, 31), "reported_rag": "Purple"},
    ]
    found = _check(tmp_path, forms, actions)
    expected = {
        ("Return", "B3", "required-missing", "error"),
        ("Return", "B4", "period-unreadable", "error"),  # no period: cannot be placed
        ("Return", "B6", "date-month-first", "error"),
        ("Actions", "C2", "value-not-allowed", "error"),  # strand 'Pursuit'
        ("Actions", "H2", "value-not-allowed", "error"),  # status 'Going well'
        ("Actions", "G2", "due-before-start", "error"),
        ("Actions", "E3", "placeholder-in-required", "error"),
        ("Actions", "J3", "rag-unknown", "warning"),
        ("Actions", "A3", "duplicate-action-id", "error"),
    }
    assert expected <= found, expected - found


def test_a_clean_return_has_no_issues_and_an_overdue_green_has_one(tmp_path: Path) -> None:
    forms = {"agency": "Agency A", "period": "2025/26 Q2", "submitted_by": "SPOC",
             "submitted_on": date(2025, 10, 10)}
    good = {"ref": "1", "action": "Train staff", "owner": "Team", "due": date(2026, 3, 31),
            "status": "In progress", "progress": 50, "reported_rag": "Green"}
    assert _check(tmp_path, forms, [good]) == set()
    late = good | {"due": date(2025, 9, 30)}
    assert _check(tmp_path, forms, [late]) == {
        ("Actions", "J2", "rag-disagrees-with-dates", "warning")}


def test_dates_in_a_1904_system_workbook(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "mac_plan.xlsx"
    book = xlsxwriter.Workbook(str(path), {"date_1904": True})
    sheet = book.add_worksheet("Plan")
    for c, title in enumerate(("Action", "Owner", "Due date")):
        sheet.write_string(0, c, title)
    sheet.write_string(1, 0, "Real date cell")
    sheet.write_string(1, 1, "Team")
    sheet.write_datetime(1, 2, date(2025, 12, 31), book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_string(2, 0, "Bare serial")
    sheet.write_string(2, 1, "Team")
    sheet.write_number(2, 2, 44560)  # 1904 system: 31/12/2025
    book.close()
    wb = read_workbook(path)
    assert wb.date1904
    reading = read_return(wb, RULES, AS_OF)
    assert reading.ret is not None
    due = {a.text: a.due.start for a in reading.ret.actions if a.due}
    assert due == {"Real date cell": date(2025, 12, 31), "Bare serial": date(2025, 12, 31)}


def test_smart_checks_on_an_indicator_framework(tmp_path: Path) -> None:
    from xlperf.batch import read_one

    path = tmp_path / "framework.xlsx"
    fill = Fill(tables={
        "Framework": [
            {"indicator_id": "PI-01", "indicator": "NRM referrals made", "unit": "count",
             "baseline": 40, "framework_objective": "Improve identification of victims"},
            {"indicator_id": "PI-02", "indicator": "Survivors supported", "unit": "count",
             "framework_objective": "Support 40 survivors by March 2026"}],
        "Targets": [{"target_indicator_id": "PI-01", "target_period": "2025/26",
                     "target_value": 100}]})
    write_template(TEMPLATES["indicator-framework"], path, RULES, fill)
    result = read_one(path, RULES, AS_OF, None)
    assert result.skipped  # a framework is not a return: consolidate takes it as --framework
    found = {(i.sheet, i.cell, i.code) for i in result.issues}
    assert found >= {("Framework", "M2", "objective-vague"),
                     ("Framework", "B3", "indicator-no-target"),
                     ("Framework", "H3", "indicator-no-baseline")}
    assert ("Framework", "M3", "objective-vague") not in found  # it has a number and a date


def test_a_logframe_is_checked_against_its_declaration(tmp_path: Path) -> None:
    from xlperf.batch import read_one

    path = tmp_path / "logframe.xlsx"
    fill = Fill(tables={"Logframe": [
        {"lf_ref": "1", "level": "Goal", "summary": "Fewer people exploited in Northshire",
         "achievement": "PI-05", "lf_verification": "Home Office estimates"},
        {"lf_ref": "1.1", "level": "Purpose", "summary": "", "achievement": "PI-01"},
        {"lf_ref": "1.1.1", "level": "Outcome", "summary": "Staff trained"}]})
    write_template(TEMPLATES["logframe"], path, RULES, fill)
    result = read_one(path, RULES, AS_OF, None)
    assert result.skipped  # planning, not a return
    found = {(i.cell, i.code) for i in result.issues}
    assert found >= {("C3", "required-missing"), ("B4", "value-not-allowed")}
    assert not any(i.row == 2 for i in result.issues)  # the Goal row is fine


def test_an_unreadable_period_on_the_cover_is_an_error(tmp_path: Path) -> None:
    found = _check(tmp_path, {"agency": "Northshire Police", "period": "Quarter 2",
                              "submitted_by": "SPOC", "submitted_on": "03/10/2025"}, [])
    assert ("Return", "B4", "period-unreadable", "error") in found


def test_status_progress_and_a_complete_rating_must_agree(tmp_path: Path) -> None:
    found = _check(tmp_path, {"agency": "Northshire Police", "period": "Q2 2025/26",
                              "submitted_by": "SPOC", "submitted_on": "03/10/2025"}, [
        {"action": "Audit contracts", "owner": "Team", "due": date(2026, 3, 31),
         "status": "Not started", "progress": 60},
        {"action": "Train staff", "owner": "Team", "due": date(2026, 3, 31),
         "status": "In progress", "progress": 40, "reported_rag": "Complete"},
        {"action": "Close the hub", "owner": "Team", "due": date(2025, 6, 30),
         "status": "Cancelled", "progress": 10, "reported_rag": "Complete"}])
    assert ("Actions", "H2", "status-progress-mismatch", "warning") in found
    assert ("Actions", "J3", "reported-complete-not-done", "warning") in found
    # cancelled: not rated and not late, but a Complete rating is still wrong
    assert {code for _s, cell, code, _v in found if cell.endswith("4")} == {
        "reported-complete-not-done"}


def test_a_framework_with_a_repeated_id_or_target(tmp_path: Path) -> None:
    from xlperf.extract import read_framework

    path = tmp_path / "framework.xlsx"
    write_template(TEMPLATES["indicator-framework"], path, RULES, Fill(tables={
        "Framework": [{"indicator_id": "PI-01", "indicator": "NRM referrals made",
                       "unit": "count", "baseline": 40},
                      {"indicator_id": "PI-01", "indicator": "Crimes recorded", "unit": "count",
                       "baseline": 38}],
        "Targets": [{"target_indicator_id": "PI-01", "target_period": "2025/26",
                     "target_value": 100},
                    {"target_indicator_id": "PI-01", "target_period": "2025/26",
                     "target_value": 48}]}))
    framework = read_framework(read_workbook(path), RULES, AS_OF)
    found = {(i.sheet, i.cell, i.code) for i in framework.issues}
    assert {("Framework", "A3", "framework-id-repeated"),
            ("Targets", "B3", "target-repeated")} <= found
    nrm = framework.specs["nrm referrals made"]
    assert [t.value for t in nrm.targets] == [100]  # never 148
    assert "crimes recorded" not in framework.specs
