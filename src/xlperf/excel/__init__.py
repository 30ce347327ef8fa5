"""xlperf inside Excel, through xlwings: the buttons, the cell functions, the server.

* :mod:`xlperf.excel.buttons`: ``check``, ``update_rag``, ``consolidate``, ``report``,
  each taking an open workbook (an ``xw.Book``). The macro-enabled templates'
  buttons run them with RunPython (``import xlperf.excel; xlperf.excel.check()``).
* :mod:`xlperf.excel.udfs`: ``XLPERF_RAG`` and ``XLPERF_INDICATOR_STATUS`` for cells.
* :mod:`xlperf.excel.server`: the same buttons as xlwings Server scripts
  (``xlperf serve``).
* :mod:`xlperf.excel.xlsm`: writes the macro-enabled templates.

The rules stay in the core; this package reads the open workbook into the core's plain
grids and writes the answers back. Guide: ``docs/excel.md``.
"""

from xlperf.excel.buttons import check, consolidate, report, update_rag

__all__ = ["check", "consolidate", "report", "update_rag"]
