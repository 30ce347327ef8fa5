"""The Issues sheet that ``check`` writes, and the coloured cells it points at.

Each run replaces the sheet and first puts back the fill of the cells the last run
coloured, so a fixed cell does not stay red. Cells are coloured only in xlperf's own
templates, whose fills are known (a table cell has none, an answer cell on a form is
cream); another workbook gets the list alone, so its own formatting is never changed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from xlperf import cells
from xlperf.excel.book import Context, plural, safe_text
from xlperf.grid import Sheet
from xlperf.issues import Issue, Severity
from xlperf.schema import TEMPLATES, FormSheet, MatrixSheet, TableSheet
from xlperf.schema import Sheet as SheetSpec

SHEET = "Issues"
HEADER = ("Severity", "Sheet", "Cell", "Code", "Message")
HEADER_ROW = 2  # 0-based: a summary line in A1, the table from A3
FILLS = {Severity.ERROR: "#FFC7CE", Severity.WARNING: "#FFEB9C"}
#: the fills of xlperf's templates (xlperf.write.style): answer cells, and no fill
INPUT_FILL = "#FFF8DC"
NO_FILL = "#FFFFFF"  # the VBA client cannot clear a fill, so "none" is written as white
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

Cell = tuple[str, str]  # (sheet name, A1)


def write_issues(ctx: Context, issues: Sequence[Issue]) -> Any:
    """Replace the Issues sheet with ``issues`` (errors first); colour the cells they
    point at. Returns the sheet."""
    ordered = sorted(issues, key=lambda i: _ORDER[i.severity])
    previous = flagged_cells(ctx)
    sheet = _fresh_sheet(ctx)
    sheet["A1"].value = safe_text(summary(ordered, ctx))
    rows = [list(HEADER)] + [[i.severity.value, safe_text(i.sheet), i.cell, i.code,
                              safe_text(i.message)]
                             for i in ordered]
    sheet.range((HEADER_ROW + 1, 1)).value = rows
    for n, issue in enumerate(ordered, start=HEADER_ROW + 2):
        if issue.severity in FILLS:
            sheet.range((n, 1)).color = FILLS[issue.severity]
    sheet.range((HEADER_ROW + 1, 1), (HEADER_ROW + 1 + len(ordered), 4)).columns.autofit()
    if ctx.template in TEMPLATES:
        _colour_cells(ctx, ordered, previous)
    sheet.activate()
    return sheet


def summary(issues: Sequence[Issue], ctx: Context) -> str:
    counts = Counter(i.severity for i in issues)
    found = ", ".join(plural(counts[s], s.value) for s in (Severity.ERROR, Severity.WARNING))
    notes = f" and {plural(counts[Severity.INFO], 'note')}" if counts[Severity.INFO] else ""
    verdict = "No problems found" if not issues else f"Found {found}{notes}"
    return f"{verdict}: checked by xlperf with RAG as at {ctx.as_of:%d/%m/%Y}."


def flagged_cells(ctx: Context) -> set[Cell]:
    """The cells the last run listed, from the Issues sheet it wrote."""
    sheet = _our_sheet(ctx)
    if sheet is None:
        return set()
    found = set()
    for r in range(HEADER_ROW + 1, sheet.n_rows):
        name, ref = sheet.value(r, 1), sheet.value(r, 2)
        if isinstance(name, str) and isinstance(ref, str) and name and ref:
            found.add((name, ref))
    return found


def _our_sheet(ctx: Context) -> Sheet | None:
    """An Issues sheet xlperf wrote (its header says so), never the user's own."""
    sheet = ctx.grids.sheet(SHEET)
    if sheet is None:
        return None
    header = tuple(sheet.value(HEADER_ROW, c) for c in range(len(HEADER)))
    return sheet if header == HEADER else None


def _fresh_sheet(ctx: Context) -> Any:
    ours = _our_sheet(ctx)
    if ours is not None:
        sheet = ctx.book.sheets[ours.name]
        sheet.clear()
        return sheet
    taken = {s.name for s in ctx.book.sheets}
    name = cells.safe_sheet_name(SHEET if SHEET.lower() not in {t.lower() for t in taken}
                                 else f"{SHEET} (xlperf)", set(taken))
    return ctx.book.sheets.add(name, after=ctx.book.sheets[len(ctx.book.sheets) - 1])


def _colour_cells(ctx: Context, issues: Sequence[Issue], previous: set[Cell]) -> None:
    template = TEMPLATES[ctx.template]
    present = {s.name for s in ctx.grids.sheets}
    names = {s.name for s in template.sheets} & present
    now: dict[Cell, Severity] = {}
    for issue in issues:
        cell = (issue.sheet, issue.cell)
        if issue.severity in FILLS and _in_data_area(template.sheet(issue.sheet)
                                                     if issue.sheet in names else None,
                                                     issue.cell):
            now.setdefault(cell, issue.severity)  # errors come first, so they win
    for name, ref in sorted(previous - set(now)):
        spec = template.sheet(name) if name in names else None
        if _in_data_area(spec, ref):
            ctx.book.sheets[name][ref].color = _original_fill(spec, ref)
    for (name, ref), severity in now.items():
        ctx.book.sheets[name][ref].color = FILLS[severity]


def _in_data_area(spec: SheetSpec | None, ref: str) -> bool:
    """A cell of a table row, an answer cell of a form or a figure of a grid (never headers
    or labels)."""
    if spec is None or not ref:
        return False
    row, col = cells.parse_a1(ref)
    if isinstance(spec, TableSheet):
        return row >= 1 and col < len(spec.fields)
    if isinstance(spec, MatrixSheet):
        return spec.first_row < row <= spec.first_row + len(spec.rows) + 1 \
            and 1 <= col <= len(spec.columns) + 1
    return col == 1 and spec.first_row <= row < spec.first_row + len(spec.fields)


def _original_fill(spec: SheetSpec | None, ref: str) -> str:
    return INPUT_FILL if isinstance(spec, FormSheet | MatrixSheet) else NO_FILL
