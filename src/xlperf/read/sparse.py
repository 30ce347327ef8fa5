"""Sheets whose values stretch absurdly far: found before calamine sees them, read sparsely.

calamine builds a dense grid from A1 to the last value, so one stray value at XFD1048576
asks for 17 billion cells and aborts the process. The extent of each worksheet's values
is measured from its XML first (a byte scan, after the DTD and zip-bomb checks), and a
sheet too large for a dense grid is read cell by cell here, keeping only the cells near
its data and saying how many far-away values were left out.
"""

from __future__ import annotations

import re
import zipfile

from defusedxml.ElementTree import iterparse

from xlperf.cells import a1, col_index
from xlperf.grid import CellValue

MAX_DENSE_CELLS = 20_000_000  # beyond this, a sheet is read sparsely
KEEP_ROWS, KEEP_COLS = 100_000, 1_000  # the window of a sparse read

_FILLED = re.compile(rb'<c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?>\s*<(?:v|is|f)\b')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_VALUE = re.compile(rb"<v(?:\s[^>]*?)?>([^<]*)</v>")
_TEXT = re.compile(rb"<t(?:\s[^>]*?)?>([^<]*)</t>")
_ENTITIES = {b"&lt;": b"<", b"&gt;": b">", b"&quot;": b'"', b"&apos;": b"'"}


_WIDE = re.compile(rb'<c\b[^>]*?\br="[A-Z]{3}[0-9]')
_LAST_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"')


def value_extent(data: bytes) -> tuple[int, int]:
    """(last row, last column), 0-based, of cells holding a value or formula; (-1, -1)
    when the sheet is certainly small enough for a dense grid (the common case, found
    without walking every cell)."""
    last_row = max((int(r) for r in _LAST_ROW.findall(data)), default=0)  # rows, not cells
    if not _WIDE.search(data) and last_row * 702 <= MAX_DENSE_CELLS:
        return -1, -1  # under 702 columns (no three-letter column) and few rows
    rows, cols = -1, -1
    for m in _FILLED.finditer(data):
        rows = max(rows, int(m.group(2)) - 1)
        cols = max(cols, col_index(m.group(1).decode()))
    return rows, cols


def too_large(extent: tuple[int, int]) -> bool:
    return (extent[0] + 1) * (extent[1] + 1) > MAX_DENSE_CELLS


def shared_strings(zf: zipfile.ZipFile, name: str) -> list[str]:
    """Every shared string, in order (rich-text runs joined)."""
    if name not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open(name) as stream:
        for _, el in iterparse(stream, events=("end",), forbid_dtd=True):
            if el.tag.endswith("}si"):
                out.append("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
                el.clear()
    return out


def read_sparse(data: bytes, shared: list[str]) -> tuple[list[list[CellValue]], int, str]:
    """The sheet's values inside the window, the count of values outside it, and the
    first outside cell's reference."""
    cells: dict[tuple[int, int], CellValue] = {}
    outside, first = 0, ""
    for m in _CELL.finditer(data):
        ref = _REF.search(m.group(1))
        body = m.group(2)
        if ref is None or not body:
            continue
        r, c = int(ref.group(2)) - 1, col_index(ref.group(1).decode())
        value = _value(m.group(1), body, shared)
        if value is None:
            continue
        if r >= KEEP_ROWS or c >= KEEP_COLS:
            outside += 1
            first = first or a1(r, c)
            continue
        cells[(r, c)] = value
    n_rows = max((r for r, _ in cells), default=-1) + 1
    n_cols = max((c for _, c in cells), default=-1) + 1
    rows: list[list[CellValue]] = [[None] * n_cols for _ in range(n_rows)]
    for (r, c), value in cells.items():
        rows[r][c] = value
    return rows, outside, first


def _value(attrs: bytes, body: bytes, shared: list[str]) -> CellValue:
    kind_match = _TYPE.search(attrs)
    kind = kind_match.group(1) if kind_match else b"n"
    if kind == b"inlineStr":
        return _unescape(b"".join(_TEXT.findall(body))) or None
    found = _VALUE.search(body)
    if found is None or not found.group(1):
        return None
    raw = found.group(1)
    if kind == b"s":
        index = int(raw)
        return shared[index] if 0 <= index < len(shared) else None
    if kind == b"b":
        return raw == b"1"
    if kind in (b"str", b"e"):
        return _unescape(raw)
    try:
        return float(raw)
    except ValueError:
        return _unescape(raw)


def _unescape(raw: bytes) -> str:
    for entity, char in _ENTITIES.items():
        raw = raw.replace(entity, char)
    return raw.replace(b"&amp;", b"&").decode("utf-8", errors="replace")
