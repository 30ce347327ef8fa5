"""Dates and reporting periods as UK partnerships write them, precision kept.

Pure (standard library and ``xlperf.cells`` only). :func:`read_date` raises
:class:`DateProblem`; ``xlperf.values.parse_date`` turns that into a ``Parsed``.

Reading rules (UK, day first):

* ``03/04/2025``, ``3/4/25``, ``03-04-2025``, ``03.04.2025`` are 3 April 2025.
  A text valid only month-first (``12/13/14``) is never guessed: it raises
  ``date-month-first``. Two-digit years 00-49 are 2000-2049; 50-99 raise
  ``date-ambiguous-year`` (1975 or 2075?), as does ``FY25`` (2024/25 or 2025/26?).
* Year first is ISO: ``2025-01-15``, ``2025/01/15``, with or without a time.
* ``Q3 2024/25``, ``2024/25 Q3``, ``Q3 24/25``, ``FY2024/25 Q3`` are financial-year
  quarters (Q1 = Apr-Jun). A quarter with a single year (``Q1 2025``) is a
  calendar quarter (Jan-Mar 2025), kept as the FY quarter it equals.
* ``Mar-25``, ``March 25``, ``Sept 2016``, ``03/2025``, ``2025-03`` are months;
  ``Apr-Jun 2025`` is a month range that must be a month, FY quarter, FY or year.
* ``2018/19``, ``2018-19``, ``2018-2019``, ``FY2018/19`` are financial years:
  a ``yyyy-yy`` whose second part is the next year is always a financial year,
  so ``2002-03`` is 2002/03, not March 2002.
* Whole numbers 1900-2100 (number or text) are years, not Excel serials.
* Leading ``by``, ``due``, ``in``, ``(by) (the) end of`` are dropped.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import total_ordering
from typing import Literal

from xlperf.cells import excel_serial_to_date

Precision = Literal["day", "month", "quarter", "year", "fy"]
_SERIAL_MAX = 2_958_465  # 31/12/9999 in the 1900 system
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # fmt: skip  (not calendar.month_name, which follows the locale)
_YEAR_MIN, _YEAR_MAX = 1900, 2100


class DateProblem(ValueError):
    """A value that is not a date, with its issue code and plain-words detail."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def financial_year(d: date) -> int:
    """Start year of the UK financial year (April-March) containing ``d``."""
    return d.year if d.month >= 4 else d.year - 1


def fy_quarter(d: date) -> int:
    """Financial-year quarter of ``d``: 1 = Apr-Jun ... 4 = Jan-Mar."""
    return (d.month - 4) % 12 // 3 + 1


def fy_label(start_year: int) -> str:
    """2024 -> '2024/25'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved on by ``months``."""
    n = year * 12 + month - 1 + months
    return n // 12, n % 12 + 1


@total_ordering
@dataclass(frozen=True)
class DateValue:
    """A date or span as written, with its precision kept.

    Ordering is by ``end`` (then ``start``): a due date of "Mar 2025" means by
    31/03/2025, so it sorts after 15/03/2025.
    """

    start: date
    end: date
    precision: Precision

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")

    @classmethod
    def of_day(cls, d: date) -> DateValue:
        day = d.date() if isinstance(d, datetime) else d
        return cls(day, day, "day")

    @classmethod
    def of_months(cls, year: int, month: int, count: int, precision: Precision) -> DateValue:
        last_year, last_month = _shift(year, month, count - 1)
        return cls(date(year, month, 1), _month_end(last_year, last_month), precision)

    @classmethod
    def of_month(cls, year: int, month: int) -> DateValue:
        return cls.of_months(year, month, 1, "month")

    @classmethod
    def of_quarter(cls, fy: int, quarter: int) -> DateValue:
        """Financial-year quarter: ``of_quarter(2024, 3)`` is Oct-Dec 2024."""
        year, month = _shift(fy, 4, 3 * (quarter - 1))
        return cls.of_months(year, month, 3, "quarter")

    @classmethod
    def of_year(cls, year: int) -> DateValue:
        return cls.of_months(year, 1, 12, "year")

    @classmethod
    def of_fy(cls, fy: int) -> DateValue:
        return cls.of_months(fy, 4, 12, "fy")

    @property
    def label(self) -> str:
        """How a UK reader writes it: 03/04/2025, Mar 2025, Q3 2024/25, 2024/25, 2025."""
        s = self.start
        labels = {
            "day": f"{s:%d/%m/%Y}",
            "month": f"{_MONTH_NAMES[s.month - 1][:3]} {s.year}",
            "quarter": f"Q{fy_quarter(s)} {fy_label(financial_year(s))}",
            "year": str(s.year),
            "fy": fy_label(s.year),
        }
        return labels[self.precision]

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, DateValue):
            return NotImplemented
        return (self.end, self.start) < (other.end, other.start)


# ---- the grammar ---------------------------------------------------------

_MONTHS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}
_MON = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YYYY = r"([12]\d{3})"
_Y = r"([12]\d{3}|\d{2})"
_TIME = r"(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )?"
_ORD = r"(?:st|nd|rd|th)?"
_FY = r"(?:fy ?)?" + _Y + r"[/-]" + _Y
_Q = r"(?:q|quarter ?)([1-4])"
_SEP = r"[ ,:-]*"

_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2" + _Y + _TIME)
_YMD = re.compile(_YYYY + r"([/.-])(\d{1,2})\2(\d{1,2})" + _TIME)
_WORD_DMY = re.compile(_WEEKDAY + r"(\d{1,2})" + _ORD + r"(?: of)?[ -]" + _MON + r"[ ,-]+" + _Y)
_WORD_MDY = re.compile(_WEEKDAY + _MON + r" (\d{1,2})" + _ORD + r",? " + _YYYY)
_Q_FY = re.compile(_Q + _SEP + r"(?:of )?" + _FY)
_FY_Q = re.compile(_FY + _SEP + _Q)
_Q_YEAR = re.compile(_Q + _SEP + _YYYY)
_YEAR_Q = re.compile(_YYYY + _SEP + _Q)
_FY_ONLY = re.compile(_FY)
_FY_SINGLE = re.compile(r"(?:" + _Q + _SEP + r")?fy ?" + _Y + r"(?:" + _SEP + _Q + r")?")
_MONTH_RANGE = re.compile(_MON + r"(?: " + _Y + r")?(?:-| to )" + _MON + r"[ -]?" + _Y)
_MONTH_YEAR = re.compile(_MON + r"[ /-]?'?" + _Y)
_MM_YYYY = re.compile(r"(\d{1,2})/" + _YYYY)
_YYYY_MM = re.compile(_YYYY + r"-(\d{1,2})")
_YEAR = re.compile(_YYYY)
_QUALIFIERS = re.compile(
    r"^(?:(?:due|deadline|target|timescale|completion)(?: date)?:? )?"
    r"(?:(?:by|in|during|no later than|until|till):? )?(?:the )?(?:end(?: of)?[ -])?"
)


def _full_year(text: str) -> int:
    """'2025' -> 2025; '25' -> 2025; '75' raises date-ambiguous-year."""
    if len(text) == 4:
        return int(text)
    if int(text) <= 49:
        return 2000 + int(text)
    raise DateProblem(
        "date-ambiguous-year",
        f"has a two-digit year '{text}' that could be 19{text} or 20{text}; write the year in full",
    )


def _month_name(month: int) -> str:
    return _MONTH_NAMES[month - 1]


def _checked_day(year: int, month: int, day: int) -> date:
    """date(year, month, day), or date-impossible saying why."""
    if not 1 <= month <= 12:
        raise DateProblem("date-impossible", f"is impossible: there is no month {month}")
    if day < 1:
        raise DateProblem("date-impossible", f"is impossible: there is no day {day}")
    last = calendar.monthrange(year, month)[1]
    if day > last:
        days = f"{_month_name(month)} {year} has {last} days"
        raise DateProblem("date-impossible", f"is impossible: {days}")
    return date(year, month, day)


def _day_first(day: int, month: int, year: int) -> date:
    """Day-first reading; never falls back to month-first, but says when it would fit."""
    if 1 <= month <= 12 or not 1 <= day <= 12:
        return _checked_day(year, month, day)
    try:
        us = _checked_day(year, day, month)
    except DateProblem:
        return _checked_day(year, month, day)
    raise DateProblem(
        "date-month-first",
        f"is only valid month-first ({us.day} {_month_name(us.month)} {us.year}); "
        f"write it day-first: {us:%d/%m/%Y}",
    )


def _fy_start(first: str, second: str) -> int | None:
    """('2024', '25') -> 2024; None when the parts are not consecutive years."""
    start = _full_year(first)
    follows = int(second) == start + 1 if len(second) == 4 else int(second) == (start + 1) % 100
    return start if follows else None


def _numeric_day(m: re.Match[str]) -> DateValue:
    return DateValue.of_day(_day_first(int(m[1]), int(m[3]), _full_year(m[4])))


def _iso_day(m: re.Match[str]) -> DateValue:
    return DateValue.of_day(_checked_day(int(m[1]), int(m[3]), int(m[4])))


def _word_dmy(m: re.Match[str]) -> DateValue:
    return DateValue.of_day(_checked_day(_full_year(m[3]), _MONTHS[m[2]], int(m[1])))


def _word_mdy(m: re.Match[str]) -> DateValue:
    return DateValue.of_day(_checked_day(int(m[3]), _MONTHS[m[1]], int(m[2])))


def _fy_quarter(quarter: str, first: str, second: str) -> DateValue | None:
    fy = _fy_start(first, second)
    return None if fy is None else DateValue.of_quarter(fy, int(quarter))


def _calendar_quarter(quarter: str, year: str) -> DateValue:
    """Q1 2025 = Jan-Mar 2025 (which is Q4 2024/25)."""
    return DateValue.of_months(int(year), 3 * int(quarter) - 2, 3, "quarter")


def _fy_single(m: re.Match[str]) -> DateValue:
    raise DateProblem(
        "date-ambiguous-year",
        f"names one year for a financial year: FY{m[2]} can mean either year it spans; "
        "write it as e.g. 2024/25",
    )


def _fy(m: re.Match[str]) -> DateValue | None:
    if len(m[1]) == 2 and not m.string.startswith("fy"):
        return None  # bare '10/11' could be a day and month
    fy = _fy_start(m[1], m[2])
    return None if fy is None else DateValue.of_fy(fy)


def _span_precision(start_month: int, count: int) -> Precision | None:
    """What a run of ``count`` whole months from ``start_month`` is, if it is one thing."""
    if count == 1:
        return "month"
    if count == 3 and start_month % 3 == 1:  # Jan, Apr, Jul, Oct start FY quarters
        return "quarter"
    if count == 12 and start_month in (1, 4):
        return "year" if start_month == 1 else "fy"
    return None


def _month_range(m: re.Match[str]) -> DateValue | None:
    """'apr-jun 2025' -> Q1 2025/26; None when the span is not one month, quarter, FY or year."""
    start_month, end_month, end_year = _MONTHS[m[1]], _MONTHS[m[3]], _full_year(m[4])
    wraps = int(start_month > end_month)  # 'nov-jan 2025' starts in 2024
    start_year = _full_year(m[2]) if m[2] else end_year - wraps
    count = (end_year * 12 + end_month) - (start_year * 12 + start_month) + 1
    precision = _span_precision(start_month, count)
    if precision is None:
        return None
    return DateValue.of_months(start_year, start_month, count, precision)


def _month_checked(year: int, month: int) -> DateValue | None:
    return DateValue.of_month(year, month) if 1 <= month <= 12 else None


def _year(m: re.Match[str]) -> DateValue | None:
    year = int(m[1])
    return DateValue.of_year(year) if _YEAR_MIN <= year <= _YEAR_MAX else None


_Reader = Callable[[re.Match[str]], DateValue | None]
_READERS: list[tuple[re.Pattern[str], _Reader]] = [
    (_DMY, _numeric_day),
    (_YMD, _iso_day),
    (_WORD_DMY, _word_dmy),
    (_WORD_MDY, _word_mdy),
    (_Q_FY, lambda m: _fy_quarter(m[1], m[2], m[3])),
    (_FY_Q, lambda m: _fy_quarter(m[3], m[1], m[2])),
    (_Q_YEAR, lambda m: _calendar_quarter(m[1], m[2])),
    (_YEAR_Q, lambda m: _calendar_quarter(m[2], m[1])),
    (_FY_SINGLE, _fy_single),
    (_FY_ONLY, _fy),
    (_MONTH_RANGE, _month_range),
    (_MONTH_YEAR, lambda m: DateValue.of_month(_full_year(m[2]), _MONTHS[m[1]])),
    (_MM_YYYY, lambda m: _month_checked(int(m[2]), int(m[1]))),
    (_YYYY_MM, lambda m: _month_checked(int(m[1]), int(m[2]))),
    (_YEAR, _year),
]

UNREADABLE = (
    "is not a date xlperf can read: write a date as dd/mm/yyyy (e.g. 31/03/2025), "
    "a month (Mar 2025), a quarter (Q3 2024/25) or a financial year (2024/25)"
)
_NOT_DATES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"(?:on-?going|continuous|continuing|continual|rolling|business as usual|bau"
            r"|as (?:and when )?(?:required|needed|necessary|appropriate)|as and when"
            r"|throughout|annual(?:ly)?|quarterly|monthly|weekly|regular(?:ly)?)\b"
        ),
        "is not a date: for continuing work, set a review date (e.g. 31/03/2026) "
        "by which progress will be checked",
    ),
    (
        re.compile(
            r"(?:(?:within|in|after) )?(?:the )?(?:next |first )?\S+ (?:day|week|month|year)"
        ),
        "counts from a start that is not written: write the date it ends (dd/mm/yyyy)",
    ),
    (
        re.compile(r"(?:fy ?)?[12]\d{3}[/-]\d{2,4}$"),
        "is not one financial year: write e.g. 2018/19 (April 2018 to March 2019)",
    ),
    (
        re.compile(_MON + r"(?: " + _Y + r")?(?:-| to )" + _MON),
        "spans months that are not one quarter (Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar), "
        "financial year or year: write the month it ends, e.g. Jul 2025",
    ),
    (re.compile(_Q + r"$"), "names a quarter without its year: write e.g. Q3 2024/25"),
    (re.compile(_MON + r"$"), "names a month without its year: write e.g. Mar 2025"),
    (
        re.compile(r"\d{1,2}(?:[/.-]\d{1,2}|" + _ORD + r"(?: of)? " + _MON + r")$"),
        "has no year: write e.g. 31/03/2025",
    ),
    (
        re.compile(r"(?:early|mid|late|spring|summer|autumn|winter)\b"),
        "is too vague to check: write the month it ends, e.g. Jun 2025",
    ),
]


def _normalise(text: str) -> str:
    """Lower case, single spaces, plain hyphens with no spaces around them."""
    t = re.sub(r"\s+", " ", text.strip().lower()).replace("–", "-").replace("—", "-")
    return re.sub(r" ?([-/]) ?", r"\1", t)


def _unreadable(t: str, core: str) -> DateProblem:
    detail = next((d for p, d in _NOT_DATES if p.match(t) or p.match(core)), None)
    return DateProblem("date-unreadable", detail or UNREADABLE)


def read_date_text(text: str) -> DateValue:
    """Read a date or period written as text; raises :class:`DateProblem`."""
    t = _normalise(text)
    core = _QUALIFIERS.sub("", t, count=1)
    try:
        for pattern, reader in _READERS:
            m = pattern.fullmatch(core)
            found = reader(m) if m else None
            if found is not None:
                return found
        raise _unreadable(t, core)
    except DateProblem as problem:
        raise DateProblem(problem.code, f"'{text.strip()}' {problem.detail}") from None


def read_serial(serial: float, date1904: bool = False) -> DateValue:
    """A number from a cell: a year when whole and 1900-2100, else an Excel serial day."""
    if not math.isfinite(serial):
        raise DateProblem("date-unreadable", f"'{serial}' is not a date")
    if serial == int(serial) and _YEAR_MIN <= serial <= _YEAR_MAX:
        return DateValue.of_year(int(serial))
    low, high = (0, _SERIAL_MAX - 1462) if date1904 else (1, _SERIAL_MAX)
    if not low <= serial <= high:
        raise DateProblem("date-unreadable", f"'{serial:.15g}' is outside Excel's dates")
    if int(serial) == 60 and not date1904:
        raise DateProblem("date-impossible", "Excel serial 60 is 29/02/1900, a day that never was")
    return DateValue.of_day(excel_serial_to_date(serial, date1904))
