"""Write xlperf's templates (blank, or filled with example data) from their declaration.

xlsxwriter is used for new workbooks: it writes Excel Tables, data validation,
conditional formats and print settings that Excel and LibreOffice both honour,
and it never turns a string into a formula when told not to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from xlperf.cells import col_letter
from xlperf.rag import RagRules, excel_formula
from xlperf.schema import (
    MARKER_SHEET,
    RAGS,
    STATUSES,
    STRANDS,
    FieldType,
    FormSheet,
    MatrixSheet,
    TableSheet,
    Template,
)
from xlperf.write.atomic import atomic_path
from xlperf.write.style import (
    WORKBOOK_OPTIONS,
    Formats,
    add_rag_colours,
    print_setup,
    wrapped_lines,
)

BLANK_ROWS = 40
KNOWN_LISTS = {STRANDS: "Strand", STATUSES: "Status", RAGS: "RAG"}
AS_OF_NAME = "AsOf"
AS_OF_CELL = "$C$6"
FIXED_TIME = datetime(2026, 1, 1)  # document properties: fixed, so output is reproducible

Cell = str | int | float | date | None


@dataclass
class Fill:
    """Values to put in a template: form answers by field key, table rows by sheet name."""

    forms: dict[str, Cell] = field(default_factory=dict)
    tables: dict[str, list[dict[str, Cell]]] = field(default_factory=dict)
    #: grid figures by sheet name, then (row label, column label); 'Total' for totals
    grids: dict[str, dict[tuple[str, str], Cell]] = field(default_factory=dict)


def write_template(template: Template, path: Path, rules: RagRules,
                   fill: Fill | None = None, as_of: date | None = None) -> None:
    """Write ``template`` to ``path`` atomically, blank or filled.

    ``as_of`` fixes the date the RAG formulas work at (default: the formula =TODAY()).
    """
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": template.title, "author": "xlperf",
                             "created": FIXED_TIME, "comments": f"{template.kind} "
                             f"v{template.version}"})
        build_template(book, template, rules, fill, as_of)
        book.close()


def build_template(book: Any, template: Template, rules: RagRules, fill: Fill | None = None,
                   as_of: date | None = None,
                   after_instructions: Callable[[Any, Formats], None] | None = None) -> Formats:
    """Add ``template``'s sheets to the open xlsxwriter ``book``: Instructions, then
    ``after_instructions(book, formats)`` if given (e.g. a Control sheet), the template's
    own sheets (blank, or filled from ``fill``), the hidden Lists and marker sheets.

    Returns the formats, for sheets the caller adds after these. The caller sets the
    document properties and closes the book.
    """
    book.set_calc_mode("auto")
    fmt = Formats(book)
    _instructions(book, fmt, template, rules, as_of)
    if after_instructions is not None:
        after_instructions(book, fmt)
    for spec in template.sheets:
        if isinstance(spec, TableSheet):
            rows = (fill.tables.get(spec.name, []) if fill else [])
            _table_sheet(book, fmt, spec, rows, rules)
        elif isinstance(spec, MatrixSheet):
            _matrix_sheet(book, fmt, spec, fill.grids.get(spec.name, {}) if fill else {})
        else:
            _form_sheet(book, fmt, spec, fill.forms if fill else {})
    _lists(book, fmt, template)
    _marker(book, template)
    return fmt


def _instructions(book: Any, fmt: Formats, template: Template, rules: RagRules,
                  as_of: date | None) -> None:
    sheet = book.add_worksheet("Instructions")
    sheet.set_column(0, 0, 3)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 90)
    sheet.write_string(0, 1, template.title, fmt.title)
    sheet.write_string(1, 1, template.purpose, fmt.text)
    if any(f.type is FieldType.COMPUTED_RAG for s in template.sheets for f in s.fields):
        _rag_rule(book, sheet, fmt, rules, as_of)
    row = 8
    sheet.write_string(row, 1, "How to fill this workbook", fmt.subtitle)
    row += 1
    steps = [
        "Yellow cells and table rows are for you. Pick from the drop-down lists where a cell "
        "has one.",
        "Type dates as dd/mm/yyyy. Percent complete is 0% to 100%.",
        "RAG is always a word (Red, Amber, Green, Complete); the colour follows the word.",
        "Write aggregate facts only: no names, dates of birth, addresses or contact details of "
        "victims or survivors.",
        "Do not rename sheets or column headings: xlperf reads them by name.",
    ]
    for step in steps:
        sheet.write_string(row, 1, "•", fmt.text)
        sheet.write_string(row, 2, step, fmt.wrap)
        row += 1
    for spec in template.sheets:
        row += 1
        sheet.write_string(row, 1, f"Sheet '{spec.name}'", fmt.subtitle)
        sheet.write_string(row, 2, spec.help, fmt.wrap)
        sheet.set_row(row, row_height(spec.help, 90))
        row += 1
        for f in spec.fields:
            label = f.title + (" (required)" if f.required else "")
            sheet.write_string(row, 1, label, fmt.bold)
            sheet.write_string(row, 2, f.help, fmt.wrap)
            sheet.set_row(row, row_height(f.help, 90))
            row += 1
    print_setup(sheet, header_rows=0)
    sheet.activate()


def _rag_rule(book: Any, sheet: Any, fmt: Formats, rules: RagRules, as_of: date | None
              ) -> None:
    """The RAG rule in words and the as-of cell the template's formulas use."""
    sheet.write_string(3, 1, "How RAG is worked out", fmt.subtitle)
    sheet.write_string(4, 1, "Rule", fmt.bold)
    sheet.write_string(4, 2, rules.describe(), fmt.wrap)
    sheet.set_row(4, row_height(rules.describe(), 90))
    sheet.write_string(5, 1, "Work out RAG as at", fmt.bold)
    if as_of is None:
        sheet.write_formula(5, 2, "=TODAY()", fmt.input_date, "")
    else:
        write_cell(sheet, fmt, 5, 2, as_of, FieldType.DATE, fmt.input_date)
    book.define_name(AS_OF_NAME, f"=Instructions!{AS_OF_CELL}")
    sheet.write_string(6, 2, "Today, unless you type a date here (dd/mm/yyyy).", fmt.text)


def _table_sheet(book: Any, fmt: Formats, spec: TableSheet,
                 rows: Sequence[Mapping[str, Cell]], rules: RagRules) -> None:
    sheet = book.add_worksheet(spec.name)
    n_rows = max(len(rows), BLANK_ROWS)
    last = n_rows  # header at row 0, data rows 1..n_rows
    cols = {f.key: i for i, f in enumerate(spec.fields)}
    columns = []
    for f in spec.fields:
        column: dict[str, Any] = {"header": f.title, "header_format": fmt.header}
        columns.append(column)
    sheet.add_table(0, 0, last, len(spec.fields) - 1, {
        "name": spec.table, "columns": columns, "style": "Table Style Light 9",
        "autofilter": True})
    for i, f in enumerate(spec.fields):
        sheet.set_column(i, i, f.width, _column_format(fmt, f.type))
        _validate(sheet, f.type, f.choices, i, last, key=f.key)
    for r in range(1, last + 1):
        values = rows[r - 1] if r <= len(rows) else {}
        for f in spec.fields:
            c = cols[f.key]
            if f.type is FieldType.COMPUTED_RAG:
                _rag_formula(sheet, rules, cols, r, c)
            else:
                write_cell(sheet, fmt, r, c, values.get(f.key), f.type)
    for f in spec.fields:
        if f.type in (FieldType.RAG, FieldType.COMPUTED_RAG):
            add_rag_colours(sheet, fmt, 1, cols[f.key], last)
    sheet.freeze_panes(1, 0)
    print_setup(sheet)


def _rag_formula(sheet: Any, rules: RagRules, cols: Mapping[str, int], r: int, c: int) -> None:
    def ref(key: str) -> str:
        return f"${col_letter(cols[key])}{r + 1}"

    formula = excel_formula(rules, ref("status"), ref("progress"), ref("due"), AS_OF_NAME)
    sheet.write_formula(r, c, formula, None, "")


def _form_sheet(book: Any, fmt: Formats, spec: FormSheet, answers: Mapping[str, Cell]) -> None:
    sheet = book.add_worksheet(spec.name)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 70)
    sheet.set_column(2, 2, 50)
    sheet.write_string(0, 0, spec.help, fmt.subtitle)
    for c, title in enumerate(("Question", "Your answer", "Guidance")):
        sheet.write_string(spec.first_row - 1, c, title, fmt.header)
    for i, f in enumerate(spec.fields):
        r = spec.first_row + i
        sheet.write_string(r, 0, f.title + (" *" if f.required else ""), fmt.bold)
        long = f.type is FieldType.LONG_TEXT
        value_fmt = fmt.input_date if f.type is FieldType.DATE else fmt.input
        value = answers.get(f.key)
        if value is None:
            sheet.write_blank(r, 1, None, value_fmt)
        else:
            write_cell(sheet, fmt, r, 1, value, f.type, value_fmt)
        sheet.write_string(r, 2, f.help, fmt.wrap)
        sheet.set_row(r, 90 if long else row_height(f.help, 50))
        _validate(sheet, f.type, f.choices, 1, r, first_row=r, key=f.key)
    sheet.freeze_panes(spec.first_row, 0)
    print_setup(sheet, header_rows=0)


def _matrix_sheet(book: Any, fmt: Formats, spec: MatrixSheet,
                  values: Mapping[tuple[str, str], Cell]) -> None:
    """A grid to fill: row labels down column A, headings across, totals last. A Total
    that is not the sum of its parts turns red (the same rule as xlperf.matrix)."""
    sheet = book.add_worksheet(spec.name)
    last_col = len(spec.columns) + 1
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, last_col, 13)
    sheet.write_string(0, 0, spec.indicator, fmt.subtitle)
    sheet.merge_range(1, 0, 1, last_col, spec.help, fmt.wrap)
    sheet.set_row(1, row_height(spec.help, 28 + 13 * last_col))
    head = spec.first_row
    for c, title in enumerate((spec.row_title, *spec.columns, "Total")):
        sheet.write_string(head, c, title, fmt.header)
    labels = (*spec.rows, "Total")
    cols = (*spec.columns, "Total")
    for i, label in enumerate(labels):
        r = head + 1 + i
        sheet.write_string(r, 0, label, fmt.bold)
        for c, column in enumerate(cols, start=1):
            value = values.get((label, column))
            total = label == "Total" or column == "Total"
            style = fmt.input_total if total else fmt.input_number
            if value is None:
                sheet.write_blank(r, c, None, style)
            else:
                write_cell(sheet, fmt, r, c, value, FieldType.NUMBER, style)
    first, last = head + 1, head + len(spec.rows)
    total_row = last + 1
    sheet.data_validation(first, 1, total_row, last_col, {
        "validate": "integer", "criteria": ">=", "value": 0, "error_title": "A count",
        "error_message": "Type a whole number of referrals (0 or more), or leave it blank."})
    b, e = col_letter(1), col_letter(last_col - 1)
    t = col_letter(last_col)
    red = {"type": "formula", "format": fmt.rag["Red"]}
    for r in range(first, total_row):  # each row total against its row
        sheet.conditional_format(r, last_col, r, last_col, {**red, "criteria": (
            f"=AND(ISNUMBER(${t}{r + 1}),COUNT(${b}{r + 1}:${e}{r + 1})>0,"
            f"${t}{r + 1}<>SUM(${b}{r + 1}:${e}{r + 1}))")})
    for c in range(1, last_col):  # each column total against its column
        x = col_letter(c)
        sheet.conditional_format(total_row, c, total_row, c, {**red, "criteria": (
            f"=AND(ISNUMBER({x}${total_row + 1}),COUNT({x}${first + 1}:{x}${last + 1})>0,"
            f"{x}${total_row + 1}<>SUM({x}${first + 1}:{x}${last + 1}))")})
    grand, inner = f"${t}${total_row + 1}", f"${b}${first + 1}:${e}${last + 1}"
    row_totals = f"${t}${first + 1}:${t}${last + 1}"
    col_totals = f"${b}${total_row + 1}:${e}${total_row + 1}"
    # each type once: its Total where typed, else its figures (xlperf.matrix's rule)
    by_type = f"SUM({row_totals})+SUMPRODUCT(({row_totals}=\"\")*{inner})"
    sheet.conditional_format(total_row, last_col, total_row, last_col, {**red, "criteria": (
        f"=AND(ISNUMBER({grand}),IF(COUNT({inner},{row_totals})>0,{grand}<>{by_type},"
        f"AND(COUNT({col_totals})>0,{grand}<>SUM({col_totals}))))")})
    sheet.freeze_panes(head + 1, 1)
    print_setup(sheet, header_rows=0)


def row_height(text: str, width: int) -> float:
    """A row height (points) that shows ``text`` wrapped in a column ``width`` characters wide."""
    return 15.0 * wrapped_lines(text, width - 4)


def write_cell(sheet: Any, fmt: Formats, r: int, c: int, value: Cell, kind: FieldType,
               cell_format: Any = None) -> None:
    """Write one value with its type kept: text stays text (never a formula), dates dates."""
    if value is None:
        return
    if isinstance(value, datetime | date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if isinstance(value, datetime):
        sheet.write_datetime(r, c, value, cell_format or fmt.date)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value, cell_format)
    elif isinstance(value, int | float):
        if kind is FieldType.PERCENT:
            sheet.write_number(r, c, value / 100, cell_format or fmt.percent)
        else:
            sheet.write_number(r, c, value, cell_format)
    else:
        sheet.write_string(r, c, str(value), cell_format)


def _column_format(fmt: Formats, kind: FieldType) -> Any:
    return {FieldType.DATE: fmt.date, FieldType.PERCENT: fmt.percent,
            FieldType.NUMBER: fmt.number, FieldType.MONEY: fmt.money,
            FieldType.LONG_TEXT: fmt.wrap}.get(kind, fmt.text)


def list_name(choices: Sequence[str], key: str) -> str:
    """The defined name of a dropdown list (without 'List'): shared lists keep one name."""
    return KNOWN_LISTS.get(tuple(choices), "".join(p.title() for p in key.split("_")))


def _validate(sheet: Any, kind: FieldType, choices: Sequence[str], col: int, last: int,
              first_row: int = 1, key: str = "") -> None:
    rule: dict[str, Any] | None = None
    if kind in (FieldType.CHOICE, FieldType.RAG) and choices:
        rule = {"validate": "list", "source": f"={list_name(choices, key)}List",
                "error_title": "Pick from the list",
                "error_message": "Choose one of: " + ", ".join(choices)}
    elif kind is FieldType.DATE:
        rule = {"validate": "date", "criteria": "between",
                "minimum": datetime(2000, 1, 1), "maximum": datetime(2100, 12, 31),
                "error_type": "warning", "error_title": "Date",
                "error_message": "Type a date as dd/mm/yyyy."}
    elif kind is FieldType.PERCENT:
        rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1,
                "error_title": "Percent complete",
                "error_message": "Type a percentage from 0% to 100%."}
    if rule is not None:
        sheet.data_validation(first_row, col, last, col, rule)


def _lists(book: Any, fmt: Formats, template: Template) -> None:
    """A hidden sheet with every dropdown list the template's fields use, each named."""
    lists: dict[str, Sequence[str]] = {}
    for spec in template.sheets:
        for f in spec.fields:
            if f.choices and f.type in (FieldType.CHOICE, FieldType.RAG):
                lists.setdefault(list_name(f.choices, f.key), f.choices)
    sheet = book.add_worksheet("Lists")
    for c, (name, values) in enumerate(lists.items()):
        sheet.write_string(0, c, name, fmt.header)
        for r, value in enumerate(values, start=1):
            sheet.write_string(r, c, value)
        letter = col_letter(c)
        book.define_name(f"{name}List", f"=Lists!${letter}$2:${letter}${len(values) + 1}")
    sheet.hide()


def _marker(book: Any, template: Template) -> None:
    sheet = book.add_worksheet(MARKER_SHEET)
    sheet.write_string(0, 0, "xlperf-template")
    sheet.write_string(0, 1, template.kind)
    sheet.write_string(1, 0, "version")
    sheet.write_number(1, 1, template.version)
    sheet.hide()
