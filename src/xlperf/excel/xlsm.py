"""Write the macro-enabled templates: xlperf's template, a Control sheet with buttons,
and a VBA project whose macros call the button functions.

The VBA project (``vbaProject.bin``) is made from ``vba/xlperf.bas`` by
``tools/make_xlsm.py`` (with pyOpenVBA, which builds it as Excel does for a first
macro) and handed in here as bytes; xlsxwriter embeds it and names the workbook and
sheet modules as that project does (ThisWorkbook, Sheet1, Sheet2, ...).
"""

from __future__ import annotations

import io
from datetime import date
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import xlsxwriter

from xlperf.excel.control import CONTROLS, FIRST_ROW, SHEET, Control
from xlperf.rag import RagRules
from xlperf.schema import Template
from xlperf.write.atomic import atomic_path
from xlperf.write.style import WORKBOOK_OPTIONS, Formats, print_setup
from xlperf.write.templates import FIXED_TIME, build_template, row_height

#: the hidden sheet the xlwings add-in reads settings from: it names the UDF module
XLWINGS_CONF = "xlwings.conf"
XLWINGS_SETTINGS = (("UDF Modules", "xlperf.excel.udfs"),)
BUTTON_SIZE = {"width": 190, "height": 32}


def vba_source() -> str:
    """The VBA module behind the buttons, with the CRLF line ends VBA keeps."""
    text = resources.files("xlperf.excel").joinpath("vba/xlperf.bas").read_text("ascii")
    return "\r\n".join(text.splitlines()) + "\r\n"


def write_xlsm(template: Template, path: Path, rules: RagRules, vba_project: bytes | None,
               as_of: date | None = None) -> None:
    """Write ``template`` as a macro-enabled workbook at ``path``, atomically.

    ``vba_project`` is the vbaProject.bin to embed; None writes the same workbook with
    no VBA (the first step of making the project, see tools/make_xlsm.py). The sheets
    are written as :func:`xlperf.write.templates.write_template` writes them, with the
    Control sheet after Instructions and a hidden xlwings.conf sheet at the end.
    """
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": template.title, "author": "xlperf", "created": FIXED_TIME,
                             "comments": f"{template.kind} v{template.version}, with buttons"})
        control = partial(_control, spec=CONTROLS[template.kind])
        build_template(book, template, rules, as_of=as_of, after_instructions=control)
        _xlwings_conf(book)
        if vba_project is not None:
            book.add_vba_project(io.BytesIO(vba_project), is_stream=True)
        book.close()


def _control(book: Any, fmt: Formats, spec: Control) -> None:
    sheet = book.add_worksheet(SHEET)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 64)
    sheet.set_column(2, 2, 60)
    sheet.write_string(0, 0, "xlperf buttons", fmt.title)
    for row, text in ((1, spec.intro), (2, spec.needs)):
        sheet.merge_range(row, 0, row, 2, text, fmt.wrap)
        sheet.set_row(row, row_height(text, 120))
    header = FIRST_ROW - 1
    for c, title in enumerate(("Setting", "Value", "Guidance")):
        sheet.write_string(header, c, title, fmt.header)
    for i, field in enumerate(spec.fields):
        r = FIRST_ROW + i
        sheet.write_string(r, 0, field.label, fmt.bold)
        sheet.write_blank(r, 1, None, fmt.input if field.typed else fmt.wrap)
        sheet.write_string(r, 2, field.help, fmt.wrap)
        sheet.set_row(r, row_height(field.help, 60) if field.typed else 45)
    first = FIRST_ROW + len(spec.fields) + 1
    for i, button in enumerate(spec.buttons):
        r = first + 2 * i
        sheet.set_row(r, 26)
        sheet.insert_button(r, 0, {"macro": button.macro, "caption": button.caption,
                                   **BUTTON_SIZE})
        sheet.write_string(r, 1, button.help, fmt.wrap)
    print_setup(sheet, header_rows=0)


def _xlwings_conf(book: Any) -> None:
    sheet = book.add_worksheet(XLWINGS_CONF)
    for r, (key, value) in enumerate(XLWINGS_SETTINGS):
        sheet.write_string(r, 0, key)
        sheet.write_string(r, 1, value)
    sheet.hide()
