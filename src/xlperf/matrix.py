"""A grid of one indicator's figures with row and column totals (the NRM referral table).

Read from a :class:`xlperf.schema.MatrixSheet`: row labels down column A, column
headings on the heading row, totals in the last column and the last row. Labels are
matched by text, so a row or column the agency added is read too, under its own label.
Each Total is checked against the sum of its parts: a row total against the row's
figures, a column total against the column's, the grand total against every figure (or,
when only totals were given, against the row totals). A total given without any of its
parts is not a mismatch: the breakdown is unknown, not zero. Pure.
"""

from __future__ import annotations

from collections.abc import Callable

from xlperf.cells import a1, is_blank
from xlperf.check import TOTAL_WORDS, Context, RawCell, RawRow, RowResult, check_total, read_field
from xlperf.grid import Sheet
from xlperf.model import IndicatorValue, Source
from xlperf.schema import Field, FieldType, MatrixSheet

__all__ = ["breakdown_label", "read_matrix"]

TOTAL = "Total"
_HEADING_SEARCH = 12  # rows searched for the heading row


def breakdown_label(row: str, column: str) -> str:
    """'Labour exploitation / Male adult'; 'Labour exploitation / Total'; the grand 'Total'."""
    if _is_total(row) and _is_total(column):
        return TOTAL
    return f"{TOTAL if _is_total(row) else row} / {TOTAL if _is_total(column) else column}"


def read_matrix(ctx: Context, file: str, sheet: Sheet, spec: MatrixSheet,
                cell: Callable[[int, int], RawCell]) -> tuple[list[IndicatorValue],
                                                              list[RowResult]]:
    """Every figure of the grid, with a row result for each row that holds any."""
    heading = _heading_row(sheet, spec)
    columns = {c: " ".join(str(v).split()) for c, v in enumerate(sheet.rows[heading])
               if c > 0 and isinstance(v, str) and v.strip()} if heading < sheet.n_rows else {}
    figures: dict[tuple[str, str], IndicatorValue] = {}
    results: list[RowResult] = []
    for r in range(heading + 1, sheet.n_rows):
        label = sheet.value(r, 0)
        if is_blank(label):
            continue
        row_label = " ".join(str(label).split())
        found = False
        for c, column in columns.items():
            raw = RawRow(sheet.name, r, {"value": cell(r, c)})
            if is_blank(raw.cells["value"].value) and not raw.cells["value"].uncalculated:
                continue
            found = True
            title = f"{spec.indicator} ({breakdown_label(row_label, column)})"
            value = read_field(ctx, raw, Field("value", title, FieldType.NUMBER))
            if value is None:
                continue
            figures[(row_label, column)] = IndicatorValue(
                indicator=spec.indicator, breakdown=breakdown_label(row_label, column),
                value=value, source=Source(file=file, sheet=sheet.name, row=r + 1,
                                           cell=a1(r, c)))
        if found:
            results.append(RowResult(sheet.name, r, True))
    _check_totals(ctx, spec, figures)
    return list(figures.values()), results


def _heading_row(sheet: Sheet, spec: MatrixSheet) -> int:
    want = " ".join(spec.row_title.lower().split())
    for r in range(min(_HEADING_SEARCH, sheet.n_rows)):
        if " ".join(str(sheet.value(r, 0) or "").lower().split()) == want:
            return r
    return spec.first_row


def _check_totals(ctx: Context, spec: MatrixSheet,
                  figures: dict[tuple[str, str], IndicatorValue]) -> None:
    rows = list(dict.fromkeys(r for r, _ in figures))
    cols = list(dict.fromkeys(c for _, c in figures))
    inner = {k: v for k, v in figures.items() if not _is_total(k[0]) and not _is_total(k[1])}
    for r in rows:
        total = next((v for (rr, c), v in figures.items() if rr == r and _is_total(c)), None)
        parts = [v for (rr, _c), v in inner.items() if rr == r]
        if total is not None and parts and not _is_total(r):
            check_total(ctx, f"{spec.indicator}, {r}", total, parts)
    for c in cols:
        total = next((v for (r, cc), v in figures.items() if cc == c and _is_total(r)), None)
        parts = [v for (_r, cc), v in inner.items() if cc == c]
        if total is not None and parts and not _is_total(c):
            check_total(ctx, f"{spec.indicator}, {c}", total, parts)
    grand = next((v for (r, c), v in figures.items() if _is_total(r) and _is_total(c)), None)
    row_totals = [v for (r, c), v in figures.items() if _is_total(c) and not _is_total(r)]
    parts = list(inner.values()) or row_totals
    if grand is not None and parts:
        check_total(ctx, spec.indicator, grand, parts)


def _is_total(label: str) -> bool:
    return label.strip().lower() in TOTAL_WORDS
