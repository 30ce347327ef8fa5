"""An open workbook (an ``xw.Book``) -> the plain grids the core reads.

Works the same on every xlwings engine: desktop Excel (RunPython), xlwings Server and
xlwings Lite (the remote engine), so the core's reader and checker see exactly what
they see in a file. Values only: formats, merged cells and formulas are not read.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlperf.cells import is_blank
from xlperf.grid import CellValue, Sheet, Workbook


def read_book(book: Any) -> Workbook:
    """Every sheet of ``book`` as values from A1, trimmed to the real data."""
    path = book_path(book)
    kind = path.suffix.lower().lstrip(".") or "xlsx"
    return Workbook(path=path, kind=kind, sheets=[read_sheet(s) for s in book.sheets])


def read_sheet(sheet: Any) -> Sheet:
    last = sheet.used_range.last_cell
    block = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
    rows = _trim([[_value(v) for v in row] for row in block])
    dates = {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
             if isinstance(v, date)}
    return Sheet(name=sheet.name, rows=rows, visible=_visible(sheet), date_cells=dates)


def book_path(book: Any) -> Path:
    """The workbook's path: a full path in desktop Excel, only its name on a server."""
    return Path(str(book.fullname or book.name))


def _value(value: Any) -> CellValue:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, str | int | float | bool | date) or value is None:
        return value
    return str(value)


def _trim(rows: list[list[CellValue]]) -> list[list[CellValue]]:
    """Rows up to the last non-blank row and column, padded to one width."""
    last_row, last_col = -1, -1
    for r, row in enumerate(rows):
        filled = [c for c, v in enumerate(row) if not is_blank(v)]
        if filled:
            last_row, last_col = r, max(last_col, filled[-1])
    return [(row[: last_col + 1] + [None] * (last_col + 1 - len(row)))
            for row in rows[: last_row + 1]]


def _visible(sheet: Any) -> bool:
    try:
        return bool(sheet.visible)
    except (KeyError, AttributeError, NotImplementedError):  # clients that do not say
        return True
