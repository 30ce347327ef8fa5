"""The buttons as xlwings Server scripts (``xlwings.server.script``).

Served by :mod:`xlperf.excel.server`; a client posts the workbook to
``/xlwings/custom-scripts-call/<name>`` (from VBA: ``RunServerPython``) and applies the
actions that come back. Importing this module needs an xlwings licence key in
``XLWINGS_LICENSE_KEY`` (see docs/excel.md, "Licences").
"""

from __future__ import annotations

import xlwings as xw
from xlwings.server import script

from xlperf.excel import buttons


@script
def check(book: xw.Book) -> None:
    """List every problem on the Issues sheet and colour the cells to fix."""
    buttons.check(book)


@script
def update_rag(book: xw.Book) -> None:
    """Write xlperf's computed RAG into the Computed RAG column."""
    buttons.update_rag(book)


@script
def consolidate(book: xw.Book) -> None:
    """Consolidate the returns folder named on the Control sheet (a folder the server
    can read)."""
    buttons.consolidate(book)


@script
def report(book: xw.Book) -> None:
    """Write the 4Ps report of the returns folder named on the Control sheet."""
    buttons.report(book)


NAMES = ("check", "update_rag", "consolidate", "report")
