"""Cell values of xlsx, xlsm, xlsb, xls and ods files, through python-calamine.

python-calamine is imported when a file is read, not with this module: xlwings Lite
(Pyodide) has no build of it, and there xlperf reads the open workbook instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import IO, Any

from xlperf.grid import CellValue
from xlperf.read.errors import ReaderUnavailable


class CalamineFailed(Exception):
    """calamine could not read the workbook; ``password`` when it says it is encrypted."""

    def __init__(self, detail: str, password: bool = False) -> None:
        super().__init__(detail)
        self.password = password


@dataclass
class RawSheet:
    """One sheet as calamine gives it, with '' already turned into None."""

    name: str
    visible: bool
    rows: list[list[CellValue]]
    #: merged ranges calamine reported (xls, xlsx); None when it cannot tell (ods)
    merged: list[tuple[int, int, int, int]] | None


def read_values(stream: IO[bytes], skip: frozenset[str] = frozenset()) -> list[RawSheet]:
    """Every sheet's values, positioned from A1. Raises CalamineFailed, never a panic.

    Sheets named in ``skip`` (too large for a dense grid) come back empty. Raises
    ReaderUnavailable when python-calamine is not installed.
    """
    try:
        import python_calamine as calamine
    except ImportError as exc:
        raise ReaderUnavailable() from exc
    try:
        book = calamine.CalamineWorkbook.from_filelike(stream)
        try:
            return [_sheet(calamine, book, meta) if meta.name not in skip else
                    RawSheet(meta.name, meta.visible == calamine.SheetVisibleEnum.Visible, [], [])
                    for meta in book.sheets_metadata]
        finally:
            book.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine's Rust panics are BaseExceptions
        password = type(exc).__name__ == "PasswordError"
        raise CalamineFailed(f"{type(exc).__name__}: {exc}", password=password) from exc


def _sheet(calamine: Any, book: Any, meta: Any) -> RawSheet:
    visible = meta.visible == calamine.SheetVisibleEnum.Visible
    if meta.typ != calamine.SheetTypeEnum.WorkSheet:
        return RawSheet(meta.name, visible, [], [])  # chart sheets hold no cells
    sheet = book.get_sheet_by_name(meta.name)
    raw = sheet.to_python(skip_empty_area=False)  # row/col indices are true A1 positions
    rows: list[list[CellValue]] = [[None if v == "" else v for v in row] for row in raw]
    merged = sheet.merged_cell_ranges
    ranges = None if merged is None else [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in merged]
    return RawSheet(meta.name, visible, rows, ranges)


def date_cells(rows: list[list[CellValue]]) -> set[tuple[int, int]]:
    """Cells calamine turned into dates or times (date-formatted numbers)."""
    kinds = (date, time, timedelta)  # datetime is a date
    return {(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if isinstance(v, kinds)}
