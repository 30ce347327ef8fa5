"""Recognise header text: which column means which field, and stacked header rows.

Pure: works on :class:`xlperf.grid.Sheet` values only. :mod:`xlperf.tables`
uses it to find tables in sheets xlperf did not make.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from xlperf.cells import is_blank, is_placeholder
from xlperf.grid import CellValue, Sheet

Range = tuple[int, int, int, int]
Score = tuple[int, int, int, int]

_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+|[^\sa-z0-9]")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
END_MARKER = re.compile(r"^(?:end|end of (?:table|data|sheet|section)|[a-z_]*\d+e)$")
START_MARKER = re.compile(r"^(?:start|start of (?:table|data|section)|[a-z_]*\d+s)$")
_ENUMERATED = re.compile(r"^(?P<label>.+?) \d{1,3}(?: \. \d{1,3})*$")
_NUMBERISH = re.compile(r"^[\s\d.,%£$€+\-/()]+$")
_BULLET = re.compile(r"^[-•–·]\s")
_SHORT_WORDS, _SHORT_CHARS = 14, 100
_PARENT_WORDS, _PARENT_CHARS = 6, 50
_MAX_HEADER_ROWS = 3


@dataclass(frozen=True)
class HeaderVocab:
    """Header phrases (lower case) that mean each field, and when a table is found.

    A table is found when its header row matches at least ``min_fields`` fields,
    one of them an ``anchor_fields`` field.
    """

    fields: Mapping[str, Sequence[str]]
    anchor_fields: Sequence[str]
    min_fields: int = 2


def normalise(text: str) -> str:
    """Header text for matching: lower case, one space, no '*' or ':'."""
    text = text.replace("*", " ").replace(":", " ")
    return _SPACES.sub(" ", text).strip().lower()


def _joined_tokens(text: str) -> str:
    return " ".join(_TOKEN.findall(text))


def _variants(text: str) -> tuple[str, ...]:
    """The normalised header, and the same without a trailing '(…)' unit."""
    full = normalise(text)
    bare = _TRAILING_PARENS.sub("", full)
    return (full, bare) if bare and bare != full else (full,)


def is_header_text(value: CellValue) -> bool:
    """Short text that could be a column title (not a number, date or paragraph)."""
    return isinstance(value, str) and _is_header_str(value)


@lru_cache(maxsize=65536)
def _is_header_str(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > _SHORT_CHARS or len(text.split()) > _SHORT_WORDS:
        return False
    if _NUMBERISH.match(text) or _BULLET.match(text):
        return False
    if text.endswith(".") and len(text.split()) >= 4:
        return False  # a sentence of guidance ('When was the decision made.'), not a title
    return not is_placeholder(text)


def is_parent_text(value: CellValue) -> bool:
    """Text short enough to head a group of columns ('Target 2024/25', 'Change (£m)')."""
    if not is_header_text(value):
        return False
    text = str(value).strip()
    if END_MARKER.match(text.lower()) or START_MARKER.match(text.lower()) or ">" in text:
        return False
    return len(text) <= _PARENT_CHARS and len(text.split()) <= _PARENT_WORDS


@dataclass
class Matcher:
    """One vocabulary, its phrases tokenised once, and a cache of header scores."""

    vocab: HeaderVocab
    _phrases: list[tuple[str, str]] = field(default_factory=list)
    _cache: dict[str, dict[str, Score]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, phrases in self.vocab.fields.items():
            self._phrases.extend((key, _joined_tokens(p.lower())) for p in phrases)

    def scores(self, title: str) -> dict[str, Score]:
        """field -> how well ``title`` names it: (exact, words in phrase, length, share)."""
        cached = self._cache.get(title)
        if cached is None:
            cached = self._score(title)
            self._cache[title] = cached
        return cached

    def _score(self, title: str) -> dict[str, Score]:
        found: dict[str, Score] = {}
        for variant in (_joined_tokens(v) for v in _variants(title)):
            padded = f" {variant} "
            enumerated = _ENUMERATED.match(variant)
            for key, phrase in self._phrases:
                if enumerated and enumerated["label"] == phrase:
                    continue  # 'Project 6', 'Output 2.1': a numbered item, not a column title
                if phrase != variant and f" {phrase} " not in padded:
                    continue
                cover = 1000 * len(phrase) // len(variant)
                score = (int(phrase == variant), phrase.count(" ") + 1, len(phrase), cover)
                found[key] = max(found.get(key, score), score)
        return found

    def assign(self, titles: Mapping[int, str]) -> dict[int, str]:
        """column -> field: best score first, leftmost on ties; one column per field."""
        options = [
            (score, col, key)
            for col, title in titles.items()
            for key, score in self.scores(title).items()
        ]
        options.sort(key=lambda o: (tuple(-s for s in o[0]), o[1]))
        chosen: dict[int, str] = {}
        for _, col, key in options:
            if col not in chosen and key not in chosen.values():
                chosen[col] = key
        return chosen

    def found(self, assigned: Mapping[int, str]) -> bool:
        keys = set(assigned.values())
        return len(keys) >= self.vocab.min_fields and any(
            a in keys for a in self.vocab.anchor_fields
        )


class Merges:
    """Merged ranges looked up by cell, clipped to the sheet's rows."""

    def __init__(self, sheet: Sheet) -> None:
        self.known = bool(sheet.merged)
        self._by_row: dict[int, list[Range]] = {}
        for rng in sheet.merged:
            r0, _, r1, _ = rng
            for r in range(r0, min(r1, sheet.n_rows - 1) + 1):
                self._by_row.setdefault(r, []).append(rng)

    def at(self, row: int, col: int) -> Range | None:
        for rng in self._by_row.get(row, ()):
            if rng[1] <= col <= rng[3]:
                return rng
        return None

    def covered(self, row: int, col: int) -> bool:
        """True when (row, col) is part of a merged range but not its top-left cell."""
        rng = self.at(row, col)
        return rng is not None and (rng[0], rng[1]) != (row, col)


def _carry_spans(sheet: Sheet, upper: int, lower: int, c0: int, c1: int) -> dict[int, int]:
    """Without merges: col -> start col of the upper-row text that heads it.

    An upper cell heads the blank cells to its right while the lower row has
    text under them.
    """
    spans: dict[int, int] = {}
    start: int | None = None
    for col in range(c0, c1 + 1):
        if not is_blank(sheet.value(upper, col)):
            start = col
        elif start is None or is_blank(sheet.value(lower, col)):
            start = None
            continue
        spans[col] = start
    return spans


def _parent_width(sheet: Sheet, merges: Merges, upper: int, col: int, carry: dict[int, int]) -> int:
    """How many columns the upper-row header above ``col`` spans (0 when blank)."""
    rng = merges.at(upper, col)
    if rng is not None:
        return rng[3] - rng[1] + 1
    if merges.known or col not in carry:
        return 0 if is_blank(sheet.value(upper, col)) else 1
    start = carry[col]
    return sum(1 for c in carry if carry[c] == start)


def _under(
    sheet: Sheet, merges: Merges, stack: Sequence[int], lower: int, cols: range
) -> dict[int, str]:
    """For each text cell of ``lower``: 'multi' under a header spanning several columns,
    'blank' under nothing, 'tall' under a header merged down, else 'single'."""
    carries = [
        {} if merges.known else _carry_spans(sheet, r, nxt, cols.start, cols.stop - 1)
        for r, nxt in zip(stack, [*stack[1:], lower], strict=True)
    ]
    found: dict[int, str] = {}
    for col in cols:
        if is_blank(sheet.value(lower, col)) or merges.covered(lower, col):
            continue
        widths = [
            _parent_width(sheet, merges, r, col, carry)
            for r, carry in zip(stack, carries, strict=True)
        ]
        found[col] = _above(merges, stack, col, widths)
    return found


def _above(merges: Merges, stack: Sequence[int], col: int, widths: Sequence[int]) -> str:
    if any(w > 1 for w in widths):
        return "multi"
    headed = [r for r, w in zip(stack, widths, strict=True) if w]
    if not headed:
        return "blank"
    rng = merges.at(headed[-1], col)
    return "tall" if rng is not None and rng[2] > rng[0] else "single"


def _is_sub_row(
    sheet: Sheet, merges: Merges, stack: Sequence[int], lower: int, cols: range
) -> bool:
    """Is ``lower`` another header row, its text under multi-column headers above it?"""
    if lower >= sheet.n_rows:
        return False
    under = _under(sheet, merges, stack, lower, cols)
    if not under or not all(is_header_text(sheet.value(lower, c)) for c in under):
        return False
    if _merged_into(merges, stack, lower, cols):
        return True  # the header's own cells are merged down over this row
    kinds = list(under.values())
    multi = kinds.count("multi")
    return "single" not in kinds and multi > 0 and kinds.count("tall") <= multi


def _merged_into(merges: Merges, stack: Sequence[int], row: int, cols: range) -> bool:
    for col in cols:
        rng = merges.at(row, col)
        if rng is not None and rng[0] in stack:
            return True
    return False


def _is_continuation(
    sheet: Sheet, merges: Merges, stack: Sequence[int], row: int, cols: range
) -> bool:
    """A row holding only the lower parts of header cells merged down into it."""
    if row >= sheet.n_rows:
        return False
    covered = False
    for col in cols:
        rng = merges.at(row, col)
        if rng is not None and rng[0] in stack:
            covered = True
        elif not is_blank(sheet.value(row, col)):
            return False
    return covered


def _is_parent_row(sheet: Sheet, merges: Merges, upper: int, lower: int, cols: range) -> bool:
    """Is ``upper`` a row of group headers, each over several columns of ``lower``?"""
    if upper < 0:
        return False
    heads = [c for c in cols if not is_blank(sheet.value(upper, c))]
    if not heads or not all(is_parent_text(sheet.value(upper, c)) for c in heads):
        return False
    carry = {} if merges.known else _carry_spans(sheet, upper, lower, cols.start, cols.stop - 1)
    widths = [_parent_width(sheet, merges, upper, c, carry) for c in heads]
    # one heading over every column is the table's title, not a group of columns
    return all(w > 1 for w in widths) and (len(heads) > 1 or widths[0] < len(cols))


def header_rows(sheet: Sheet, merges: Merges, row: int, cols: range) -> list[int]:
    """The rows making the header whose matched row is ``row``: up to 3 rows of text,
    plus the rows its merged cells run down into."""
    rows = [row - 1, row] if _is_parent_row(sheet, merges, row - 1, row, cols) else [row]
    texts = len(rows)
    while True:
        nxt = rows[-1] + 1
        if _is_continuation(sheet, merges, rows, nxt, cols):
            rows.append(nxt)
        elif texts < _MAX_HEADER_ROWS and _is_sub_row(sheet, merges, rows, nxt, cols):
            rows.append(nxt)
            texts += 1
        else:
            return rows


def _cell_text(sheet: Sheet, merges: Merges, row: int, col: int, first: int) -> str:
    rng = merges.at(row, col)
    if rng is not None and rng[0] >= first:
        value = sheet.value(rng[0], rng[1])
    elif rng is not None:
        return ""
    else:
        value = sheet.value(row, col)
    return "" if is_blank(value) else _SPACES.sub(" ", str(value)).strip()


def column_titles(sheet: Sheet, merges: Merges, rows: Sequence[int], cols: range) -> dict[int, str]:
    """col -> the header rows' text joined ('Target 2024/25 Q1')."""
    parts: dict[int, list[str]] = {c: [] for c in cols}
    for i, row in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        carry = {}
        if below is not None and not merges.known:
            carry = _carry_spans(sheet, row, below, cols.start, cols.stop - 1)
        for col in cols:
            text = _cell_text(sheet, merges, row, col, rows[0])
            if not text and col in carry:
                text = _cell_text(sheet, merges, row, carry[col], rows[0])
            if text and (not parts[col] or parts[col][-1] != text):
                parts[col].append(text)
    return {c: " ".join(p) for c, p in parts.items()}
