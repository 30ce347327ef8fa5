"""Finding tables in partners' sheets by their header text, and reading their rows."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REALDATA
from xlperf.grid import CellValue, Sheet
from xlperf.tables import FoundTable, HeaderVocab, Record, find_tables, records

ACTIONS = HeaderVocab(
    fields={
        "ref": ["ref", "no.", "no", "id", "action id", "action no", "#"],
        "objective": ["objective", "outcome", "priority", "aim", "strategic objective"],
        "action": ["action", "activity", "task", "actions", "project name", "project",
                   "risk name", "deliverable", "milestone"],
        "owner": ["owner", "lead", "responsible", "lead agency", "responsible officer", "who"],
        "start": ["start", "start date"],
        "due": ["due", "due date", "deadline", "timescale", "target date", "completion date",
                "end date", "by when"],
        "status": ["status", "delivery status", "project delivery status"],
        "progress": ["progress", "% complete", "percent complete", "% progress"],
        "rag": ["rag", "rag status", "rating", "on track", "dca", "delivery (rag)", "confidence"],
        "comment": ["comment", "comments", "commentary", "update", "notes"],
    },
    anchor_fields=["action"],
    min_fields=2,
)
INDICATORS = HeaderVocab(
    fields={
        "indicator": ["indicator", "kpi", "measure", "output", "indicator name",
                      "performance indicator"],
        "baseline": ["baseline"],
        "target": ["target", "annual target"],
        "actual": ["actual", "achieved", "achieved up to now", "result", "total to date"],
        "rag": ["rag", "on track", "rating", "status"],
        "unit": ["unit", "unit of measure"],
    },
    anchor_fields=["indicator"],
    min_fields=2,
)
RISKS = HeaderVocab(
    fields={
        "risk": ["risk", "risk name", "risk title"],
        "category": ["category", "risk category"],
        "description": ["description"],
        "likelihood": ["likelihood", "likelihood score"],
        "impact": ["impact", "impact score"],
        "score": ["score", "total risk score"],
        "mitigation": ["mitigation", "mitigations"],
    },
    anchor_fields=["risk"],
)
VOCABS = {"actions": ACTIONS, "indicators": INDICATORS}

Merge = tuple[int, int, int, int]


def sheet(rows: Sequence[Sequence[CellValue]], merged: Sequence[Merge] = (), name: str = "Plan"
          ) -> Sheet:
    """A Sheet as a reader gives it: '' read as empty."""
    grid = [[None if v == "" else v for v in row] for row in rows]
    return Sheet(name, grid, merged=list(merged))


def one_table(s: Sheet, vocabs: dict[str, HeaderVocab] | None = None) -> FoundTable:
    tables = find_tables(s, vocabs or VOCABS)
    assert len(tables) == 1, [(t.kind, t.header_rows) for t in tables]
    return tables[0]


def field_values(s: Sheet, table: FoundTable, field: str) -> list[CellValue]:
    col = table.field_column(field)
    assert col is not None, f"no {field} column in {[c.title for c in table.columns]}"
    return [r.values[col.index] for r in records(s, table)]


def titles(table: FoundTable) -> list[str]:
    return [c.title for c in table.columns]


# --- headers anywhere ---------------------------------------------------------------------


def test_header_below_a_title_and_instructions_is_found_with_each_column_mapped() -> None:
    s = sheet([
        ["Anytown Modern Slavery Partnership: Action Plan 2024/25"],
        ["Please update the progress and the RAG status of every action your agency leads "
         "by the 5th working day of each month, and explain any Amber or Red rating."],
        [],
        [None, "Ref", "Action", "Lead agency", "Due date", "RAG status", "Comments"],
        [None, "1.1", "Train 200 frontline staff to spot exploitation", "Council",
         date(2024, 9, 30), "Green", "On track"],
        [None, "1.2", "Agree an information-sharing protocol", "Police", date(2024, 6, 30),
         "Amber", None],
        [None, "1.3", "Publish the referral pathway", "NHS", "Q3 2024/25", "Red", "Delayed"],
    ])
    table = one_table(s)
    assert (table.kind, table.header_rows) == ("actions", [3])
    assert (table.first_row, table.last_row) == (4, 6)
    fields = {c.title: c.field for c in table.columns}
    assert fields == {"Ref": "ref", "Action": "action", "Lead agency": "owner",
                      "Due date": "due", "RAG status": "rag", "Comments": "comment"}
    assert field_values(s, table, "action")[1] == "Agree an information-sharing protocol"
    assert field_values(s, table, "rag") == ["Green", "Amber", "Red"]


def test_the_most_specific_phrase_wins_and_each_field_takes_one_column() -> None:
    s = sheet([
        ["Action No.", "Project Name", "Project Delivery Status", "Risk Owner/Role",
         "Start Date -\n mmm/yy (e.g. Dec-22)", "Delivery (RAG)", "Spend (RAG)"],
        ["A1", "Marina Village", "2. Ongoing - on track", "Jo Bloggs", "Dec-22", "1", "2"],
    ])
    table = one_table(s)
    assert [c.field for c in table.columns] == [
        "ref", "action", "status", "owner", "start", "rag", None]


def test_a_data_row_of_numbered_items_is_not_taken_for_a_header() -> None:
    s = sheet([
        ["Project 6", "Marina Village", "Single", "No"],
        ["Project 7", "Local Cycling & Walking", "Multiple", "No"],
    ])
    assert find_tables(s, VOCABS) == []


# --- stacked headers ----------------------------------------------------------------------


LOGFRAME: list[list[CellValue]] = [
    ["Level", "Indicator", "Baseline", "Target 2024/25", None, None, None, "Means of verification"],
    [None, None, None, "Q1", "Q2", "Q3", "Q4", None],
    ["Outcome", "No. of survivors supported", 30, 10, 10, 10, 10, "Case records"],
    [None, "No. referred to NRM", 12, 5, 5, 5, 5, "NRM returns"],
]
LOGFRAME_MERGES = [(0, 3, 0, 6), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 7, 1, 7),
                   (2, 0, 3, 0)]


@pytest.mark.parametrize("merged", [LOGFRAME_MERGES, []], ids=["merged", "no-merges"])
def test_two_stacked_header_rows_are_joined_under_a_parent_spanning_columns(
    merged: list[Merge],
) -> None:
    s = sheet(LOGFRAME, merged)
    table = one_table(s)
    assert table.header_rows == [0, 1]
    assert titles(table)[3:7] == [f"Target 2024/25 Q{q}" for q in range(1, 5)]
    assert titles(table)[:3] == ["Level", "Indicator", "Baseline"]
    assert table.field_column("target") == table.columns[3]
    assert field_values(s, table, "indicator") == ["No. of survivors supported",
                                                   "No. referred to NRM"]


def test_dashboard_headers_without_merges_join_each_group_over_the_cells_beneath() -> None:
    s = sheet([
        ["Group", "Project name", "Change (£m)", None, "SRO Finance DCA", None, None],
        [None, None, "Against\nlast qtr", "Against\nbaseline", "This Qrt", "-3 mths", "Baseline"],
        [None, "Mars", -4.42, -4.42, "A/R", "A", "A"],
    ])
    table = one_table(s)
    assert titles(table)[2:5] == ["Change (£m) Against last qtr", "Change (£m) Against baseline",
                                  "SRO Finance DCA This Qrt"]
    assert field_values(s, table, "rag") == ["A/R"]


def test_a_second_row_of_numbers_is_data_not_a_header() -> None:
    s = sheet([
        ["Indicator", "Target 2024/25", None, None],
        ["Referrals to the NRM", 10, 20, 30],
    ])
    table = one_table(s)
    assert table.header_rows == [0]
    assert [r.values[1] for r in records(s, table)] == [10]


# --- merged labels and group labels -------------------------------------------------------


MERGED_LEVELS: list[list[CellValue]] = [
    ["Level", "Result", "Indicator", "Baseline", "Target"],
    ["Outcome", "Survivors are safeguarded", "No. of survivors supported", 30, 40],
    [None, None, "% who feel safer", None, 0.7],
    [None, None, "No. referred to NRM", 12, 20],
    [None, None, "No. of staff trained", 0, 50],
]


def test_a_merged_label_fills_only_the_rows_of_its_own_range() -> None:
    s = sheet(MERGED_LEVELS, [(1, 0, 3, 0), (1, 1, 3, 1)])
    rows = records(s, one_table(s))
    assert [r.values[0] for r in rows] == ["Outcome", "Outcome", "Outcome", None]
    assert [0 in r.filled for r in rows] == [False, True, True, False]
    assert rows[2].context == {"Level": "Outcome", "Result": "Survivors are safeguarded"}
    assert rows[3].context == {}
    # a genuinely blank cell inside the range's rows stays blank
    assert rows[1].values[3] is None and 3 not in rows[1].filled


def test_without_merges_nothing_is_filled_down() -> None:
    s = sheet(MERGED_LEVELS)
    rows = records(s, one_table(s))
    assert [r.values[0] for r in rows] == ["Outcome", None, None, None]
    assert all(not r.filled and not r.context for r in rows)


ACTION_PLAN: list[list[CellValue]] = [
    ["Ref", "Action", "Lead", "Timescale", "RAG"],
    ["Priority 1: Pursue"],
    ["Outcome 1.1: Fewer victims are exploited in the area"],
    ["1.1.1", "Run joint operations with the GLAA", "Police", "Q2 2024/25", "Green"],
    ["1.1.2", "Disrupt exploitation in hand car washes", "Police", "Ongoing", "Amber"],
    ["Priority 2: Prevent"],
    ["2.1", "Run a community awareness campaign", "Council", "March 2025", "Red"],
]


@pytest.mark.parametrize("merged", [[(1, 0, 1, 4), (2, 0, 2, 4), (5, 0, 5, 4)], []],
                         ids=["merged", "no-merges"])
def test_priority_and_outcome_rows_are_carried_to_each_action_below(merged: list[Merge]) -> None:
    s = sheet(ACTION_PLAN, merged)
    rows = records(s, one_table(s))
    assert [r.values[1] for r in rows] == ["Run joint operations with the GLAA",
                                          "Disrupt exploitation in hand car washes",
                                          "Run a community awareness campaign"]
    assert rows[1].context == {"Priority": "Pursue",
                               "Outcome": "Fewer victims are exploited in the area"}
    assert rows[2].context == {"Priority": "Prevent"}
    assert rows[2].values[0] == "2.1" and not rows[2].filled


def test_a_group_label_alone_in_its_column_is_carried_down_to_the_next_label() -> None:
    s = sheet([
        ["Group", "Project name", "Stage", "RAG"],
        ["Rail"],
        [None, "Crossrail", "FBC", "A/G"],
        [None, "HS2", "OBC", "R"],
        ["Roads"],
        [None, "A303", "SOBC", "A"],
    ])
    rows = records(s, one_table(s))
    assert [(r.values[1], r.context, r.values[0]) for r in rows] == [
        ("Crossrail", {"Group": "Rail"}, "Rail"),
        ("HS2", {"Group": "Rail"}, "Rail"),
        ("A303", {"Group": "Roads"}, "Roads"),
    ]
    assert all(0 in r.filled for r in rows)


# --- several tables in a sheet ------------------------------------------------------------


def test_an_action_table_and_a_kpi_table_one_under_the_other() -> None:
    s = sheet([
        ["Action", "Owner", "RAG"],
        ["Train frontline staff", "Council", "Green"],
        ["Agree a protocol", "Police", "Amber"],
        [],
        ["Key performance indicators"],
        [],
        ["KPI", "Baseline", "Target", "Actual"],
        ["Referrals to the NRM", 40, 60, 52],
        ["Survivors in safe housing", 10, 15, 16],
    ])
    actions, kpis = find_tables(s, VOCABS)
    assert (actions.kind, actions.last_row, kpis.kind, kpis.header_rows) == (
        "actions", 2, "indicators", [6])
    assert field_values(s, actions, "action") == ["Train frontline staff", "Agree a protocol"]
    assert field_values(s, kpis, "actual") == [52, 16]


def test_a_rag_guidance_block_to_the_right_does_not_join_the_main_table() -> None:
    s = sheet([
        ["Ref", "Action", "Owner", "Delivery (RAG)", None, "RAG Guidance", None],
        ["B1", "Train frontline staff", "Council", 3, None, "Delivery", "Score"],
        ["B2", "Agree a protocol", "Police", 1, None, "Major issues", 5],
        ["B3", "Publish the pathway", "NHS", 2, None, "No problems", 1],
    ], merged=[(0, 5, 0, 6)])
    table = one_table(s)
    assert [c.index for c in table.columns] == [0, 1, 2, 3]
    assert field_values(s, table, "rag") == [3, 1, 2]


def test_two_tables_side_by_side_are_found_separately() -> None:
    s = sheet([
        ["Action", "Owner", "RAG", None, None, "Indicator", "Target", "Actual"],
        ["Train frontline staff", "Council", "Green", None, None, "Staff trained", 200, 150],
        ["Agree a protocol", "Police", "Amber", None, None, "Protocols signed", 1, 0],
    ])
    actions, kpis = find_tables(s, VOCABS)
    assert [c.index for c in actions.columns] == [0, 1, 2]
    assert [c.index for c in kpis.columns] == [5, 6, 7]
    assert field_values(s, kpis, "indicator") == ["Staff trained", "Protocols signed"]


def test_the_same_table_repeated_down_a_sheet_gives_one_table_per_repetition() -> None:
    rows: list[list[CellValue]] = []
    for project in (1, 2, 3):
        rows += [
            [f"Project {project}:", f"Town centre scheme {project}"],
            [],
            ["No.", "Risk name", "Risk owner", "Mitigation"],
            [1, f"Cost escalation {project}", "Finance lead", "Fixed-price contract"],
            [2, f"Planning delay {project}", "Planning lead", "Early engagement"],
            ["END", "END", "END", "END"],
            [],
        ]
    s = sheet(rows)
    tables = find_tables(s, VOCABS)
    assert [(t.header_rows, t.first_row, t.last_row) for t in tables] == [
        ([2], 3, 4), ([9], 10, 11), ([16], 17, 18)]
    assert [t.caption for t in tables] == [f"Project {p}: Town centre scheme {p}"
                                           for p in (1, 2, 3)]
    assert field_values(s, tables[2], "action") == ["Cost escalation 3", "Planning delay 3"]


def test_a_repeated_header_with_no_end_marker_still_starts_a_new_table() -> None:
    s = sheet([
        ["No.", "Risk name", "Risk owner"],
        [1, "Cost escalation", "Finance lead"],
        [],
        ["Project 2:", "Marina Village"],
        [],
        ["No.", "Risk name", "Risk owner"],
        [1, "Planning delay", "Planning lead"],
    ])
    first, second = find_tables(s, VOCABS)
    assert (first.last_row, second.first_row) == (1, 6)
    assert [r.row for r in records(s, first)] == [1]


# --- rows that are not data ---------------------------------------------------------------


def test_a_guidance_row_under_the_header_is_skipped_and_recorded() -> None:
    s = sheet([
        ["Action", "Owner", "Due date", "Status"],
        ["Describe the action in one sentence", "Select the lead agency from the drop-down list",
         "Enter the date the action should be complete by (dd/mm/yyyy)",
         "Choose one of: not started, in progress, complete"],
        ["Train frontline staff", "Council", date(2024, 9, 30), "In progress"],
    ])
    table = one_table(s)
    assert table.skipped_rows == [(1, "guidance")]
    assert field_values(s, table, "owner") == ["Council"]


def test_a_machine_tag_row_under_the_header_is_skipped() -> None:
    s = sheet([
        ["Indicator name", "Baseline", "Target"],
        ["indicator_name", "baseline_value", "target_value"],
        ["Referrals to the NRM", 40, 60],
    ])
    table = one_table(s)
    assert table.skipped_rows == [(1, "machine tags")]
    assert field_values(s, table, "target") == [60]


def test_an_example_row_is_returned_and_flagged() -> None:
    s = sheet([
        ["No.", "Risk name", "Risk owner"],
        [0, "Example of how to complete >", "Project manager"],
        [1, "Cost escalation", "Finance lead"],
        [2, "e.g. Staff turnover", "HR lead"],
    ])
    rows = records(s, one_table(s))
    assert [r.is_example for r in rows] == [True, False, True]


def test_placeholders_are_emptied_and_listed_and_blank_rows_skipped() -> None:
    s = sheet([
        [None, "Project name", "Delivery status", "RAG"],
        ["B1", "Marina Village", "2. Ongoing - on track", "Green"],
        ["B2", None, "< Select >", "< Select >"],
        [],
        ["B3", None, "< Select >", "< Select >"],
        ["END", "END", "END", "END"],
        ["B4", "Not part of the table", None, None],
    ])
    table = one_table(s)
    rows = records(s, table)
    assert [r.row for r in rows] == [1, 2, 4]
    assert table.columns[0].title == "" and table.columns[0].index == 0
    assert rows[1].values == {0: "B2", 1: None, 2: None, 3: None}
    assert rows[1].placeholders == {2: "< Select >", 3: "< Select >"}


def test_a_rag_key_below_the_table_is_not_read_as_actions() -> None:
    s = sheet([
        ["Ref", "Action", "Owner", "RAG"],
        ["1", "Train frontline staff", "Council", "Green"],
        [],
        ["RAG key"],
        ["Red", "Behind schedule"],
        ["Green", "On track or complete"],
    ])
    assert [r.values[1] for r in records(s, one_table(s))] == ["Train frontline staff"]


def test_blank_rows_inside_a_table_do_not_split_it_but_a_block_after_a_long_gap_ends_it() -> None:
    s = sheet([
        ["Ref", "Action", "Owner", "RAG"],
        ["1", "Train frontline staff", "Council", "Green"],
        [],
        [],
        ["2", "Agree a protocol", "Police", "Amber"],
        [],
        [],
        [],
        [None, "Lookup lists"],
        [None, "Police"],
        [None, "Council"],
    ])
    table = one_table(s)
    assert field_values(s, table, "action") == ["Train frontline staff", "Agree a protocol"]
    assert table.last_row == 4


def test_six_thousand_rows_are_read_well_under_a_second() -> None:
    body: list[list[CellValue]] = [
        [f"{i}", f"Action number {i} for the partnership", "Police" if i % 2 else "Council",
         date(2025, 1 + i % 12, 1), ["Red", "Amber", "Green"][i % 3], f"Update {i}", i % 100, None]
        for i in range(6000)
    ]
    s = sheet([["Ref", "Action", "Owner", "Due", "RAG", "Comments", "% complete", "Notes"], *body])
    started = time.perf_counter()
    table = one_table(s)
    rows = records(s, table)
    assert time.perf_counter() - started < 1.0
    assert len(rows) == 6000 and rows[-1].values[1] == "Action number 5999 for the partnership"


# --- real files ---------------------------------------------------------------------------


def _realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"real inputs not found at {REALDATA}")
    return REALDATA


def load(relative: str, sheet_name: str) -> Sheet:
    """A sheet of a real file, read by xlperf's reader (merged ranges included)."""
    from xlperf.read import read_workbook

    book = read_workbook(_realdata() / relative)
    found = book.sheet(sheet_name)
    assert found is not None, [s.name for s in book.sheets]
    return found


def texts(rows: list[Record], col: int) -> list[str]:
    return [" ".join(str(r.values[col]).split()) for r in rows]


def test_case_06_logframe_joins_targets_and_fills_the_merged_level() -> None:
    s = load("cases/06_logframe_merged_labels_and_two_row_header.xlsx", "Logframe")
    assert (0, 0, 4, 0) not in s.merged and (2, 0, 4, 0) in s.merged  # A3:A5 merged
    table = one_table(s)
    assert titles(table)[4:8] == [f"Target 2024/25 Q{q}" for q in range(1, 5)]
    rows = records(s, table)
    assert len(rows) == 5
    assert [r.values[0] for r in rows] == ["Outcome", "Outcome", "Outcome", "Output", "Output"]
    assert rows[1].context["Level"] == "Outcome" and 0 in rows[1].filled
    # D4 (baseline of '% who feel safer') is blank and not merged: it stays blank
    assert rows[1].values[3] is None and 3 not in rows[1].filled


def test_cases_03_and_05_small_tables() -> None:
    s = load("cases/05_four_rows_but_used_range_to_row_1048576.xlsx", "KPIs")
    kpis = one_table(s)
    assert kpis.kind == "indicators"
    assert field_values(s, kpis, "indicator") == [
        "Referrals to NRM", "Survivors in safe accommodation", "Multi-agency meetings held"]
    s = load("cases/03_x14_dropdown_and_databar_lost_on_save.xlsx", "Action plan")
    actions = one_table(s)
    assert field_values(s, actions, "rag") == ["Green", "Amber", "Red"]


def test_dft_dashboard_finance_projects_under_their_group() -> None:
    s = load("files/dft_portfolio_dashboard_master_rag.xlsx", "Finance")
    table = one_table(s)
    rag = table.field_column("rag")
    assert rag is not None and rag.title == "SRO Finance DCA This Qrt"
    rows = records(s, table)
    assert [r.values[rag.index] for r in rows] == ["A", "A/G", "A/R", "R", "G"]
    assert [r.values[2] for r in rows] == ["Mars", "Sea of Tranquility", "Apollo 13",
                                           "Falcon 9", "Columbia"]
    assert {r.context["Group"] for r in rows} == {"Roads, Places and Environment"}
    assert rows[0].placeholders == {6: "-", 7: "-"}  # '-' for no change


def test_towns_fund_programme_progress_keeps_placeholder_rows_and_ends_at_end() -> None:
    s = load("files/mhclg_towns_fund_round7_monitoring_return.xlsx", "3 - Programme Progress")
    table = one_table(s)
    assert table.header_rows == [18]
    assert max(c.index for c in table.columns) < 16  # the RAG guidance (Q:V) stays out
    rows = records(s, table)
    assert texts(rows, 1) == [f"B{i}" for i in range(1, 21)]
    real = [r for r in rows if r.values[2] is not None]
    assert len(real) == 8 and real[0].values[2] == "Barrow Learning Quarter - Barrow Island Campus"
    assert all(r.placeholders and not r.is_example for r in rows[8:])
    assert table.last_row == 38 and s.value(40, 1) == "END"


def test_towns_fund_risk_register_repeats_the_table_for_each_project() -> None:
    s = load("files/mhclg_towns_fund_round7_monitoring_return.xlsx", "7 - Risk Register")
    tables = find_tables(s, VOCABS)
    assert len(tables) == 21  # programme risks, then projects 1 to 20
    assert tables[1].caption.startswith("Project 1: Barrow Learning Quarter")
    for table in tables:
        rows = records(s, table)
        assert rows[0].is_example and not any(r.is_example for r in rows[1:])
    first_project = records(s, tables[1])
    assert texts(first_project[1:], 2) == ["Student Recruitment", "Cost Escalation",
                                           "Access Road Upgrades"]
    # the lookup lists below the last table are not risks
    assert tables[-1].last_row < 180


def test_risk_list_with_guidance_row_and_table_markers() -> None:
    s = load("files/mhclg_risks_validation_example.xlsx", "Risks")
    table = one_table(s, {"risks": RISKS})
    assert table.header_rows == [3] and table.skipped_rows == [(4, "guidance")]
    rows = records(s, table)
    assert texts(rows[:3], 1) == ["Lack of funding", "Cannot procure", "Staff turnover"]
    assert [r.placeholders for r in rows[3:]] == [{2: "< Select >", 4: "< Select >",
                                                   5: "< Select >"}] * 2
    assert table.last_row == 9 and s.value(10, 7) == "TABLE001E"


def test_wur_logframe_header_at_row_8_and_at_row_3() -> None:
    s = load("files/wur_issd_africa_logframe_progress.xlsx", "Logical framework - WP1")
    table = one_table(s)
    assert table.header_rows == [7]
    assert {c.field: c.title for c in table.columns if c.field} == {
        "indicator": "Indicator", "baseline": "Baseline", "target": "Target",
        "actual": "Achieved up to now", "rag": "ON TRACK YES/NO or at RISK"}
    rows = records(s, table)
    other = [r for r in rows if r.context.get("Column B") == "Other Outcomes"]
    assert [r.row + 1 for r in other] == [14, 15, 16]
    assert other[2].values[3] == "Number of PhD students trained"
    wp5 = load("files/wur_issd_africa_logframe_progress.xlsx", "Logical framework - WP5")
    assert one_table(wp5).header_rows == [2]
