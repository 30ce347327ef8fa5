"""What the button functions share: the open workbook read once, its Control sheet, and
telling the user what happened.

Writes use only what every xlwings client applies, the VBA client included (values,
fill colours, sheets, autofit, alerts): see ``VBA_ACTIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from xlperf import cells
from xlperf.excel import control
from xlperf.excel.grids import book_path, read_book
from xlperf.extract import template_marker
from xlperf.grid import Workbook
from xlperf.rag import RagRules, load_rules
from xlperf.write.templates import AS_OF_CELL

#: the actions the VBA client shipped with xlwings applies (xlwings/addin/Remote.bas)
VBA_ACTIONS = frozenset({
    "activateSheet", "addHyperlink", "addPicture", "addSheet", "addTable", "alert", "copyRange",
    "deletePicture", "nameDelete", "namesAdd", "rangeClear", "rangeClearContents",
    "rangeClearFormats", "rangeDelete", "rangeInsert", "rangeSelect", "resizeTable", "runMacro",
    "setAutofit", "setNumberFormat", "setPictureHeight", "setPictureName", "setPictureWidth",
    "setRangeColor", "setRangeName", "setSheetName", "setTableName", "setTableStyle",
    "setValues", "sheetClear", "sheetClearContents", "sheetClearFormats", "sheetDelete",
    "showAutofilterTable", "showHeadersTable", "showTotalsTable", "updatePicture",
})


class ButtonError(Exception):
    """What stops a button (a folder that is not there); the message says what to do."""


@dataclass
class Context:
    """One button press: the workbook, its values read once, the rules and the date."""

    book: Any  # xw.Book
    grids: Workbook
    rules: RagRules
    as_of: date
    template: str  # the xlperf template kind, or "" for another workbook
    alert: bool = True  # also tell the user in an alert (not in xlwings Lite)

    @property
    def folder(self) -> Path | None:
        """The workbook's folder when Excel gave its full path (desktop Excel)."""
        path = book_path(self.book)
        return path.parent if path.is_absolute() else None


def open_context(book: Any, alert: bool = True) -> Context:
    grids = read_book(book)
    marker = template_marker(grids)
    return Context(book=book, grids=grids, rules=load_rules(), as_of=as_of_date(grids),
                   template=marker[0] if marker else "", alert=alert)


def as_of_date(grids: Workbook) -> date:
    """The date on the Instructions sheet ("Work out RAG as at"), else today."""
    sheet = grids.sheet("Instructions")
    row, col = cells.parse_a1(AS_OF_CELL)
    value = sheet.value(row, col) if sheet is not None else None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.today()


def control_values(grids: Workbook) -> dict[str, str]:
    """The Control sheet's typed values by field key ("" when blank or no Control sheet)."""
    rows = _control_rows(grids)
    sheet = grids.sheet(control.SHEET)
    values: dict[str, str] = {}
    for key, row in rows.items():
        value = sheet.value(row, 1) if sheet is not None else None
        values[key] = "" if cells.is_blank(value) else str(value).strip()
    return values


def _control_rows(grids: Workbook) -> dict[str, int]:
    """Field key -> 0-based row of its label on the Control sheet."""
    sheet = grids.sheet(control.SHEET)
    if sheet is None:
        return {}
    fields = {f.label.lower(): f.key for kind in control.CONTROLS.values() for f in kind.fields}
    found: dict[str, int] = {}
    for r in range(sheet.n_rows):
        label = sheet.value(r, 0)
        if isinstance(label, str) and label.strip().lower() in fields:
            found.setdefault(fields[label.strip().lower()], r)
    return found


def tell(ctx: Context, message: str, output: Path | None = None) -> None:
    """Say what happened: on the Control sheet (if any), in an alert, and on stdout."""
    print(message)
    rows = _control_rows(ctx.grids)
    sheet = ctx.book.sheets[control.SHEET] if rows else None
    if sheet is not None and "status" in rows:
        sheet.range((rows["status"] + 1, 2)).value = safe_text(message)
    if sheet is not None and "output" in rows:
        sheet.range((rows["output"] + 1, 2)).value = str(output) if output else None
    if ctx.alert:
        ctx.book.app.alert(message, title="xlperf")


def safe_text(value: object) -> object:
    """Text written as text: a leading = + - @ would make Excel run it as a formula."""
    if isinstance(value, str) and cells.looks_like_formula(value):
        return "'" + value
    return value


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
