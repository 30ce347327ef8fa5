"""Raw cell values read the way a UK partnership means them (xlperf.values, xlperf.periods)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import REALDATA
from xlperf.values import (
    DateValue,
    Parsed,
    Rag,
    RagVocabulary,
    financial_year,
    fy_quarter,
    parse_date,
    parse_number,
    parse_percent,
    parse_period,
    parse_rag,
    parse_text,
    parse_yes_no,
)

CODES = {
    "date-unreadable", "date-impossible", "date-month-first", "date-ambiguous-year",
    "period-unreadable", "rag-unknown", "percent-out-of-range", "number-unreadable",
    "yes-no-unreadable",
}  # fmt: skip


def day(y: int, m: int, d: int) -> DateValue:
    return DateValue.of_day(date(y, m, d))


month, quarter = DateValue.of_month, DateValue.of_quarter
fy, year = DateValue.of_fy, DateValue.of_year


# ---- dates ---------------------------------------------------------------

DATES = [
    (date(2025, 4, 3), day(2025, 4, 3)),
    (datetime(2025, 4, 3, 14, 30), day(2025, 4, 3)),
    ("03/04/2025", day(2025, 4, 3)),  # day first: 3 April, never 4 March
    ("3/4/25", day(2025, 4, 3)),
    ("03-04-2025", day(2025, 4, 3)),
    ("03.04.2025", day(2025, 4, 3)),
    ("31/12/2024", day(2024, 12, 31)),
    ("29/02/2024", day(2024, 2, 29)),
    ("  01/05/2025 ", day(2025, 5, 1)),
    ("2025-01-15", day(2025, 1, 15)),
    ("2025-01-15T10:30:00", day(2025, 1, 15)),
    ("2025-01-15 10:30", day(2025, 1, 15)),
    ("3 April 2025", day(2025, 4, 3)),
    ("3rd Apr 2025", day(2025, 4, 3)),
    ("Thursday 3 April 2025", day(2025, 4, 3)),
    ("03-Apr-25", day(2025, 4, 3)),
    ("April 3, 2025", day(2025, 4, 3)),
    ("June 2016", month(2016, 6)),
    ("Sept 2016", month(2016, 9)),
    ("Sep-16", month(2016, 9)),
    ("Mar-25", month(2025, 3)),
    ("March 25", month(2025, 3)),  # month and two-digit year, as Excel shows mmm-yy
    ("03/2025", month(2025, 3)),
    ("2025-03", month(2025, 3)),
    ("by December 2018", month(2018, 12)),
    ("end of March 2019", month(2019, 3)),
    ("By the end of March 2019", month(2019, 3)),
    ("Q3 2024/25", quarter(2024, 3)),
    ("2024/25 Q3", quarter(2024, 3)),
    ("Q3 24/25", quarter(2024, 3)),
    ("Q3 2024-25", quarter(2024, 3)),
    ("Q3 FY24/25", quarter(2024, 3)),
    ("FY2025/26 Q2", quarter(2025, 2)),
    ("Quarter 1 2025/26", quarter(2025, 1)),
    ("Q1 2025", quarter(2024, 4)),  # one year written: calendar quarter Jan-Mar 2025
    ("Q4 2025", quarter(2025, 3)),  # Oct-Dec 2025
    ("Apr-Jun 2025", quarter(2025, 1)),
    ("Jan-Mar 2025", quarter(2024, 4)),
    ("Apr 2024 - Mar 2025", fy(2024)),
    ("2025", year(2025)),
    ("by 2025", year(2025)),
    ("2018/19", fy(2018)),
    ("2018-19", fy(2018)),
    ("2018-2019", fy(2018)),
    ("FY2018/19", fy(2018)),
    ("1999/00", fy(1999)),
    ("2002-03", fy(2002)),  # next-year suffix: a financial year, not March 2002
    (45383, day(2024, 4, 1)),
    (45383.0, day(2024, 4, 1)),
    (45383.75, day(2024, 4, 1)),  # a serial with a time of day
    ("45383", day(2024, 4, 1)),
    (2025, year(2025)),  # a whole number 1900-2100 is a year, not 17/07/1905
    (2025.0, year(2025)),
]


@pytest.mark.parametrize(("raw", "expected"), DATES, ids=[repr(r) for r, _ in DATES])
def test_parse_date_reads_uk_dates_with_their_precision(raw: object, expected: DateValue) -> None:
    assert parse_date(raw) == Parsed(expected)


def test_serial_in_the_1904_date_system_is_four_years_later() -> None:
    assert parse_date(43921, date1904=True).value == day(2024, 4, 1)
    assert parse_date(43921).value == day(2020, 3, 31)


DATE_PROBLEMS = [
    ("31/02/2025", "date-impossible", "February 2025 has 28 days"),
    ("29/02/2023", "date-impossible", "February 2023 has 28 days"),
    ("00/01/2025", "date-impossible", "no day 0"),
    ("13/13/2025", "date-impossible", "no month 13"),
    ("2025-02-30", "date-impossible", "February 2025 has 28 days"),
    (60, "date-impossible", "29/02/1900"),
    ("12/13/14", "date-month-first", "only valid month-first (13 December 2014)"),
    ("12/13/2014", "date-month-first", "write it day-first: 13/12/2014"),
    ("01/02/75", "date-ambiguous-year", "1975 or 2075"),
    ("FY25", "date-ambiguous-year", "either year"),
    ("Q1 FY2025", "date-ambiguous-year", "2024/25"),
    ("ongoing", "date-unreadable", "set a review date"),
    ("On-going review", "date-unreadable", "set a review date"),
    ("continuous", "date-unreadable", "set a review date"),
    ("as required", "date-unreadable", "set a review date"),
    ("within 12 months", "date-unreadable", "start that is not written"),
    ("Q3", "date-unreadable", "quarter without its year"),
    ("March", "date-unreadable", "month without its year"),
    ("31/03", "date-unreadable", "has no year"),
    ("Spring 2025", "date-unreadable", "too vague"),
    ("2018/20", "date-unreadable", "not one financial year"),
    ("May-Jul 2025", "date-unreadable", "not one quarter"),
    ("see comments", "date-unreadable", "dd/mm/yyyy"),
    (0, "date-unreadable", "outside Excel's dates"),
    (-5, "date-unreadable", "outside Excel's dates"),
    (3_000_000, "date-unreadable", "outside Excel's dates"),
    (True, "date-unreadable", "'TRUE' is not a date"),
]


@pytest.mark.parametrize(("raw", "code", "words"), DATE_PROBLEMS)
def test_parse_date_never_guesses(raw: object, code: str, words: str) -> None:
    got = parse_date(raw)
    assert (got.value, got.problem) == (None, code)
    assert words in got.detail


@pytest.mark.parametrize("raw", ["TBC", "tbc", "< Select >", "-", "n/a"])
def test_a_placeholder_is_flagged_not_an_error(raw: str) -> None:
    for parse in (parse_date, parse_period, parse_rag, parse_number, parse_percent, parse_text):
        assert parse(raw) == Parsed(None, placeholder=True)


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_a_blank_cell_is_just_empty(raw: object) -> None:
    for parse in (parse_date, parse_period, parse_rag, parse_number, parse_percent, parse_yes_no):
        assert parse(raw) == Parsed(None)


def test_a_due_month_means_by_its_last_day() -> None:
    due = parse_date("Mar 2025").value
    assert due is not None and due.end == date(2025, 3, 31)
    assert day(2025, 3, 15) < due < day(2025, 4, 1)
    assert max([month(2025, 3), day(2025, 3, 20), quarter(2024, 4)]) == month(2025, 3)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (day(2025, 4, 3), "03/04/2025"),
        (month(2025, 3), "Mar 2025"),
        (quarter(2024, 3), "Q3 2024/25"),
        (fy(2024), "2024/25"),
        (year(2025), "2025"),
    ],
)
def test_label_is_what_a_uk_reader_writes(value: DateValue, label: str) -> None:
    assert value.label == label == str(value)


def test_quarter_spans_the_financial_year_months() -> None:
    assert (quarter(2024, 3).start, quarter(2024, 3).end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert (quarter(2024, 4).start, quarter(2024, 4).end) == (date(2025, 1, 1), date(2025, 3, 31))
    assert (fy(2024).start, fy(2024).end) == (date(2024, 4, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    ("d", "fy_start", "q"),
    [(date(2025, 4, 1), 2025, 1), (date(2025, 3, 31), 2024, 4), (date(2024, 12, 25), 2024, 3)],
)
def test_financial_year_and_quarter(d: date, fy_start: int, q: int) -> None:
    assert (financial_year(d), fy_quarter(d)) == (fy_start, q)


# ---- periods -------------------------------------------------------------

PERIODS = [
    ("2025/26 Q1", quarter(2025, 1)),
    ("Q1 2025/26", quarter(2025, 1)),
    ("Q3 2024-25", quarter(2024, 3)),
    ("FY2025/26 Q2", quarter(2025, 2)),
    ("April 2025", month(2025, 4)),
    ("Apr-Jun 2025", quarter(2025, 1)),
    ("2018/19", fy(2018)),
    ("2025-26", fy(2025)),
    (date(2025, 4, 1), month(2025, 4)),  # Excel keeps a typed 'Apr-25' as 01/04/2025
    (45748, month(2025, 4)),
]


@pytest.mark.parametrize(("raw", "expected"), PERIODS, ids=[repr(r) for r, _ in PERIODS])
def test_parse_period_reads_reporting_periods(raw: object, expected: DateValue) -> None:
    assert parse_period(raw) == Parsed(expected)


@pytest.mark.parametrize(
    ("raw", "code", "words"),
    [
        ("last quarter", "period-unreadable", "2025/26 Q1"),
        ("Q2", "period-unreadable", "quarter without its year"),
        ("31/02/2025", "date-impossible", "28 days"),
    ],
)
def test_parse_period_problems(raw: str, code: str, words: str) -> None:
    got = parse_period(raw)
    assert (got.value, got.problem) == (None, code) and words in got.detail


# ---- RAG -----------------------------------------------------------------

RAGS = [
    ("Red", Rag.RED), ("RED", Rag.RED), ("r", Rag.RED), ("R", Rag.RED),
    ("Amber", Rag.AMBER), ("A", Rag.AMBER), ("Green", Rag.GREEN), ("G", Rag.GREEN),
    ("Amber/Red", Rag.AMBER_RED), ("Amber - Red", Rag.AMBER_RED), ("amber-red", Rag.AMBER_RED),
    ("Red/Amber", Rag.AMBER_RED), ("A/R", Rag.AMBER_RED), ("AR", Rag.AMBER_RED),
    ("RA", Rag.AMBER_RED), ("Amber/Green", Rag.AMBER_GREEN), ("Green / Amber", Rag.AMBER_GREEN),
    ("A/G", Rag.AMBER_GREEN), ("Amber Green", Rag.AMBER_GREEN),
    ("Blue", Rag.COMPLETE), ("B", Rag.COMPLETE), ("Complete", Rag.COMPLETE),
    ("Completed", Rag.COMPLETE), ("done", Rag.COMPLETE),
    ("Red - overdue since Q1", Rag.RED), ("Green: on track", Rag.GREEN),
    ("AMBER (slipping)", Rag.AMBER), ("R - awaiting funding", Rag.RED), ("G: fine", Rag.GREEN),
    ("Amber\nRed since June", Rag.AMBER),  # lines are not joined into Amber/Red
    (1, Rag.GREEN), (2, Rag.AMBER_GREEN), (3.0, Rag.AMBER), ("4", Rag.AMBER_RED), (5, Rag.RED),
    ("2 - Amber/Green", Rag.AMBER_GREEN),
    ("Y", Rag.GREEN), ("Yes", Rag.GREEN), ("On track", Rag.GREEN), ("on-track", Rag.GREEN),
    ("N", Rag.RED), ("No", Rag.RED), ("Not on track", Rag.RED), ("Off track", Rag.RED),
    ("At risk", Rag.AMBER), ("Risk", Rag.AMBER), (True, Rag.GREEN), (False, Rag.RED),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), RAGS, ids=[repr(r) for r, _ in RAGS])
def test_parse_rag_reads_words_letters_flags_and_scores(raw: object, expected: Rag) -> None:
    assert parse_rag(raw) == Parsed(expected)


@pytest.mark.parametrize(
    "raw",
    ["Greenwich", "Redacted", "Purple", "A review is needed", "N/A - not started", "2.5", 7, 0],
)
def test_parse_rag_does_not_read_words_that_merely_contain_a_rag(raw: object) -> None:
    got = parse_rag(raw)
    assert (got.value, got.problem) == (None, "rag-unknown")
    assert "RAG" in got.detail


def test_rank_orders_worst_to_best_then_complete() -> None:
    assert [r.rank for r in Rag] == [0, 1, 2, 3, 4, 5]
    assert Rag.RED.rank < Rag.AMBER.rank < Rag.GREEN.rank < Rag.COMPLETE.rank


def test_three_point_collapses_the_in_between_statuses() -> None:
    got = {r: r.three_point for r in Rag}
    assert got == {
        Rag.RED: Rag.RED, Rag.AMBER_RED: Rag.AMBER, Rag.AMBER: Rag.AMBER,
        Rag.AMBER_GREEN: Rag.AMBER, Rag.GREEN: Rag.GREEN, Rag.COMPLETE: Rag.GREEN,
    }  # fmt: skip


def test_vocabulary_from_a_config_file_adds_words() -> None:
    vocab = RagVocabulary.default().merged({"Behind": "Red", "on hold": "amber/red", "1": "Red"})
    assert parse_rag("Behind schedule", vocab).value is Rag.RED
    assert parse_rag("On hold", vocab).value is Rag.AMBER_RED
    assert parse_rag(1, vocab).value is Rag.RED  # a numeric key replaces that score
    assert parse_rag("Behind").problem == "rag-unknown"  # the default is untouched


def test_vocabulary_rejects_an_unknown_rag_name_clearly() -> None:
    with pytest.raises(ValueError, match=r"'behind'.*'Purple'.*Amber/Red"):
        RagVocabulary.default().merged({"behind": "Purple"})


# ---- numbers and percentages ---------------------------------------------

NUMBERS = [
    (12, 12.0), (12.5, 12.5), ("12", 12.0), ("1,234", 1234.0), ("£1,234.50", 1234.5),
    ("12 (est)", 12.0), ("(5)", -5.0), ("(£1,234.50)", -1234.5), ("-3", -3.0), ("−3", -3.0),
    ("-£5", -5.0), ("5 - Major impact", 5.0), ("c. 40", 40.0), (".5", 0.5), ("+7", 7.0),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), NUMBERS, ids=[repr(r) for r, _ in NUMBERS])
def test_parse_number(raw: object, expected: float) -> None:
    assert parse_number(raw) == Parsed(expected)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (True, "TRUE/FALSE"),
        ("1,23", "not a number"),
        ("1 234", "not a number"),
        ("12abc", "not a number"),
        ("3-5", "range"),
        ("3 to 5", "range"),
        ("<5", "bound"),
        ("35%", "percentage"),
        ("Complete", "not a number"),
        (float("nan"), "not a finite number"),
        (date(2025, 1, 1), "'01/01/2025' is a date"),
    ],
)
def test_parse_number_problems(raw: object, words: str) -> None:
    got = parse_number(raw)
    assert (got.value, got.problem) == (None, "number-unreadable") and words in got.detail


PERCENTS = [
    (35, None, 35.0), ("35", None, 35.0), ("35%", None, 35.0), ("35% complete", None, 35.0),
    (0.35, None, 35.0),  # from a %-formatted cell
    ("0.35", None, 35.0), (0.07, None, 7.0), ("0.5%", None, 0.5), (0, None, 0.0),
    (1, None, 1.0),  # ambiguous 1 is read as written unless the caller knows better
    (1, True, 100.0), (0.35, False, 0.35), ("35%", True, 35.0), (100, None, 100.0),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "fraction", "expected"), PERCENTS)
def test_parse_percent(raw: object, fraction: bool | None, expected: float) -> None:
    assert parse_percent(raw, fraction=fraction) == Parsed(expected)


@pytest.mark.parametrize(
    ("raw", "fraction", "value"), [("150%", None, 150.0), (-5, None, -5.0), (1.2, True, 120.0)]
)
def test_percent_out_of_range_keeps_the_value(raw: object, fraction: bool, value: float) -> None:
    got = parse_percent(raw, fraction=fraction)
    assert (got.value, got.problem) == (value, "percent-out-of-range")
    assert "outside 0% to 100%" in got.detail


def test_a_word_is_not_a_percentage() -> None:
    assert parse_percent("Complete").problem == "number-unreadable"


# ---- text and yes/no -----------------------------------------------------

TEXTS = [
    ("  Train  frontline staff \n", "Train  frontline staff"), (5, "5"), (5.0, "5"),
    (2.5, "2.5"), (date(2025, 4, 3), "03/04/2025"), (True, "TRUE"), ("a\nb", "a\nb"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), TEXTS)
def test_parse_text(raw: object, expected: str) -> None:
    assert parse_text(raw) == Parsed(expected)


YES_NO = [
    (True, True), (False, False), ("Yes", True), ("y", True), ("TRUE", True), (1, True),
    ("1", True), ("NO", False), ("n", False), (0, False), ("No - see notes", False),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), YES_NO)
def test_parse_yes_no(raw: object, expected: bool) -> None:
    assert parse_yes_no(raw) == Parsed(expected)


@pytest.mark.parametrize("raw", ["Partly", "yesterday", 2])
def test_parse_yes_no_problems(raw: object) -> None:
    assert parse_yes_no(raw).problem == "yes-no-unreadable"


# ---- the real file -------------------------------------------------------


@pytest.fixture
def due_dates_file() -> Path:
    path = REALDATA / "cases" / "08_due_dates_mixed_real_text_serial.xlsx"
    if not path.is_file():
        pytest.skip(f"real inputs not found at {REALDATA} (they live beside the checkout)")
    return path


# Column C of the file, hand-checked: (value, problem, placeholder) per Ref.
CASE_08 = {
    "A1": (day(2025, 4, 3), None, False),  # 2025-04-03 (a real date cell)
    "A2": (day(2025, 4, 3), None, False),  # 2025-04-03
    "A3": (day(2024, 12, 31), None, False),  # 2024-12-31
    "A4": (day(2025, 1, 15), None, False),  # 2025-01-15
    "A5": (month(2025, 3), None, False),  # 2025-03 (month)
    "A6": (quarter(2024, 3), None, False),  # FY2024/25 Q3 (Oct-Dec 2024)
    "A7": (None, None, True),  # missing (flag)
    "A8": (day(2024, 4, 1), None, False),  # 2024-04-01 (serial)
    "A9": (None, "date-month-first", False),  # 2014-12-13 (flag: not valid day-first)
    "A10": (None, "date-impossible", False),  # invalid (flag)
    "A11": (day(2025, 5, 1), None, False),  # 2025-05-01
}


def test_real_due_dates_read_as_a_uk_reader_would(due_dates_file: Path) -> None:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(due_dates_file).get_sheet_by_name("Actions").to_python()
    got = {row[0]: parse_date(row[1]) for row in rows[1:] if row[0]}
    assert {ref: (p.value, p.problem, p.placeholder) for ref, p in got.items()} == CASE_08
    assert "13 December 2014" in got["A9"].detail
    a6 = got["A6"].value
    assert a6 is not None and (a6.start, a6.end) == (date(2024, 10, 1), date(2024, 12, 31))


# ---- properties ----------------------------------------------------------

DAYS = st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31))
PLAUSIBLE = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@given(DAYS)
def test_any_date_written_day_first_reads_back_as_itself(d: date) -> None:
    assert parse_date(f"{d.day:02d}/{d.month:02d}/{d.year:04d}").value == DateValue.of_day(d)
    assert parse_date(f"{d.day}/{d.month}/{d.year}").value == DateValue.of_day(d)


@given(PLAUSIBLE)
def test_every_label_reads_back_as_the_same_value(d: date) -> None:
    values = [
        DateValue.of_day(d),
        month(d.year, d.month),
        quarter(financial_year(d), fy_quarter(d)),
        fy(financial_year(d)),
        year(d.year),
    ]
    for value in values:
        assert parse_date(value.label).value == value


@given(PLAUSIBLE)
def test_every_day_lies_in_its_financial_quarter_and_year(d: date) -> None:
    assert quarter(financial_year(d), fy_quarter(d)).contains(d)
    assert fy(financial_year(d)).contains(d)
    due_month = month(d.year, d.month)
    assert DateValue.of_day(d).end <= due_month.end  # due "Apr 2025" means by 30/04/2025
    assert DateValue.of_day(d) < due_month or d == due_month.end


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_money_written_with_pounds_and_commas_reads_back(amount: object) -> None:
    value = float(str(amount))
    text = f"£{abs(value):,.2f}"
    assert parse_number(text).value == abs(value)
    assert parse_number(f"({text})").value == (-abs(value) or 0.0)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1))
def test_a_word_that_starts_with_red_is_not_red(rest: str) -> None:
    assert parse_rag("Red" + rest).value is None


@given(st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none(), PLAUSIBLE))
def test_parsers_never_raise_and_only_use_known_codes(raw: object) -> None:
    for parse in (parse_date, parse_period, parse_rag, parse_number, parse_percent,
                  parse_text, parse_yes_no):  # fmt: skip
        got = parse(raw)
        assert got.problem is None or got.problem in CODES
        assert got.problem is None or got.detail


def test_values_imports_no_spreadsheet_library() -> None:
    src = Path(__file__).resolve().parents[1] / "src"
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    code = (
        "import sys, xlperf.values; "
        "bad = {'python_calamine', 'openpyxl', 'xlsxwriter', 'xlwings', 'docx'}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr
