"""Real public workbooks and small failing cases (../shared/realdata), end to end."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from xlperf.consolidate import FileStatus
from xlperf.extract import read_return
from xlperf.pipeline import run_consolidation
from xlperf.rag import load_rules
from xlperf.read import read_workbook

RULES = load_rules()
AS_OF = date(2026, 12, 3)


def _read(path: Path):  # type: ignore[no-untyped-def]
    return read_return(read_workbook(path), RULES, AS_OF)


def _reported(items) -> dict[str, Counter[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, Counter[str]] = {}
    for item in items:
        if item.reported_rag is not None:
            out.setdefault(item.source.sheet, Counter())[item.reported_rag.value] += 1
    return out


def _all_inputs(root: Path) -> list[Path]:
    return sorted(p for p in (root / "files").iterdir()) + sorted(
        p for p in (root / "cases").rglob("*") if p.is_file())


def test_check_runs_on_every_real_file_without_a_traceback(realdata: Path) -> None:
    for path in _all_inputs(realdata):
        before = hashlib.sha256(path.read_bytes()).hexdigest()
        result = subprocess.run([sys.executable, "-m", "xlperf", "check", str(path), "--json"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode in (0, 1, 2), (path, result.stderr)
        assert "Traceback" not in result.stderr, (path, result.stderr)
        issues = json.loads(result.stdout)
        if result.returncode == 2:  # one clear sentence naming the file
            (issue,) = [i for i in issues if i["code"] == "file-unreadable"]
            assert path.name in issue["message"] and issue["message"].endswith(".")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_dft_dashboard_five_point_rag_is_read_and_counted(realdata: Path) -> None:
    reading = _read(realdata / "files" / "dft_portfolio_dashboard_master_rag.xlsx")
    assert reading.ret is not None
    counts = _reported(reading.ret.actions)
    one_of_each = {"Red": 1, "Amber/Red": 1, "Amber": 1, "Amber/Green": 1, "Green": 1}
    assert counts == {"Finance": Counter(one_of_each), "Schedule": Counter(one_of_each)}
    mars = next(a for a in reading.ret.actions if a.text.strip() == "Mars"
                and a.source and a.source.sheet == "Finance")
    assert mars.reported_rag is not None and mars.reported_rag.value == "Amber"  # 'A'


def test_towns_fund_delivery_scores_are_read_as_rag(realdata: Path) -> None:
    reading = _read(realdata / "files" / "mhclg_towns_fund_round7_monitoring_return.xlsx")
    assert reading.ret is not None
    projects = [a for a in reading.ret.actions if a.source and
                a.source.sheet == "3 - Programme Progress"]
    # Delivery (RAG) scores B1..B8 are 3,1,2,1,3,1,3,4 on the five-point scale (1 = Green)
    assert len(projects) == 8
    assert _reported(projects) == {"3 - Programme Progress": Counter(
        {"Green": 3, "Amber": 3, "Amber/Green": 1, "Amber/Red": 1})}
    unused = [i for i in reading.issues if i.code == "row-rejected"]
    assert len(unused) == 12 and all(i.severity == "info" for i in unused)  # B9..B20 '< Select >'
    assert {i.row for i in unused} == set(range(28, 40))


def test_wur_on_track_flags_are_read_line_by_line(realdata: Path) -> None:
    reading = _read(realdata / "files" / "wur_issd_africa_logframe_progress.xlsx")
    assert reading.ret is not None
    counts = _reported(reading.ret.indicators)
    # Column H ('ON TRACK YES/NO or at RISK'), every line counted: Y on track, N not, R at risk
    assert counts["Logical framework - WP1"] == Counter({"Green": 17, "Red": 21, "Amber": 10})
    assert counts["Logical framework - WP5"] == Counter({"Green": 18, "Red": 20, "Amber": 2})
    assert counts["Logical framework - complete"] == Counter(
        {"Green": 19, "Red": 21, "Amber": 10})


def test_case_08_dates_read_the_uk_way_and_us_only_and_impossible_flagged(realdata: Path) -> None:
    reading = _read(realdata / "cases" / "08_due_dates_mixed_real_text_serial.xlsx")
    assert reading.ret is not None
    due = {a.ref: a.due for a in reading.ret.actions}
    assert due["A1"] is not None and due["A1"].start == date(2025, 4, 3)
    assert due["A2"] is not None and due["A2"].start == date(2025, 4, 3)
    assert due["A3"] is not None and due["A3"].start == date(2024, 12, 31)
    assert due["A5"] is not None and (due["A5"].precision, due["A5"].end) == (
        "month", date(2025, 3, 31))
    assert due["A6"] is not None and (due["A6"].start, due["A6"].end) == (
        date(2024, 10, 1), date(2024, 12, 31))
    assert due["A8"] is not None and due["A8"].start == date(2024, 4, 1)
    assert due["A11"] is not None and due["A11"].start == date(2025, 5, 1)
    assert due["A7"] is None and due["A9"] is None and due["A10"] is None
    codes = {(i.cell, i.code) for i in reading.issues}
    assert ("B10", "date-month-first") in codes
    assert ("B11", "date-impossible") in codes
    assert ("B8", "placeholder-left") in codes


def test_case_01a_uncalculated_formulas_are_never_read_as_zero(realdata: Path) -> None:
    reading = _read(realdata / "cases" / "01a_formulas_no_cached_values_openpyxl.xlsx")
    cells = sorted(i.cell for i in reading.issues if i.code == "formula-not-calculated")
    assert cells == ["G2", "G3", "G4", "H2", "H3", "H4", "I2", "I3", "I4"]
    assert reading.ret is not None
    assert all(v.value != 0 for v in reading.ret.indicators)
    q2 = {v.indicator: v.value for v in reading.ret.indicators if v.breakdown == "Q2"}
    assert q2 == {"Victims referred to support": 35, "Frontline staff trained": 150,
                  "Awareness sessions delivered": 5}


def test_case_06_merged_labels_and_stacked_headers(realdata: Path) -> None:
    reading = _read(realdata / "cases" / "06_logframe_merged_labels_and_two_row_header.xlsx")
    assert reading.ret is not None
    # 'Target 2024/25' is merged over Q1..Q4: four target figures per indicator
    q1 = [v for v in reading.ret.indicators if v.breakdown == "Target 2024/25 Q1"]
    assert [(v.indicator, v.target) for v in q1] == [
        ("No. of survivors supported", 10), ("% who feel safer (survey)", 0.6),
        ("No. referred to NRM", 5), ("No. of staff trained", 50),
        ("% passing post-training quiz", 0.8)]
    baselines = {v.indicator: v.baseline for v in reading.ret.indicators if not v.breakdown}
    assert baselines == {"No. of survivors supported": 30, "No. referred to NRM": 12,
                         "No. of staff trained": 0}


def test_case_05_finds_the_four_real_rows(realdata: Path) -> None:
    book = read_workbook(realdata / "cases" / "05_four_rows_but_used_range_to_row_1048576.xlsx")
    assert book.sheets[0].n_rows == 4
    reading = read_return(book, RULES, AS_OF)
    assert reading.ret is not None
    assert [v.indicator for v in reading.ret.indicators if not v.breakdown] == [
        "Referrals to NRM", "Survivors in safe accommodation", "Multi-agency meetings held"]


def test_consolidating_the_real_files_accounts_for_every_file(realdata: Path,
                                                              tmp_path: Path) -> None:
    out = tmp_path / "real.xlsx"
    data = run_consolidation([realdata / "files"], out, AS_OF, RULES, None)
    names = {Path(s.file).name for s in data.submissions}
    assert names == {p.name for p in (realdata / "files").iterdir()}
    status = {Path(s.file).name: s.status for s in data.submissions}
    # a lock file under an ordinary name is recognised by its content and skipped
    assert status["mercycorps_LOCKFILE_tilde-dollar_program_upload_data.xlsx"] is (
        FileStatus.SKIPPED)
    # no agency or period stated in the dashboard: read, with warnings saying so
    assert status["dft_portfolio_dashboard_master_rag.xlsx"] is FileStatus.WARNINGS
    trackers = Counter(Path(r.item.source.file).name for r in data.actions if r.item.source)
    assert trackers["dft_portfolio_dashboard_master_rag.xlsx"] == 20
    assert trackers["mhclg_towns_fund_round7_monitoring_return.xlsx"] == 8
    rated = Counter(r.item.reported_rag.value for r in data.actions if r.item.reported_rag)
    assert sum(rated.values()) == 18  # 10 DfT + 8 Towns Fund
    assert data.rows_in == data.rows_accounted


def test_folder_with_lock_files_skips_them_and_consolidates_the_return(realdata: Path,
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    data = run_consolidation([realdata / "cases" / "10_folder_with_office_lock_files"], out,
                             AS_OF, RULES, None)
    status = {Path(s.file).name: s.status for s in data.submissions}
    assert status == {"partner_a_return.xlsx": FileStatus.WARNINGS,  # no period stated
                      "~$partner_a_return.xlsx": FileStatus.SKIPPED,
                      ".~lock.partner_a_return.xlsx#": FileStatus.SKIPPED}
    (figure,) = [r.item for r in data.indicators]
    assert (figure.agency, figure.indicator, figure.value) == ("Agency A", "Referrals", 12)


@pytest.mark.parametrize("name", ["09a_html_table_named_as.xls", "09c_csv_text_named_as.xlsx"])
def test_files_that_are_not_what_their_name_says_are_read(realdata: Path, name: str) -> None:
    reading = _read(realdata / "cases" / name)
    assert reading.ret is not None
    figures = {(v.agency, v.indicator): v.value for v in reading.ret.indicators}
    assert figures == {("Agency A", "Referrals"): 12, ("Agency B", "Referrals"): 7}
    assert any("really" in i.message for i in reading.issues if i.code == "file-note")


def test_wur_packed_cells_are_split_line_by_line_with_prose_targets(realdata: Path) -> None:
    """WP1 rows 11, 13 and 15, checked by hand against the cells."""
    reading = _read(realdata / "files" / "wur_issd_africa_logframe_progress.xlsx")
    assert reading.ret is not None
    wp1 = [v for v in reading.ret.indicators
           if v.source and v.source.sheet == "Logical framework - WP1"]

    def row(n: int) -> list[tuple[object, ...]]:
        return [(v.indicator[:32], v.baseline, v.target, v.target_text[:12], v.value,
                 v.reported_rag.value if v.reported_rag else None)
                for v in wp1 if v.source and v.source.row == n]

    assert row(11) == [
        ("Number of LSC hubs at national l", 0, 3, "", 0, "Green"),
        ("Number of producers of knowledge", 0, 45, "45 (on  aver", 5, "Green"),
    ]
    assert [(t, x, r) for _, _, t, _, x, r in row(13)] == [
        (400000, 0, "Amber"), (3000000, 0, "Amber"), (9000, 0, "Amber"), (3, 0, "Amber"),
        (6, 0, "Amber")]  # 'R' = at risk, every line
    assert row(13)[0][3] == "> 400,000 fa"  # the prose target is kept beside its number
    assert row(15) == [
        ("Number of National Agricultural ", 0, 3, "", 0, "Green"),
        ("Number of staff of National Agri", 0, 60, "", 0, "Green"),
    ]


def test_dfid_results_framework_blocks_are_found(realdata: Path) -> None:
    reading = _read(realdata / "files" / "logframelab_dfid_results_framework_template.xlsx")
    blocks = [(t.header, t.kind) for t in reading.tables]
    # Impact, Outcome (x3 with the theme/weighting rows), Output (x2): one table each,
    # the header repeated per block; the template is blank, so no figures
    assert blocks == [("A2", "indicators"), ("A6", "indicators"), ("A10", "indicators"),
                      ("A14", "indicators"), ("A18", "indicators"), ("A22", "indicators")]
    assert reading.ret is not None and reading.ret.indicators == []
