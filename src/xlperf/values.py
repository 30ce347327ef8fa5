"""Raw cell values -> typed values: UK dates and periods, RAG words, numbers, text.

Pure: standard library and ``xlperf.cells`` / ``xlperf.periods`` only. Every
``parse_*`` function returns a :class:`Parsed` and never raises on cell content:

* a blank cell gives ``Parsed(None)``;
* a placeholder (``tbc``, ``< Select >``, ``-``) gives ``Parsed(None, placeholder=True)``;
* anything unreadable gives ``Parsed(None or the value, problem=<issue code>, detail=...)``.

Issue codes: ``date-unreadable``, ``date-impossible``, ``date-month-first``,
``date-ambiguous-year``, ``period-unreadable``, ``rag-unknown``,
``percent-out-of-range``, ``number-unreadable``, ``yes-no-unreadable``.
The date grammar lives in :mod:`xlperf.periods`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any, Generic, TypeVar

from xlperf.cells import is_blank, is_placeholder
from xlperf.periods import (
    UNREADABLE,
    DateProblem,
    DateValue,
    Precision,
    financial_year,
    fy_quarter,
    read_date_text,
    read_serial,
)

__all__ = [
    "DateValue", "Parsed", "Precision", "Rag", "RagVocabulary", "financial_year", "fy_quarter",
    "parse_date", "parse_number", "parse_percent", "parse_period", "parse_rag", "parse_text",
    "parse_yes_no",
]  # fmt: skip

T = TypeVar("T")
V = TypeVar("V")


class Rag(StrEnum):
    """A RAG (BRAG) status, declared worst to best, then COMPLETE."""

    RED = "Red"
    AMBER_RED = "Amber/Red"
    AMBER = "Amber"
    AMBER_GREEN = "Amber/Green"
    GREEN = "Green"
    COMPLETE = "Complete"

    @property
    def rank(self) -> int:
        """RED 0, AMBER_RED 1, AMBER 2, AMBER_GREEN 3, GREEN 4, COMPLETE 5: higher is better."""
        return list(Rag).index(self)

    @property
    def three_point(self) -> Rag:
        """Collapsed to Red/Amber/Green: Amber/Red and Amber/Green are Amber; Complete is Green."""
        collapse = {Rag.AMBER_RED: Rag.AMBER, Rag.AMBER_GREEN: Rag.AMBER, Rag.COMPLETE: Rag.GREEN}
        return collapse.get(self, self)


@dataclass(frozen=True)
class Parsed(Generic[T]):
    """What a parse_* function read: a value, or an issue code with plain-words detail."""

    value: T | None
    problem: str | None = None
    detail: str = ""
    placeholder: bool = False


def _empty(raw: object) -> Parsed[Any] | None:
    """Parsed(None) for a blank cell, a placeholder result for 'tbc' etc., else None."""
    if is_blank(raw):
        return Parsed(None)
    if is_placeholder(raw):
        return Parsed(None, placeholder=True)
    return None


def _shown(raw: object) -> str:
    """A cell value as a user would recognise it in a message."""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, date):
        return f"{raw:%d/%m/%Y}"
    return str(raw).strip()


# ---- dates and periods ---------------------------------------------------


def _read_date(raw: object, date1904: bool) -> DateValue:
    if isinstance(raw, date):  # datetime is a date too
        return DateValue.of_day(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return read_serial(raw, date1904)
    if isinstance(raw, str):
        number = _plain_number(raw)
        return read_date_text(raw) if number is None else read_serial(number, date1904)
    raise DateProblem("date-unreadable", f"'{_shown(raw)}' is not a date")


def parse_date(raw: object, *, date1904: bool = False) -> Parsed[DateValue]:
    """A due or start date, UK day first, precision kept. Rules: :mod:`xlperf.periods`.

    ``ongoing``, ``within 12 months`` and the like give ``date-unreadable`` with
    a detail saying what to write instead. Numbers are Excel serials, except
    whole numbers 1900-2100, which are years.
    """
    empty = _empty(raw)
    if empty is not None:
        return empty
    try:
        return Parsed(_read_date(raw, date1904))
    except DateProblem as problem:
        return Parsed(None, problem.code, problem.detail)


_PERIOD_UNREADABLE = (
    "is not a reporting period xlperf can read: write e.g. "
    "2025/26 Q1, Q1 2025/26, Apr 2025, Apr-Jun 2025 or 2025/26"
)


_GLOSS = re.compile(r"\s*\([^()]*\)\s*$")
_EARLIEST_PERIOD_YEAR = 1990  # a reporting period before this is a misread number


def parse_period(raw: object) -> Parsed[DateValue]:
    """A reporting period: '2025/26 Q1', 'Apr-Jun 2025', 'April 2025', '2025-26'.

    A single day (a real date, or a serial) stands for its month: Excel stores a
    period typed 'Apr-25' as 01/04/2025. Unreadable text gives
    ``period-unreadable``; impossible or month-first dates keep their date codes.
    """
    if isinstance(raw, str):  # 'Q1 2025/26 (April to June 2025)': the gloss is not needed
        raw = _GLOSS.sub("", raw) or raw
    got = parse_date(raw)
    if got.value is not None and got.value.start.year < _EARLIEST_PERIOD_YEAR:
        return Parsed(None, "period-unreadable",  # '2' read as an Excel serial: 1900
                      f"'{_shown(raw)}' {_PERIOD_UNREADABLE}")
    if got.value is not None and got.value.precision == "day":
        return Parsed(DateValue.of_month(got.value.start.year, got.value.start.month))
    if got.problem == "date-unreadable":
        detail = got.detail.replace(UNREADABLE, _PERIOD_UNREADABLE)
        return replace(got, problem="period-unreadable", detail=detail)
    return got


# ---- RAG -----------------------------------------------------------------

_DEFAULT_WORDS = {
    "red": Rag.RED, "r": Rag.RED,
    "amber/red": Rag.AMBER_RED, "red/amber": Rag.AMBER_RED, "a/r": Rag.AMBER_RED,
    "r/a": Rag.AMBER_RED, "ar": Rag.AMBER_RED, "ra": Rag.AMBER_RED,
    "amber": Rag.AMBER, "a": Rag.AMBER,
    "amber/green": Rag.AMBER_GREEN, "green/amber": Rag.AMBER_GREEN, "a/g": Rag.AMBER_GREEN,
    "g/a": Rag.AMBER_GREEN, "ag": Rag.AMBER_GREEN, "ga": Rag.AMBER_GREEN,
    "green": Rag.GREEN, "g": Rag.GREEN,
    "blue": Rag.COMPLETE, "b": Rag.COMPLETE, "complete": Rag.COMPLETE,
    "completed": Rag.COMPLETE, "done": Rag.COMPLETE,
}  # fmt: skip
_DEFAULT_FLAGS = {
    "y": Rag.GREEN, "yes": Rag.GREEN, "on track": Rag.GREEN,
    "n": Rag.RED, "no": Rag.RED, "not on track": Rag.RED, "off track": Rag.RED,
    "at risk": Rag.AMBER, "risk": Rag.AMBER,
}  # fmt: skip
# Five-point delivery confidence (UK government major projects): 1 is best.
_DEFAULT_SCORES = {
    1: Rag.GREEN, 2: Rag.AMBER_GREEN, 3: Rag.AMBER, 4: Rag.AMBER_RED, 5: Rag.RED,
}  # fmt: skip
_RAG_HELP = "use Red, Amber/Red, Amber, Amber/Green, Green or Complete (letters R, A, G, B)"


def _key(word: str) -> str:
    """Vocabulary key form: lower case, single spaces, '/' between parts ('Amber - Red')."""
    text = re.sub(r"\s+", " ", word.strip().lower())
    return re.sub(r" ?[-/\\–—] ?", "/", text)


def _rag_named(name: str) -> Rag:
    """'Amber/Red' or 'AMBER_RED' (any case) -> Rag.AMBER_RED; ValueError otherwise."""
    wanted = name.strip().lower()
    for rag in Rag:
        if wanted in (rag.value.lower(), rag.name.lower()):
            return rag
    choices = ", ".join(r.value for r in Rag)
    raise ValueError(f"unknown RAG status {name!r}: use one of {choices}")


@dataclass
class RagVocabulary:
    """The words, on-track flags and numeric scores that :func:`parse_rag` accepts.

    ``words`` and ``flags`` are keyed in lower case with '/' between parts
    (``amber/red`` also matches 'Amber - Red' and 'Amber Red'). ``scores`` is
    the five-point delivery-confidence scale used in UK government returns:
    1 Green, 2 Amber/Green, 3 Amber, 4 Amber/Red, 5 Red.
    """

    words: dict[str, Rag] = field(default_factory=lambda: dict(_DEFAULT_WORDS))
    flags: dict[str, Rag] = field(default_factory=lambda: dict(_DEFAULT_FLAGS))
    scores: dict[int, Rag] = field(default_factory=lambda: dict(_DEFAULT_SCORES))

    @classmethod
    def default(cls) -> RagVocabulary:
        return cls()

    def merged(self, overrides: Mapping[str, str]) -> RagVocabulary:
        """A copy with extra words from a config file, e.g. ``{"behind": "Red"}``.

        Overrides win over the defaults. Whole-number keys ("1") replace scores.
        An unknown RAG name raises ValueError naming the word and the choices.
        """
        words, scores = dict(self.words), dict(self.scores)
        for word, name in overrides.items():
            if not word.strip():
                raise ValueError(f"RAG word for {name!r} is blank")
            try:
                rag = _rag_named(name)
            except ValueError as err:
                raise ValueError(f"RAG word {word!r}: {err}") from None
            if word.strip().isdigit():
                scores[int(word)] = rag
            else:
                words[_key(word)] = rag
        return RagVocabulary(words, dict(self.flags), scores)

    def table(self) -> dict[str, Rag]:
        """Every text key: scores as digits, then flags, then words (later ones win)."""
        table = {str(k): v for k, v in self.scores.items()}
        table |= {_key(k): v for k, v in self.flags.items()}
        return table | {_key(k): v for k, v in self.words.items()}

    def lookup(self, text: str) -> Rag | None:
        """The RAG a cell's text starts with (exact words first, then the longest prefix)."""
        key = (tuple(self.words.items()), tuple(self.flags.items()), tuple(self.scores.items()))
        table, ordered = _compiled(key)
        exact = table.get(_key(text))
        return exact if exact is not None else _match_start(text, table, ordered)


@lru_cache(maxsize=512)
def _key_pattern(key: str) -> re.Pattern[str]:
    """Regex for a key at the start of a cell, ending at a word boundary.

    Short codes (no run of three letters: 'r', 'a/r', 'y') must stand alone or be
    followed by punctuation ('R - overdue', 'G: fine'), so 'A review' is not Amber.
    """
    parts = [re.escape(p).replace(r"\ ", r"[ \t-]+") for p in key.split("/")]
    body = r"(?:[ \t]*[-/\\–—][ \t]*|[ \t]+)".join(parts)
    if re.search(r"[a-z]{3}", key):
        return re.compile(body + r"(?![a-z0-9])")
    return re.compile(body + r"(?=[ \t]*(?:$|\n|[:(),;])|[ \t]+[-–—/][ \t]|\.(?:\s|$))")


_VocabKey = tuple[tuple[tuple[str, Rag], ...], tuple[tuple[str, Rag], ...],
                  tuple[tuple[int, Rag], ...]]


@lru_cache(maxsize=16)
def _compiled(key: _VocabKey) -> tuple[dict[str, Rag], tuple[str, ...]]:
    words, flags, scores = key
    table = RagVocabulary(dict(words), dict(flags), dict(scores)).table()
    return table, tuple(sorted(table, key=len, reverse=True))


def _match_start(text: str, table: Mapping[str, V], ordered: Sequence[str] | None = None
                 ) -> V | None:
    """The value of the longest key that starts ``text`` at a word boundary."""
    lowered = text.strip().lower()
    for key in ordered or sorted(table, key=len, reverse=True):
        if _key_pattern(key).match(lowered):
            return table[key]
    return None


def _rag_score(number: float, vocab: RagVocabulary) -> Parsed[Rag]:
    if number.is_integer() and int(number) in vocab.scores:
        return Parsed(vocab.scores[int(number)])
    known = ", ".join(str(k) for k in sorted(vocab.scores))
    return Parsed(None, "rag-unknown", f"{number:g} is not a RAG score: scores are {known}")


def parse_rag(raw: object, vocab: RagVocabulary | None = None) -> Parsed[Rag]:
    """A RAG status from a word, letter, flag or score, at the start of the cell.

    'Red - overdue since Q1' is Red; 'Greenwich' and 'Redacted' are not. A cell
    holding TRUE/FALSE is read as the flags 'yes'/'no'. Multi-line cells are not
    split here.
    """
    empty = _empty(raw)
    if empty is not None:
        return empty
    vocab = vocab or RagVocabulary.default()
    if isinstance(raw, bool):
        raw = "yes" if raw else "no"
    number = raw if isinstance(raw, int | float) else _plain_number(str(raw))
    if number is not None:
        return _rag_score(float(number), vocab)
    found = vocab.lookup(str(raw))
    if found is not None:
        return Parsed(found)
    return Parsed(None, "rag-unknown", f"'{_shown(raw)}' is not a RAG status: {_RAG_HELP}")


# ---- numbers, percentages, text, yes/no ----------------------------------

_NUMBER = re.compile(
    r"(?P<open>\()?\s*(?P<sign>[-+])?\s*[£$€]?\s*(?P<sign2>[-+])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?:\s*(?P<close>\)))?(?:\s*(?P<pct>%))?(?P<rest>.*)",
    re.DOTALL,
)
_APPROX = re.compile(r"^(?:c\.?|ca\.?|approx\.?|approximately|about|around|~)\s*", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-|–|—|to)\s*[£$€]?\d")


def _plain_number(text: str) -> float | None:
    """'45383' or '3.0' -> float; anything with other characters -> None."""
    stripped = text.strip()
    return float(stripped) if re.fullmatch(r"\d+(?:\.\d+)?", stripped) else None


def _number_text(text: str) -> tuple[float, bool] | str:
    """(number, written with %) from text, or the reason it is not one."""
    t = _APPROX.sub("", text.strip().replace("−", "-"), count=1)
    if t.startswith(("<", ">", "≤", "≥")):
        return "is a bound, not a number (often a suppressed small count)"
    m = _NUMBER.match(t)
    if m is None or bool(m["open"]) != bool(m["close"]) or (m["sign"] and m["sign2"]):
        return "is not a number: write digits, e.g. 1234 or 1,234.50"
    rest = m["rest"]
    if _RANGE.match(rest):
        return "is a range, not a number: give one figure"
    if rest and not re.match(r"\s+[^\d\s]|\s*\(", rest):
        return "is not a number: write digits, e.g. 1234 or 1,234.50"
    value = float(m["num"].replace(",", ""))
    negative = bool(m["open"]) or "-" in (m["sign"], m["sign2"])
    return (-value if negative else value), bool(m["pct"])


def _as_number(raw: object) -> tuple[float, bool] | str:
    """(number, written with %) from any cell value, or the reason it is not one."""
    if isinstance(raw, bool):
        return "is a TRUE/FALSE value, not a number"
    if isinstance(raw, int | float):
        return (float(raw), False) if math.isfinite(raw) else "is not a finite number"
    if isinstance(raw, str):
        return _number_text(raw)
    return "is a date, not a number" if isinstance(raw, date) else "is not a number"


def parse_number(raw: object) -> Parsed[float]:
    """A number: 1234, '1,234', '£1,234.50', '(5)' = -5, '12 (est)' = 12, '5 - Major' = 5.

    '-' is a placeholder. Booleans, bounds ('<5'), ranges ('3-5') and percentages
    ('35%': use :func:`parse_percent`) are ``number-unreadable``.
    """
    empty = _empty(raw)
    if empty is not None:
        return empty
    got = _as_number(raw)
    if isinstance(got, str):
        return Parsed(None, "number-unreadable", f"'{_shown(raw)}' {got}")
    if got[1]:
        detail = f"'{_shown(raw)}' is a percentage; this cell wants a number"
        return Parsed(None, "number-unreadable", detail)
    return Parsed(got[0])


def _is_fraction(number: float, fraction: bool | None) -> bool:
    return 0 < number < 1 if fraction is None else fraction


def parse_percent(raw: object, *, fraction: bool | None = None) -> Parsed[float]:
    """A percentage as a number 0..100.

    * Written with '%' ('35%', '0.5%'): taken as written, whatever ``fraction`` says.
    * Otherwise (a number, or text like '35' or '0.35'):
      ``fraction=True`` (the cell is %-formatted): always x100, so 1 -> 100;
      ``fraction=False``: as written, so 0.35 -> 0.35;
      ``fraction=None`` (default): strictly between 0 and 1 -> x100 (0.35 -> 35),
      since nobody reports 0.35% complete; 0, 1 and above as written (1 -> 1).
      A caller that sees a column of fractions should pass ``fraction=True``.

    Outside 0..100 gives ``percent-out-of-range`` with the value kept.
    Words ('Complete') are ``number-unreadable``.
    """
    empty = _empty(raw)
    if empty is not None:
        return empty
    got = _as_number(raw)
    if isinstance(got, str):
        return Parsed(None, "number-unreadable", f"'{_shown(raw)}' {got}")
    number, written_percent = got
    scale = not written_percent and _is_fraction(number, fraction)
    value = round(number * 100, 10) if scale else number
    if not 0 <= value <= 100:
        detail = f"'{_shown(raw)}' reads as {value:g}%, outside 0% to 100%"
        return Parsed(value, "percent-out-of-range", detail)
    return Parsed(value)


def parse_text(raw: object) -> Parsed[str]:
    """Text, stripped at the ends (inside kept). Numbers as shown ('5', '2.5'),
    dates dd/mm/yyyy, booleans TRUE/FALSE.
    """
    empty = _empty(raw)
    return empty if empty is not None else Parsed(_shown(raw))


_YES_NO = {"yes": True, "y": True, "true": True, "no": False, "n": False, "false": False}


def parse_yes_no(raw: object) -> Parsed[bool]:
    """Yes/No: TRUE/FALSE cells, 1/0, 'Yes', 'y', 'No - see notes' (a leading answer)."""
    empty = _empty(raw)
    if empty is not None:
        return empty
    if isinstance(raw, bool):
        return Parsed(raw)
    number = raw if isinstance(raw, int | float) else _plain_number(str(raw))
    if number in (0, 1):
        return Parsed(number == 1)
    found = _match_start(raw, _YES_NO) if isinstance(raw, str) else None
    if found is not None:
        return Parsed(found)
    return Parsed(None, "yes-no-unreadable", f"'{_shown(raw)}' is not Yes or No: write Yes or No")
