"""Excel hygiene in one place: A1 references, sheet names, safe text, epochs.

Pure functions, no spreadsheet library.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

MAX_ROWS = 1_048_576
MAX_COLS = 16_384
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def col_letter(col: int) -> str:
    """0-based column index -> letters (0 -> 'A', 27 -> 'AB')."""
    if col < 0:
        raise ValueError(f"column index must be >= 0, got {col}")
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """Column letters -> 0-based index ('A' -> 0)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column name: {letters!r}")
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def a1(row: int, col: int) -> str:
    """0-based (row, col) -> 'B3'."""
    return f"{col_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    """'B3' -> 0-based (row, col)."""
    m = _A1.match(ref.strip())
    if not m:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    return int(m.group(2)) - 1, col_index(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """'A1:C4' -> 0-based inclusive (first_row, first_col, last_row, last_col)."""
    start, _, end = ref.partition(":")
    r0, c0 = parse_a1(start)
    r1, c1 = parse_a1(end or start)
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)


def safe_sheet_name(name: str, taken: set[str] | None = None) -> str:
    """A legal, unique (ignoring case) sheet name of at most 31 characters."""
    clean = _BAD_SHEET_CHARS.sub("_", name).strip().strip("'") or "Sheet"
    clean = clean[:31]
    if taken is None:
        return clean
    lowered = {t.lower() for t in taken}
    candidate, n = clean, 2
    while candidate.lower() in lowered:
        suffix = f" ({n})"
        candidate = clean[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def looks_like_formula(text: str) -> bool:
    """True when text typed into a spreadsheet or CSV could be run as a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def excel_serial_to_date(serial: float, date1904: bool = False) -> datetime:
    """An Excel serial day number -> datetime (1900 or 1904 date system)."""
    if date1904:
        return datetime(1904, 1, 1) + timedelta(days=serial)
    if serial < 60:  # Excel's phantom 29/02/1900 sits at 60
        return datetime(1899, 12, 31) + timedelta(days=serial)
    return datetime(1899, 12, 30) + timedelta(days=serial)


def date_to_excel_serial(value: date) -> float:
    """date/datetime -> Excel 1900-system serial."""
    base = datetime(1899, 12, 30)
    as_dt = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
    delta = as_dt - base
    return delta.days + delta.seconds / 86400


# Placeholders: text that stands where a value should be, left in by the form.
# They count as empty, and the checker reports them; they are never data.
PLACEHOLDERS = frozenset(
    {
        "< select >", "<select>", "select", "please select", "please select an option",
        "please select...", "select...", "-- select --", "choose an item.", "choose an item",
        "tbc", "tbd", "to be confirmed", "n/a", "na", "n.a.", "-", "--", "–", "—", "x", "[x]",
        "[z]", "[c]", "*", "..", "…", "?", "enter text", "click here to enter text.",
    }
)
_SPACES = re.compile(r"\s+")


def is_placeholder(value: object) -> bool:
    """True for text a form leaves where a value should be ('< Select >', 'tbc', '-')."""
    if not isinstance(value, str):
        return False
    text = _SPACES.sub(" ", value).strip().lower()
    if not text:
        return False
    return text in PLACEHOLDERS or text.replace(" ", "") in PLACEHOLDERS


def is_blank(value: object) -> bool:
    """True for a cell with nothing in it (None or only white space)."""
    return value is None or (isinstance(value, str) and not value.strip())
