"""Logframes read into one model: xlperf's template, logframe tables (WUR, case 06) and
results frameworks in blocks (DFID), with their results-chain checks.

Values asserted here were checked by hand against the workbooks.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlperf.cli import app
from xlperf.logframe import LogframeReading, parse_level, read_logframe
from xlperf.model import Level, Logframe, LogframeRow
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.values import Rag
from xlperf.write.templates import Fill, write_template

RULES = load_rules()
AS_OF = date(2025, 10, 14)
WUR = "files/wur_issd_africa_logframe_progress.xlsx"
DFID = "files/logframelab_dfid_results_framework_template.xlsx"
CASE06 = "cases/06_logframe_merged_labels_and_two_row_header.xlsx"


def _read(path: Path) -> LogframeReading:
    return read_logframe(read_workbook(path), RULES, AS_OF)


def _sheet(reading: LogframeReading, name: str) -> Logframe:
    return next(lf for lf in reading.logframes if lf.sheet == name)


def _row(logframe: Logframe, starts: str) -> LogframeRow:
    return next(r for r in logframe.rows if r.summary.startswith(starts))


def _codes(reading: LogframeReading) -> set[tuple[str, str, str]]:
    return {(i.sheet, i.cell, i.code) for i in reading.issues}


@pytest.mark.parametrize(("label", "level"), [
    ("Impact/ ultimate outcome", Level.GOAL), ("Overall objective of the Action", Level.GOAL),
    ("GOAL", Level.GOAL), ("Outcome", Level.PURPOSE), ("Other Outcomes", Level.PURPOSE),
    ("Medium-term effect / Specific objective / intermediary outcome 4", Level.PURPOSE),
    ("Outputs Workpackage 2", Level.OUTPUT), ("Activities", Level.ACTIVITY),
    ("OUTCOME WEIGHTING (%)", None), ("PRIMARY THEME", None), ("Output Indicator", None),
    ("Outstanding", None),
])
def test_level_labels(label: str, level: Level | None) -> None:
    assert parse_level(label) is level


def test_wur_logframe_levels_objectives_and_packed_indicators(realdata: Path) -> None:
    reading = _read(realdata / WUR)
    assert [lf.sheet for lf in reading.logframes] == [
        f"Logical framework - WP{n}" for n in range(1, 6)] + ["Logical framework - complete"]
    wp1 = _sheet(reading, "Logical framework - WP1")
    assert wp1.layout == "logframe table" and not wp1.has_verification
    levels = [r.level for r in wp1.rows]
    assert levels.count(Level.GOAL) == 2 and levels.count(Level.PURPOSE) == 8
    assert levels.count(Level.OUTPUT) == 21
    goal = wp1.rows[1]  # above the header: 'Impact/ ultimate outcome' in B4, statement in C4
    assert goal.level_text == "Impact/ ultimate outcome"
    assert goal.summary.startswith("Increased agricultural productivity")
    assert wp1.rows[0].summary.startswith("to develop sustainable land-, soil-, crop")
    # C13: five indicators in one cell, each with its own baseline, prose target and flag
    local = _row(wp1, "5. LSC hubs are used at local level")
    assert local.level_text.startswith("Medium-term effect / Specific objective")
    assert [i.line for i in local.indicators] == [f"line {n} of 5" for n in range(1, 6)]
    assert [i.target for i in local.indicators] == [400000, 3000000, 9000, 3, 6]
    assert local.indicators[0].target_text.startswith("> 400,000 farmers (Ethiopia")
    assert local.indicators[2].target_text == "9000 (3000 per country)"
    assert [i.baseline for i in local.indicators] == [0] * 5
    assert [i.achieved for i in local.indicators] == [0] * 5
    assert [i.status for i in local.indicators] == [Rag.AMBER] * 5  # 'R' is at risk
    assert all(i.source and i.source.cell == "D13" for i in local.indicators)
    # C10: four indicators, flags Y N N N
    method = _row(wp1, "2. A (proven) effective methodology")
    assert [i.status for i in method.indicators] == [Rag.GREEN, Rag.RED, Rag.RED, Rag.RED]
    assert [i.achieved for i in method.indicators] == [0, 0, 2, 2]
    # D14: one indicator (its comment's two paragraphs do not make it two)
    platforms = _row(wp1, "The strategy developed during the Action")
    assert platforms.level_text == "Other Outcomes"
    assert len(platforms.indicators) == 1
    only = platforms.indicators[0]
    assert (only.baseline, only.target, only.achieved, only.status) == (0, 3, 0, Rag.AMBER)
    assert only.target_text == "3 (1 platform per country)"
    # an output: 'Output 2.3' packs three targets written with their units
    fgd = _row(wp1, "Output 2.3")
    assert [(i.target, i.target_text, i.achieved) for i in fgd.indicators] == [
        (10, "10 FGDs", 0), (2, "2 workshops", 6), (3, "3 country documents", 2)]


def test_wur_header_at_row_3_and_the_dated_achieved_column(realdata: Path) -> None:
    reading = _read(realdata / WUR)
    wp5 = _sheet(reading, "Logical framework - WP5")
    assert [r.level for r in wp5.rows][:2] == [Level.GOAL, Level.PURPOSE]
    assert _row(wp5, "Output 3.6").indicators[1].name.startswith(
        "Number of training documents")
    complete = _sheet(reading, "Logical framework - complete")
    dashboard = _row(complete, "1. A clear overview").indicators[1]
    assert dashboard.name.startswith("An online monitoring dashboard")
    assert (dashboard.target, dashboard.achieved, dashboard.status) == (1, 1, Rag.GREEN)
    # WUR has no means-of-verification or assumptions column: nothing asked of them
    assert not any(i.code in ("logframe-no-verification", "logframe-no-assumptions")
                   for i in reading.issues)
    # no Activities in this logframe, but every level it must have is there
    assert not any(i.code == "logframe-level-missing" for i in reading.issues)


def test_case_06_merged_levels_quarterly_targets_verification_and_assumptions(
        realdata: Path) -> None:
    reading = _read(realdata / CASE06)
    (lf,) = reading.logframes
    assert [(r.level, r.level_text, r.summary, len(r.indicators)) for r in lf.rows] == [
        (Level.PURPOSE, "Outcome", "Survivors are safeguarded and supported", 3),
        (Level.OUTPUT, "Output", "Frontline staff can spot exploitation", 2)]
    supported, safer, nrm = lf.rows[0].indicators
    assert (supported.name, supported.baseline, supported.verification) == (
        "No. of survivors supported", 30, "Case records")
    assert [(m.label, m.value) for m in supported.milestones] == [
        (f"Target 2024/25 Q{q}", 10) for q in range(1, 5)]
    assert [m.value for m in safer.milestones] == [0.6, 0.6, 0.7, 0.7]
    assert safer.baseline is None and nrm.verification == "NRM returns"
    assert lf.rows[0].assumptions == "Partners keep sharing data"
    assert lf.rows[1].assumptions == "Staff released for training"  # merged J6:J7
    codes = _codes(reading)
    assert ("Logframe", "", "logframe-level-missing") in codes  # no Goal
    # D4 is blank: the baseline is missing; the targets spread over quarters count
    assert ("Logframe", "C4", "logframe-indicator-incomplete") in codes
    assert ("Logframe", "C3", "logframe-indicator-incomplete") not in codes
    message = next(i.message for i in reading.issues if i.cell == "C4")
    assert message == "'% who feel safer (survey)' (Outcome) has no baseline."


def test_dfid_results_framework_structure(realdata: Path) -> None:
    reading = _read(realdata / DFID)
    (lf,) = reading.logframes
    assert lf.layout == "results framework" and lf.sheet == "RESULTS FRAMEWORK"
    assert reading.found == [
        f"{level} indicator block in 'RESULTS FRAMEWORK' at B{row}: empty"
        for level, row in (("Goal", 2), ("Purpose", 6), ("Purpose", 10), ("Purpose", 14),
                           ("Output", 18), ("Output", 22))]
    # one objective per level label (IMPACT, OUTCOME, OUTPUT), its statement the cell below
    assert [(r.level, r.level_text, r.source.cell if r.source else "") for r in lf.rows] == [
        (Level.GOAL, "IMPACT", "A3"), (Level.PURPOSE, "OUTCOME", "A7"),
        (Level.OUTPUT, "OUTPUT", "A19")]
    assert [i.code for i in reading.issues] == ["logframe-empty"]


def test_a_filled_dfid_framework_reads_every_block(realdata: Path, tmp_path: Path) -> None:
    path = tmp_path / "results framework.xlsx"
    shutil.copyfile(realdata / DFID, path)
    book = openpyxl.load_workbook(path)
    ws = book["RESULTS FRAMEWORK"]
    for cell, value in {
        "A3": "Fewer people exploited in Northshire", "B3": "Estimated victims (per 100,000)",
        "C3": 12, "D3": 11, "E3": 10, "F3": "8 (by March 2028)", "C5": "Home Office estimate",
        "A7": "Survivors are found and supported sooner", "B7": "NRM referrals by partners",
        "C7": 40, "F7": 60, "C9": "NRM statistics", "A11": "Protect",
        "B11": "Survivors still in support after 90 days", "C11": 0.5, "F11": 0.75,
        "C13": "Case records", "A19": "Frontline staff can spot exploitation",
        "B19": "Staff trained", "C19": 0, "D19": 100, "F19": 200, "C21": "Attendance lists",
    }.items():
        ws[cell] = value
    book.save(path)
    reading = _read(path)
    (lf,) = reading.logframes
    goal, purpose, output = lf.rows
    assert goal.summary == "Fewer people exploited in Northshire"
    (estimate,) = goal.indicators
    assert (estimate.name, estimate.baseline, estimate.target, estimate.target_text) == (
        "Estimated victims (per 100,000)", 12, 8, "8 (by March 2028)")
    assert [(m.label, m.value) for m in estimate.milestones] == [
        ("Milestone 1", 11), ("Milestone 2", 10)]
    assert estimate.verification == "Home Office estimate"
    assert [i.name for i in purpose.indicators] == [
        "NRM referrals by partners", "Survivors still in support after 90 days"]
    assert [i.verification for i in purpose.indicators] == ["NRM statistics", "Case records"]
    assert purpose.details == {"Primary theme": "Protect"}
    assert (output.indicators[0].target, output.indicators[0].verification) == (
        200, "Attendance lists")
    assert not [i for i in reading.issues if i.severity.value != "info"]
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "results framework in 'RESULTS FRAMEWORK': 1 Goal, 1 Purpose, 1 Output; " \
           "4 indicators" in " ".join(result.output.split())
    assert "row-rejected" not in result.output  # 'Source' captions are labels, not rows
    assert "number-unreadable" not in result.output  # ... even beside a merged indicator


def test_xlperf_logframe_template_checks_the_chain(tmp_path: Path) -> None:
    path = tmp_path / "logframe.xlsx"
    write_template(TEMPLATES["logframe"], path, RULES, Fill(tables={"Logframe": [
        {"lf_ref": "1", "level": "Goal", "summary": "Fewer people exploited in Northshire",
         "achievement": "PI-05"},
        {"lf_ref": "1.1", "level": "Purpose", "summary": "Survivors are supported sooner",
         "achievement": "PI-01\nPI-03", "lf_verification": "NRM statistics\nCase records",
         "assumptions": "Partners keep sharing data"},
        {"lf_ref": "1.1.1", "level": "Output", "summary": "Staff can spot exploitation"},
        {"lf_ref": "2.1.1", "level": "Activity", "summary": "Run training sessions"},
    ]}))
    reading = _read(path)
    (lf,) = reading.logframes
    assert lf.layout == "xlperf logframe"
    purpose = lf.rows[1]
    assert [(i.name, i.verification) for i in purpose.indicators] == [
        ("PI-01", "NRM statistics"), ("PI-03", "Case records")]
    codes = _codes(reading)
    # each at the cell to fix: Indicators of achievement (D), Risks and assumptions (F),
    # Ref (A)
    assert codes >= {("Logframe", "D4", "logframe-not-measurable"),  # the Output
                     ("Logframe", "F4", "logframe-no-assumptions"),
                     ("Logframe", "A5", "logframe-ref-orphan")}  # 2.1.1 has no 2.1
    assert ("Logframe", "D5", "logframe-not-measurable") not in codes  # an activity
    assert not any(i.code == "logframe-level-missing" for i in reading.issues)


def _consolidate(examples: Path, tmp_path: Path, logframe: Path) -> tuple[int, Path, str]:
    out = tmp_path / "partnership.xlsx"
    result = CliRunner().invoke(app, [
        "consolidate", str(examples / "returns"), "-o", str(out), "--as-of", "14/10/2025",
        "--framework", str(examples / "indicator_framework.xlsx"),
        "--logframe", str(logframe)])
    return result.exit_code, out, result.output


def _sheet_rows(path: Path, name: str) -> list[dict[str, object]]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_example_logframe_along_the_results_chain(examples: Path, tmp_path: Path) -> None:
    code, out, output = _consolidate(examples, tmp_path, examples / "logframe.xlsx")
    assert code == 1, output  # the example returns carry errors on purpose
    issues = [r for r in _sheet_rows(out, "Issues") if str(r["Code"]).startswith("logframe")]
    # the Goal is measured by recorded crimes: an output count, not an impact
    assert [(r["Sheet"], r["Cell"], r["Code"]) for r in issues] == [
        ("Logframe", "D2", "logframe-level-mismatch")]
    logframe = _sheet_rows(out, "Logframe")
    assert [(r["Level"], r["Ref"]) for r in logframe] == [
        ("Goal", "1"), ("Purpose", "1.1"), ("Output", "1.1.1"), ("Output", "1.1.2"),
        ("Activity", "1.1.1.1"), ("Activity", "1.1.2.1")]
    nrm = logframe[3]
    # NRM referrals, Q2 2025/26: police 17 + council 4 + Haven 6 = 27; year to date adds
    # Q1's 13 + 3 + 5 = 21, so 48 against 100 a year pro rata to September: 50, 96%
    assert nrm["Indicator"] == "PI-01: NRM referrals made"
    assert (nrm["Actual"], nrm["Year to date"], nrm["Target to date"], nrm["% of target"],
            nrm["RAG"]) == (27, 48, 50, 96, "Green")
    assert (nrm["Baseline"], nrm["Target"], nrm["Means of verification"]) == (
        40, 100, "NRM statistics; agency case records")
    training = logframe[2]  # a proportion: (420 + 1240) / (1200 + 4100) = 31.3%
    assert (training["Baseline"], training["Target"], training["Actual"]) == ("10%", "50%", 31.3)


def test_a_logframe_naming_an_indicator_the_framework_lacks(examples: Path,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "logframe.xlsx"
    write_template(TEMPLATES["logframe"], path, RULES, Fill(tables={"Logframe": [
        {"lf_ref": "1", "level": "Goal", "summary": "Fewer people exploited",
         "achievement": "PI-03", "lf_verification": "Case records"},
        {"lf_ref": "1.1", "level": "Purpose", "summary": "Survivors recover",
         "achievement": "PI-09", "assumptions": "Funding holds",
         "lf_verification": "Survey"},
        {"lf_ref": "1.1.1", "level": "Output", "summary": "Referrals made",
         "achievement": "PI-01", "assumptions": "Staff trained",
         "lf_verification": "NRM statistics"}]}))
    _code, out, output = _consolidate(examples, tmp_path, path)
    found = {(r["Cell"], r["Code"]) for r in _sheet_rows(out, "Issues")
             if str(r["Code"]).startswith("logframe")}
    assert found == {("D3", "logframe-link-broken")}, output


def test_a_real_logframe_with_several_sheets_is_taken_from_its_first(
        examples: Path, tmp_path: Path, realdata: Path) -> None:
    _code, out, output = _consolidate(examples, tmp_path, realdata / WUR)
    assert "holds 6 logframes (one per sheet); using the one in 'Logical framework - WP1'" \
        in " ".join(output.split())
    logframe = _sheet_rows(out, "Logframe")
    platforms = next(r for r in logframe if str(r["Objective"]).startswith("The strategy"))
    assert (platforms["Target"], platforms["Achieved (as in the logframe)"]) == (
        "3 (1 platform per country)", 0)
    issues = {r["Code"] for r in _sheet_rows(out, "Issues")}
    assert "logframe-link-broken" in issues  # its indicators are not the partnership's


def test_consolidate_refuses_a_workbook_with_no_logframe(examples: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "xlperf", "consolidate", str(examples / "returns"), "-o",
         str(tmp_path / "out.xlsx"), "--logframe",
         str(examples / "returns" / "police_2025-26_Q1.xlsx")],
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 2
    assert "holds no logframe xlperf recognises" in " ".join(result.stderr.split())
    assert not (tmp_path / "out.xlsx").exists()


def test_misspelt_levels_duplicate_refs_and_placeholder_baselines(tmp_path: Path) -> None:
    path = tmp_path / "logframe.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Results"
    for row in (["Ref", "Level", "Objective", "Indicator", "Baseline", "Target",
                 "Means of verification"],
                ["1", "Goal", "Fewer people exploited", "Prevalence estimate", 12, 8, "HO"],
                ["1.1", "Purpse", "Survivors recover", "Survivors in support", "n/a", 40,
                 "Case records"],
                ["1.1", "Output", "Staff trained", "Staff trained", 0, 300, "Registers"]):
        ws.append(row)
    book.save(path)
    reading = _read(path)
    assert len(reading.logframes) == 1
    messages = {(i.cell, i.code): i.message for i in reading.issues}
    assert messages[("C3", "logframe-level-unknown")].startswith(
        "'Purpse' is not a logframe level (for 'Survivors recover'). Did you mean Purpose?")
    assert ("C4", "logframe-ref-duplicate") in messages
    # 'n/a' is no baseline
    assert messages[("D3", "logframe-indicator-incomplete")].endswith("has no baseline.")


def test_checking_a_logframe_table_asks_nothing_of_it_as_a_return(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["Level", "Objective", "Indicator", "Baseline", "Target"],
                ["Goal", "Fewer people exploited", "Prevalence estimate", 12, "8 by 2028"],
                ["Purpose", "Survivors recover", "Survivors in support", "about 30", 40],
                ["Output", "Staff trained", None, None, None],
                ["Activities", "Run training", None, None, None]):
        ws.append(row)
    book.save(path)
    result = CliRunner().invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output  # warnings only: no rejected rows
    text = " ".join(result.output.split())
    assert "row-rejected" not in text and "agency-missing" not in text
    assert "logframe-not-measurable" in text  # the Output has no indicator


def test_check_with_the_framework_follows_the_logframes_links(examples: Path) -> None:
    result = CliRunner().invoke(app, ["check", str(examples / "logframe.xlsx"), "--json",
                                      "--framework", str(examples / "indicator_framework.xlsx")])
    import json

    found = {(i["cell"], i["code"]) for i in json.loads(result.output)}
    assert ("D2", "logframe-level-mismatch") in found  # the example's deliberate slip
    assert not any(code == "logframe-link-broken" for _, code in found)


def test_level_ref_objective_columns_in_that_order(tmp_path: Path) -> None:
    path = tmp_path / "lf.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    for row in (["Level", "Ref", "Objective", "Indicators", "Baseline", "Target",
                 "Assumptions"],
                ["Goal", "1", "Fewer people exploited", "Prevalence estimate", 12, 8, ""],
                ["Purpose", "1.1", "Survivors recover", "Survivors in support", 20, 40,
                 "Funding holds"],
                ["Output", "1.1.1", "Staff trained", "Staff trained", 0, 300, "Release"],
                ["Output", "1.1.1", "Pathway published", "Pathway live", 0, 1, "Sign-off"]):
        ws.append(row)
    book.save(path)
    reading = _read(path)
    (lf,) = reading.logframes
    assert [(r.ref, r.summary) for r in lf.rows] == [
        ("1", "Fewer people exploited"), ("1.1", "Survivors recover"),
        ("1.1.1", "Staff trained"), ("1.1.1", "Pathway published")]
    assert lf.rows[3].assumptions == "Sign-off"
    assert any(i.code == "logframe-ref-duplicate" for i in reading.issues)
