"""What every reader gives back: a workbook as plain grids of values.

Readers (``xlperf.read``) turn any file into a :class:`Workbook`; everything
after that (finding tables, checking, consolidating) works on these plain
objects and never sees calamine or openpyxl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

CellValue = str | int | float | bool | datetime | date | time | timedelta | None


@dataclass
class Sheet:
    """One sheet's values. ``rows[r][c]`` is the cell at 0-based (r, c), from A1.

    Empty cells are ``None``. Rows are trimmed to the real extent of the data
    (the last row and column holding a value), never the sheet's stated size.
    """

    name: str
    rows: list[list[CellValue]]
    visible: bool = True
    #: merged ranges, 0-based inclusive (first_row, first_col, last_row, last_col)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: cells holding a formula that has no calculated (cached) value
    uncalculated: set[tuple[int, int]] = field(default_factory=set)
    #: cells holding a formula (with or without a cached value), where known
    formulas: set[tuple[int, int]] = field(default_factory=set)
    #: number formats of date-formatted numeric cells, where known: (r, c) -> True
    date_cells: set[tuple[int, int]] = field(default_factory=set)

    def value(self, row: int, col: int) -> CellValue:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Workbook:
    """A file read into memory as values plus the structure we could read."""

    path: Path
    #: what the content really is: xlsx, xlsm, xls, ods, csv, html
    kind: str
    sheets: list[Sheet]
    #: plain-words notes about what could not be read (e.g. formatting)
    notes: list[str] = field(default_factory=list)
    date1904: bool = False
    #: the workbook asks to be fully recalculated when opened
    needs_recalc: bool = False
    #: sha256 of the file's bytes
    sha256: str = ""

    def sheet(self, name: str) -> Sheet | None:
        for s in self.sheets:
            if s.name == name:
                return s
        lowered = name.strip().lower()
        for s in self.sheets:
            if s.name.strip().lower() == lowered:
                return s
        return None
