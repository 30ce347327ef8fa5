"""Find the tables in any partner's sheet by their header text, and read their rows.

Pure: works on :class:`xlperf.grid.Sheet` values only, so xlperf can read
action plans, indicator frameworks and returns that it did not make.

Decisions worth knowing:

* A header row is a run of mostly short text cells (a run ends at two blank
  cells, or at one blank column with nothing under it) matching a vocabulary.
* A table ends at an ``END`` marker row, at the next header row over the same
  columns (the preamble rows just above that header, such as "Project 2:", are
  left out), at a "RAG key" / "Notes" row, or after three or more blank rows
  when the next row does not fit the table. Blank rows inside a table never
  split it.
* Blank header columns holding data at either side of the header (a reference
  column like ``B1``..``B20``) join the table with an empty title.
* A merged value fills every row of its own range, in the range's first column
  only. Nothing is filled down when the sheet has no merges, except a group
  label standing alone in a column, carried down to the next label.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from xlperf.cells import col_letter, is_blank, is_placeholder
from xlperf.grid import CellValue, Sheet
from xlperf.headers import (
    END_MARKER,
    START_MARKER,
    HeaderVocab,
    Matcher,
    Merges,
    column_titles,
    header_rows,
    is_header_text,
    normalise,
)

__all__ = ["Column", "FoundTable", "HeaderVocab", "Record", "find_tables", "records"]

_STOP = re.compile(
    r"^(?:rag\s+(?:rating\s+|status\s+)?key|key(?:\s*$|\s+to\b)|notes?$|sources?$"
    r"|legend\b|glossary\b|definitions?$)"
)
_ASIDE = re.compile(r"\b(?:guidance|key|legend)\b")
_INSTRUCTION = re.compile(
    r"^(?:please|enter|select|choose|explain|describe|provide|insert|give|state|list"
    r"|include|use|fill|complete|type|what|how|which|why|when|where|who|to what)\b"
)
_TAG = re.compile(r"^#?[a-z][a-z0-9]*(?:[_+][a-z0-9]+)+$|^#[a-z][a-z0-9]*$")
_REFLIKE = re.compile(r"^[A-Za-z]{0,3}\d+(?:\.\d+)*[a-z]?\.?$")
_KEY_COLON = re.compile(r"^(?P<key>[^:\n]{1,40}?)\s*:\s*(?P<value>.*)$", re.S)
_KEY_DASH = re.compile(
    r"^(?P<key>[A-Za-z][A-Za-z ]{0,30}?\s\d+(?:\.\d+)*)\s*[-–—]\s*(?P<value>.+)$"
)
_NUMBERING = re.compile(r"\s*(?:no\.?\s*)?\d+(?:\.\d+)*[a-z]?\.?$", re.I)
_EXAMPLE = ("example", "e.g.", "eg.", "e.g ")
_SPACER_DEPTH = 20
_BLANK_GAP = 3
_WIDEN_PROBE = 200
_TALL_HEADER = 4
_CAPTION_CHARS = 100


@dataclass
class Column:
    index: int
    """0-based sheet column"""
    title: str
    """the joined header text ("Target 2024/25 Q1"); "" for an unnamed column"""
    field: str | None
    """the vocabulary field it maps to, or None"""


@dataclass
class FoundTable:
    sheet: str
    header_rows: list[int]
    columns: list[Column]
    first_row: int
    """first data row (0-based); last_row < first_row when the table has no data"""
    last_row: int
    kind: str
    """the name of the vocabulary that found it"""
    skipped_rows: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    """rows under the header that are not data: (row, 'guidance', 'machine tags' or
    'start marker')"""
    anchor: str | None = None
    """the anchor field matched"""
    caption: str = ""
    """the short text just above the header ('Project 1: Barrow Learning Quarter')"""

    def field_column(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)

    @property
    def span(self) -> range:
        return range(self.columns[0].index, self.columns[-1].index + 1)


@dataclass
class Record:
    row: int
    values: dict[int, CellValue]
    context: dict[str, str]
    filled: set[int]
    placeholders: dict[int, str]
    is_example: bool


@dataclass(frozen=True)
class _Candidate:
    row: int
    cols: range
    kind: str
    strength: int


@dataclass
class _View:
    """One table's columns over a sheet: what kind of row each row is."""

    sheet: Sheet
    merges: Merges
    cols: range
    anchor: int | None
    fields: frozenset[int] = frozenset()
    """columns mapped to a field"""

    def cells(self, row: int) -> dict[int, CellValue]:
        values = self.sheet.rows[row] if row < self.sheet.n_rows else []
        stop = min(self.cols.stop, len(values))
        return {c: values[c] for c in range(self.cols.start, stop) if not is_blank(values[c])}

    def kind(self, row: int) -> str:
        """'blank', 'end', 'start', 'stop', 'label' or 'data'."""
        cells = self.cells(row)
        if not cells:
            return "blank"
        texts = [normalise(v) if isinstance(v, str) else "" for v in cells.values()]
        if all(END_MARKER.match(t) for t in texts):
            return "end"
        if all(START_MARKER.match(t) for t in texts):
            return "start"
        if len(texts) == 1 and _STOP.match(texts[0]):
            return "stop"
        return "label" if self.label_col(row, cells) is not None else "data"

    def label_col(self, row: int, cells: Mapping[int, CellValue]) -> int | None:
        """The column of a group label ('Priority 1: Pursue', 'Rail'), if the row is one."""
        if len(cells) != 1:
            return None
        col, value = next(iter(cells.items()))
        if not isinstance(value, str) or is_placeholder(value) or _REFLIKE.match(value.strip()):
            return None
        rng = self.merges.at(row, col)
        wide = rng is not None and rng[3] - rng[1] + 1 >= max(2, len(self.cols) // 2)
        return col if wide or col != self.anchor else None


def find_tables(sheet: Sheet, vocabs: Mapping[str, HeaderVocab]) -> list[FoundTable]:
    """Every table in ``sheet`` whose header matches one of ``vocabs``, top to bottom."""
    merges = Merges(sheet)
    matchers = {kind: Matcher(v) for kind, v in vocabs.items()}
    candidates = _all_candidates(sheet, merges, matchers)
    tables: list[FoundTable] = []
    for row in sorted(candidates):
        for cand in candidates[row]:
            if not any(_claims(t, cand) for t in tables):
                tables.append(_build(sheet, merges, matchers, candidates, cand))
    return tables


def _claims(table: FoundTable, cand: _Candidate) -> bool:
    rows = range(table.header_rows[0], max(table.last_row, table.header_rows[-1]) + 1)
    return cand.row in rows and _overlap(table.span, cand.cols)


def _overlap(a: range, b: range) -> bool:
    return a.start < b.stop and b.start < a.stop


def _all_candidates(
    sheet: Sheet, merges: Merges, matchers: Mapping[str, Matcher]
) -> dict[int, list[_Candidate]]:
    found: dict[int, list[_Candidate]] = {}
    for row, values in enumerate(sheet.rows):
        if sum(1 for v in values if is_header_text(v)) < 2:
            continue
        for cols in _segments(sheet, merges, matchers, row):
            cand = _best_candidate(sheet, merges, row, cols, matchers)
            if cand is not None:
                found.setdefault(row, []).append(cand)
    return found


def _segments(
    sheet: Sheet, merges: Merges, matchers: Mapping[str, Matcher], row: int
) -> list[range]:
    """Runs of header cells in ``row``; a run beyond one empty spacer column joins the
    run before it unless it stands alone (a 'RAG guidance' block, another table)."""
    segments: list[range] = []
    for cols, after_spacer in _runs(sheet, merges, row):
        if segments and after_spacer and not _stands_alone(sheet, merges, row, cols, matchers):
            segments[-1] = range(segments[-1].start, cols.stop)
        else:
            segments.append(cols)
    return segments


def _runs(sheet: Sheet, merges: Merges, row: int) -> list[tuple[range, bool]]:
    """Header cells split at 2+ blank cells, or at 1 blank column empty below (a spacer)."""
    values = sheet.rows[row]
    runs: list[tuple[range, bool]] = []
    start, last, spacer = -1, -1, False
    for col in range(len(values)):
        if is_blank(values[col]) and not _heads_below(sheet, merges, row, col):
            continue
        gap = col - last - 1 if start >= 0 else 0
        if gap >= 2 or (gap == 1 and _is_spacer(sheet, row, col - 1)):
            runs.append((range(start, last + 1), spacer))
            start, spacer = col, gap == 1
        start = col if start < 0 else start
        last = col
    if start >= 0:
        runs.append((range(start, last + 1), spacer))
    return runs


def _heads_below(sheet: Sheet, merges: Merges, row: int, col: int) -> bool:
    """A blank header cell still belongs to the header when merged into a cell beside it,
    or when the row below has a sub-header in it."""
    return merges.covered(row, col) or is_header_text(sheet.value(row + 1, col))


def _is_spacer(sheet: Sheet, row: int, col: int) -> bool:
    depth = range(row + 1, min(sheet.n_rows, row + 1 + _SPACER_DEPTH))
    return all(is_blank(sheet.value(r, col)) for r in depth)


def _stands_alone(
    sheet: Sheet, merges: Merges, row: int, cols: range, matchers: Mapping[str, Matcher]
) -> bool:
    texts = [
        normalise(str(sheet.value(row, c))) for c in cols if is_header_text(sheet.value(row, c))
    ]
    if any(_ASIDE.search(t) for t in texts):
        return True
    return _best_candidate(sheet, merges, row, cols, matchers) is not None


def _best_candidate(
    sheet: Sheet, merges: Merges, row: int, cols: range, matchers: Mapping[str, Matcher]
) -> _Candidate | None:
    values = {c: sheet.value(row, c) for c in cols}
    present = [v for v in values.values() if not is_blank(v)]
    texts = {
        c: str(v) for c, v in values.items() if is_header_text(v) and not _tall(merges, row, c)
    }
    if len(texts) < 2 or len(texts) * 10 < len(present) * 6:
        return None
    best: _Candidate | None = None
    for kind, matcher in matchers.items():
        assigned = matcher.assign(texts)
        if matcher.found(assigned) and (best is None or len(assigned) > best.strength):
            best = _Candidate(row, cols, kind, len(assigned))
    return best


def _tall(merges: Merges, row: int, col: int) -> bool:
    """A label merged down many rows (a level label, 'B1' over 20 rows), not a title."""
    rng = merges.at(row, col)
    return rng is not None and rng[2] - rng[0] >= _TALL_HEADER


def _build(
    sheet: Sheet,
    merges: Merges,
    matchers: Mapping[str, Matcher],
    candidates: Mapping[int, list[_Candidate]],
    cand: _Candidate,
) -> FoundTable:
    rows = header_rows(sheet, merges, cand.row, cand.cols)
    titles = column_titles(sheet, merges, rows, cand.cols)
    matcher = matchers[cand.kind]
    fields = matcher.assign({c: t for c, t in titles.items() if t})
    columns = [Column(c, titles[c], fields.get(c)) for c in cand.cols]
    anchor = next((a for a in matcher.vocab.anchor_fields if a in fields.values()), None)
    first = rows[-1] + 1
    table = FoundTable(sheet.name, rows, columns, first, first - 1, cand.kind, anchor=anchor)
    view = _view(sheet, merges, table)
    _skip_preface(view, table)
    _find_end(view, table, candidates, matchers, cand.strength)
    _widen(view, table)
    table.caption = _caption(sheet, rows[0])
    return table


def _view(sheet: Sheet, merges: Merges, table: FoundTable) -> _View:
    anchor = table.field_column(table.anchor) if table.anchor else None
    fields = frozenset(c.index for c in table.columns if c.field)
    return _View(sheet, merges, table.span, anchor.index if anchor else None, fields)


def _skip_preface(view: _View, table: FoundTable) -> None:
    """Step over blank, guidance, machine-tag and START rows under the header."""
    row = table.first_row
    while row < view.sheet.n_rows:
        cells = view.cells(row)
        reason = _preface_reason(view, row, cells)
        if reason is None:
            break
        if reason:
            table.skipped_rows.append((row, reason))
        row += 1
    table.first_row, table.last_row = row, row - 1


def _preface_reason(view: _View, row: int, cells: Mapping[int, CellValue]) -> str | None:
    """'' for a blank row, a reason for a row to skip, None for the first real row."""
    if not cells:
        return ""
    if view.kind(row) == "start":
        return "start marker"
    texts = [v.strip() for v in cells.values() if isinstance(v, str)]
    if len(texts) < len(cells):
        return None
    if len(texts) >= 2 and sum(1 for t in texts if _TAG.match(t)) * 10 >= len(texts) * 6:
        return "machine tags"
    return "guidance" if _is_guidance(texts, cells, view.anchor) else None


def _is_guidance(texts: list[str], cells: Mapping[int, CellValue], anchor: int | None) -> bool:
    if all(_INSTRUCTION.match(t.lower()) for t in texts):
        return True
    long = sum(1 for t in texts if len(t) > 40 or len(t.split()) > 6)
    anchor_text = cells.get(anchor) if anchor is not None else None
    anchor_ok = anchor_text is None or bool(_INSTRUCTION.match(str(anchor_text).lower().strip()))
    return len(texts) >= 2 and long * 10 >= len(texts) * 6 and anchor_ok


def _find_end(
    view: _View,
    table: FoundTable,
    candidates: Mapping[int, list[_Candidate]],
    matchers: Mapping[str, Matcher],
    strength: int,
) -> None:
    """Set ``last_row``: the last data row before the table ends."""
    data: list[int] = []
    gap, stop = 0, view.sheet.n_rows
    for row in range(table.first_row, view.sheet.n_rows):
        if _next_header(view, row, candidates, matchers, strength):
            stop = _preamble_start(view, row, table.first_row)
            break
        kind = view.kind(row)
        if kind == "blank":
            gap += 1
            continue
        if kind in ("end", "stop") or (gap >= _BLANK_GAP and not _fits(view, row, kind)):
            break
        gap = 0
        if kind == "data":
            data.append(row)
    table.last_row = max((r for r in data if r < stop), default=table.first_row - 1)


def _next_header(
    view: _View,
    row: int,
    candidates: Mapping[int, list[_Candidate]],
    matchers: Mapping[str, Matcher],
    strength: int,
) -> bool:
    for cand in candidates.get(row, ()):
        needed = min(strength, matchers[cand.kind].vocab.min_fields + 1)
        if _overlap(view.cols, cand.cols) and cand.strength >= needed:
            return True
    return False


def _preamble_start(view: _View, header: int, first: int) -> int:
    """First of the sparse rows ('Project 2:', a section title) just above a header."""
    row = header - 1
    while row >= first and not view.cells(row):
        row -= 1
    top = row
    while row >= first and 1 <= len(view.cells(row)) <= 2:
        row -= 1
    if row < top and (row < first or not view.cells(row)):
        return row + 1
    return header


def _fits(view: _View, row: int, kind: str) -> bool:
    """After a long blank gap: is this row still the table's (a label, or an anchor
    cell with another field beside it), not a block below it?"""
    values = view.sheet.rows[row]
    if any(not is_blank(v) for c, v in enumerate(values) if c not in view.cols):
        return False
    if kind == "label":
        return True
    cells = view.cells(row)
    return view.anchor in cells and any(c in cells for c in view.fields if c != view.anchor)


def _widen(view: _View, table: FoundTable) -> None:
    """Add the unnamed columns either side of the header that hold data."""
    if table.last_row < table.first_row:
        return
    probe = range(table.first_row, min(table.last_row, table.first_row + _WIDEN_PROBE) + 1)
    col = table.columns[0].index - 1
    while col >= 0 and _unnamed_data_column(view, table, col, probe):
        table.columns.insert(0, Column(col, "", None))
        col -= 1
    col = table.columns[-1].index + 1
    while col < view.sheet.n_cols and _unnamed_data_column(view, table, col, probe):
        table.columns.append(Column(col, "", None))
        col += 1


def _unnamed_data_column(view: _View, table: FoundTable, col: int, probe: range) -> bool:
    sheet, merges = view.sheet, view.merges
    if any(not is_blank(sheet.value(r, col)) or merges.at(r, col) for r in table.header_rows):
        return False
    return any(not is_blank(sheet.value(r, col)) for r in probe)


def _caption(sheet: Sheet, header: int) -> str:
    """The short text in the nearest non-blank row of the three above the header."""
    for row in range(header - 1, max(-1, header - 4), -1):
        cells = [v for v in sheet.rows[row] if not is_blank(v)]
        if cells:
            text = " ".join(" ".join(v for v in cells if isinstance(v, str)).split())
            return text if len(cells) <= 3 and len(text) <= _CAPTION_CHARS else ""
    return ""


def records(sheet: Sheet, table: FoundTable) -> list[Record]:
    """The data rows of ``table``, blank rows, markers and group label rows left out."""
    view = _view(sheet, Merges(sheet), table)
    titles = {c.index: c.title for c in table.columns}
    levels: dict[str, tuple[str, int | None]] = {}
    out: list[Record] = []
    for row in range(table.first_row, table.last_row + 1):
        kind = view.kind(row)
        if kind == "label":
            _push_label(view, row, titles, levels)
        elif kind == "data":
            out.append(_record(view, row, titles, levels, table.header_rows[-1]))
    return out


def _push_label(
    view: _View, row: int, titles: Mapping[int, str], levels: dict[str, tuple[str, int | None]]
) -> None:
    """Record a group label; a label at an outer level drops the inner ones."""
    cells = view.cells(row)
    col = view.label_col(row, cells)
    if col is None:
        return
    text = " ".join(str(cells[col]).split())
    rng = view.merges.at(row, col)
    wide = rng is not None and rng[3] > rng[1]
    key, value, prefixed = _label_key(text, "Group" if wide else _title(titles, col))
    if key in levels:
        keys = list(levels)
        for old in keys[keys.index(key) :]:
            del levels[old]
    levels[key] = (value, None if prefixed or wide else col)


def _label_key(text: str, fallback: str) -> tuple[str, str, bool]:
    """'Priority 1: Pursue' -> ('Priority', 'Pursue', True); 'Rail' -> (fallback, 'Rail', False)."""
    for pattern in (_KEY_COLON, _KEY_DASH):
        match = pattern.match(text)
        if match and match["value"].strip() and len(match["key"].split()) <= 4:
            key = _NUMBERING.sub("", match["key"]).strip()
            if key:
                return key, match["value"].strip(), True
    return fallback, text, False


def _title(titles: Mapping[int, str], col: int) -> str:
    return titles.get(col) or f"Column {col_letter(col)}"


def _record(
    view: _View,
    row: int,
    titles: Mapping[int, str],
    levels: Mapping[str, tuple[str, int | None]],
    header_last: int,
) -> Record:
    raw = view.cells(row)
    values: dict[int, CellValue] = {c: raw.get(c) for c in titles}
    context = {key: value for key, (value, _) in levels.items()}
    filled = _fill_merged(view, row, titles, values, context, header_last)
    filled |= _fill_carried(values, levels)
    placeholders = {c: v for c, v in values.items() if isinstance(v, str) and is_placeholder(v)}
    values.update(dict.fromkeys(placeholders))
    return Record(row, values, context, filled, placeholders, _is_example(raw))


def _fill_merged(
    view: _View,
    row: int,
    titles: Mapping[int, str],
    values: dict[int, CellValue],
    context: dict[str, str],
    header_last: int,
) -> set[int]:
    """Give each row of a merged range its value; labels merged down the columns left
    of the anchor (a logframe level, a portfolio group) also become context."""
    filled: set[int] = set()
    for col in titles:
        merged = _merged_label(view, row, col, header_last)
        if values[col] is None and merged is not None:
            values[col] = merged
            filled.add(col)
        if isinstance(merged, str) and view.anchor is not None and col < view.anchor:
            context[_title(titles, col)] = " ".join(merged.split())
    return filled


def _fill_carried(
    values: dict[int, CellValue], levels: Mapping[str, tuple[str, int | None]]
) -> set[int]:
    """Carry a group label that stood alone in a column into that column's blank cells."""
    filled: set[int] = set()
    for value, col in levels.values():
        if col is not None and values.get(col) is None:
            values[col] = value
            filled.add(col)
    return filled


def _merged_label(view: _View, row: int, col: int, header_last: int) -> CellValue:
    """The value of a merged range running down through (row, col), from its first column."""
    rng = view.merges.at(row, col)
    if rng is None or rng[1] != col or rng[2] == rng[0] or rng[0] <= header_last:
        return None
    return view.sheet.value(rng[0], rng[1])


def _is_example(raw: Mapping[int, CellValue]) -> bool:
    return any(isinstance(v, str) and v.strip().lower().startswith(_EXAMPLE) for v in raw.values())
