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

from xlperf.cells import a1, is_blank, parse_a1
from xlperf.check import Context, RawCell, RawRow, RowResult, read_field
from xlperf.figures import TOTAL_WORDS, check_total
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
    heading, first = find_heading(sheet, spec)
    columns = {c: " ".join(str(v).split()) for c, v in enumerate(sheet.rows[heading])
               if c > first and isinstance(v, str) and v.strip()} \
        if heading < sheet.n_rows else {}
    figures: dict[tuple[str, str], IndicatorValue] = {}
    unread: set[tuple[str, str]] = set()
    results: list[RowResult] = []
    for r in range(heading + 1, sheet.n_rows):
        label = sheet.value(r, first)
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
                unread.add((row_label, column))  # reported; its totals cannot be checked
                continue
            figures[(row_label, column)] = IndicatorValue(
                indicator=spec.indicator, breakdown=breakdown_label(row_label, column),
                value=value, source=Source(file=file, sheet=sheet.name, row=r + 1,
                                           cell=a1(r, c)))
        if found:
            results.append(RowResult(sheet.name, r, True))
    _check_counts(ctx, spec, figures)
    _check_totals(ctx, spec, figures, unread)
    grand = _grand_total(ctx, sheet, spec, figures, heading, first)
    return list(figures.values()) + ([grand] if grand is not None else []), results


def _check_counts(ctx: Context, spec: MatrixSheet,
                  figures: dict[tuple[str, str], IndicatorValue]) -> None:
    """Referrals are whole numbers, never negative."""
    for figure in figures.values():
        value = figure.value
        if value is not None and (value < 0 or value != int(value)) and figure.source:
            row, col = parse_a1(figure.source.cell)
            ctx.issues.append(ctx.where.in_sheet(figure.source.sheet).issue(
                "figure-implausible", row, col, indicator=spec.indicator,
                value=f"{value:g}", why="a count of referrals is a whole number, 0 or more"))


def _grand_total(ctx: Context, sheet: Sheet, spec: MatrixSheet,
                 figures: dict[tuple[str, str], IndicatorValue], heading: int, first: int = 0
                 ) -> IndicatorValue | None:
    """The grand total worked out from the parts when the return leaves it blank, so the
    agency's referrals still count: each type's Total (or its figures), else the column
    totals. Said as a note; None when the grand total is given or nothing is."""
    if any(_is_total(r) and _is_total(c) for r, c in figures):
        return None
    by_type = _by_type(figures)
    columns = [v for (r, c), v in figures.items() if _is_total(r)]
    if not by_type and not columns:
        return None
    value = sum(v.value or 0 for v in by_type or columns)
    row = heading + 1 + len(spec.rows)
    col = first + len(spec.columns) + 1
    typed = any(_is_total(c) and not _is_total(r) for r, c in figures)
    if typed and columns:  # the totals by type and by sex and age must agree
        check_total(ctx, f"{spec.indicator}, the totals by exploitation type",
                    _stand_in(figures, value, sheet, heading, col), columns)
    for n in range(heading + 1, sheet.n_rows):  # the Total row as laid out
        if _is_total(str(sheet.value(n, first) or "")):
            row = n
            break
    ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
        "total-worked-out", row, col, indicator=spec.indicator, total=f"{value:g}"))
    model = next(iter(figures.values()))
    return model.model_copy(update={
        "breakdown": TOTAL, "value": value, "comment": "worked out by xlperf from the parts",
        "source": Source(file=model.source.file if model.source else "", sheet=sheet.name,
                         row=row + 1, cell=a1(row, col))})


def find_heading(sheet: Sheet, spec: MatrixSheet) -> tuple[int, int]:
    """(row, column) of the grid's row heading ('Exploitation type'), wherever rows or
    columns were inserted above or before it; the template's place when not found."""
    want = " ".join(spec.row_title.lower().split())
    for r in range(min(_HEADING_SEARCH, sheet.n_rows)):
        for c in range(min(_HEADING_SEARCH, len(sheet.rows[r]))):
            if " ".join(str(sheet.value(r, c) or "").lower().split()) == want:
                return r, c
    return spec.first_row, 0


def _check_totals(ctx: Context, spec: MatrixSheet,
                  figures: dict[tuple[str, str], IndicatorValue],
                  unread: set[tuple[str, str]] | None = None) -> None:
    """Each total against its parts; a total whose parts include a cell that could not be
    read (already reported) is not checked, so one bad cell gives one issue."""
    if unread:
        bad_rows = {r for r, _ in unread}
        bad_cols = {c for _, c in unread}
        figures = {k: v for k, v in figures.items()
                   if not (_is_total(k[1]) and k[0] in bad_rows)
                   and not (_is_total(k[0]) and k[1] in bad_cols)
                   and not (_is_total(k[0]) and _is_total(k[1]))}
    rows = list(dict.fromkeys(r for r, _ in figures))
    cols = list(dict.fromkeys(c for _, c in figures))
    inner = {k: v for k, v in figures.items() if not _is_total(k[0]) and not _is_total(k[1])}
    for r in rows:
        total = _row_total(figures, r)
        parts = [v for (rr, _c), v in inner.items() if rr == r]
        if total is not None and parts and not _is_total(r):
            check_total(ctx, f"{spec.indicator}, {r}", total, parts)
    for c in cols:
        total = next((v for (r, cc), v in figures.items() if cc == c and _is_total(r)), None)
        parts = [v for (_r, cc), v in inner.items() if cc == c]
        if total is not None and parts and not _is_total(c):
            check_total(ctx, f"{spec.indicator}, {c}", total, parts)
    grand = next((v for (r, c), v in figures.items() if _is_total(r) and _is_total(c)), None)
    parts = _by_type(figures)
    if grand is not None and not parts:  # only sex and age totals: they make the whole
        parts = [v for (r, c), v in figures.items() if _is_total(r) and not _is_total(c)]
    if grand is not None and parts:
        check_total(ctx, spec.indicator, grand, parts)


def _row_total(figures: dict[tuple[str, str], IndicatorValue], row: str
               ) -> IndicatorValue | None:
    return next((v for (r, c), v in figures.items() if r == row and _is_total(c)), None)


def _by_type(figures: dict[tuple[str, str], IndicatorValue]) -> list[IndicatorValue]:
    """What the grand total is made of: each type once, its Total where given, else its
    figures."""
    out: list[IndicatorValue] = []
    for r in dict.fromkeys(r for r, _ in figures if not _is_total(r)):
        total = _row_total(figures, r)
        out += [total] if total is not None else [
            v for (rr, c), v in figures.items() if rr == r and not _is_total(c)]
    return out


def _stand_in(figures: dict[tuple[str, str], IndicatorValue], value: float, sheet: Sheet,
              heading: int, col: int) -> IndicatorValue:
    """A stand-in total (the sum by type), placed at the Total column's heading cell."""
    first = next(iter(figures.values()))
    return first.model_copy(update={"value": value, "source": Source(
        file=first.source.file if first.source else "", sheet=sheet.name, row=heading + 1,
        cell=a1(heading, col))})


def _is_total(label: str) -> bool:
    return label.strip().lower() in TOTAL_WORDS
