"""Cell functions for desktop Excel (classic xlwings UDFs, Windows).

In a workbook made from xlperf's .xlsm templates, click "Import Functions" on the
xlwings ribbon once (the hidden ``xlwings.conf`` sheet names this module), then type:

* ``=XLPERF_RAG(status, due, progress, [as_of])``: the action's computed RAG, as
  ``xlperf check`` works it out: Red, Amber, Green or Complete; blank without a due date.
* ``=XLPERF_INDICATOR_STATUS(value, target, [direction])``: the figure's RAG by the
  core's indicator rule: Green (on track) within 15% of the target or better, Amber
  within 30%, else Red; direction "higher" (default) or "lower" is better.

A value the function cannot use gives a message starting ``#xlperf:`` that says what
to give instead. xlwings Lite and xlwings Server use the same logic
(:mod:`xlperf.excel.formulas`).
"""

from __future__ import annotations

import xlwings as xw

from xlperf.excel import formulas

# No type hints on the arguments: xlwings reads hints as converters, and a cell may hold
# text, a number or a date; formulas.py reads each as the core's parsers do.


@xw.func
def xlperf_rag(status, due, progress=None, as_of=None):  # type: ignore[no-untyped-def]
    """Computed RAG of an action: Red, Amber, Green or Complete (blank: no due date)."""
    try:
        return formulas.rag(status, due, progress, as_of)
    except formulas.CellInputError as exc:
        return f"#xlperf: {exc}"


@xw.func
def xlperf_indicator_status(value, target, direction=None):  # type: ignore[no-untyped-def]
    """RAG of a figure against its target: Green within 15%, Amber within 30%, else Red."""
    try:
        return formulas.indicator_status(value, target, direction)
    except formulas.CellInputError as exc:
        return f"#xlperf: {exc}"
