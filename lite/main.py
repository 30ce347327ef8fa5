"""xlperf in xlwings Lite: paste this into the main.py tab of the xlwings Lite editor.

Scripts (run them from the xlwings Lite task pane):

* xlperf_check: list every problem on an Issues sheet and colour the cells to fix.
* xlperf_update_rag: write xlperf's computed RAG into the Computed RAG column.

Cell functions:

* =XLPERF_RAG(status, due, progress, [as_of]): Red, Amber, Green or Complete.
* =XLPERF_INDICATOR_STATUS(value, target, [direction]): Green, Amber or Red.

They are the same functions as the desktop buttons (xlperf.excel), running on Python
inside Excel. Consolidating a folder of returns and writing the report need files on
disk, which Lite cannot reach: use the desktop buttons or the command line for those.
Step by step: docs/excel.md, "xlwings Lite".
"""

import xlwings as xw
from xlwings import func, script

from xlperf.excel import buttons, formulas


@script
def xlperf_check(book: xw.Book):
    """Check this workbook: every problem on the Issues sheet, with its cell."""
    buttons.check(book, alert=False)


@script
def xlperf_update_rag(book: xw.Book):
    """Write xlperf's computed RAG into the Computed RAG column of the Actions sheet."""
    buttons.update_rag(book, alert=False)


@func
def xlperf_rag(status, due, progress=None, as_of=None):
    """Computed RAG of an action: Red, Amber, Green or Complete (blank: no due date)."""
    try:
        return formulas.rag(status, due, progress, as_of)
    except formulas.CellInputError as exc:
        return f"#xlperf: {exc}"


@func
def xlperf_indicator_status(value, target, direction=None):
    """RAG of a figure against its target: Green within 15%, Amber within 30%, else Red."""
    try:
        return formulas.indicator_status(value, target, direction)
    except formulas.CellInputError as exc:
        return f"#xlperf: {exc}"
