"""Cut a grid of values down to the real extent of its data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xlperf.cells import is_blank
from xlperf.grid import CellValue

#: blank cells kept (``keep``) may grow a grid to at most this many cells
MAX_KEPT_AREA = 5_000_000


def trim(
    rows: Sequence[Sequence[CellValue]], keep: Iterable[tuple[int, int]] = ()
) -> list[list[CellValue]]:
    """Rows up to the last non-blank row and column, padded to one width.

    ``keep`` are cells to include even when blank (e.g. formulas with no value),
    unless one would grow the grid past MAX_KEPT_AREA cells (a formula at XFD1048576).
    Only trailing rows and columns go: ``rows[r][c]`` stays the cell at A1 + (r, c).
    """
    last_row, last_col = -1, -1
    for r, row in enumerate(rows):
        for c in range(len(row) - 1, -1, -1):
            if not is_blank(row[c]):
                last_row, last_col = r, max(last_col, c)
                break
    for r, c in keep:
        grown_row, grown_col = max(last_row, r), max(last_col, c)
        if (grown_row + 1) * (grown_col + 1) <= MAX_KEPT_AREA:
            last_row, last_col = grown_row, grown_col
    width = last_col + 1
    out: list[list[CellValue]] = []
    for r in range(last_row + 1):
        row = list(rows[r][:width]) if r < len(rows) else []
        row.extend([None] * (width - len(row)))
        out.append(row)
    return out
