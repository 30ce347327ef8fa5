"""A report's input file -> :class:`ReportData`: a partnership workbook is read back; any
other workbook is read as one return and consolidated alone."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from xlperf.consolidate import FileResult, consolidate
from xlperf.extract import read_return
from xlperf.model import Partnership
from xlperf.rag import RagRules
from xlperf.read import read_workbook
from xlperf.report.data import ReportData, from_consolidation
from xlperf.report.readback import is_partnership_workbook, read_partnership_workbook


class NotAReturn(ValueError):
    """The workbook holds no actions or figures a report could be made from."""


def load_report_data(path: Path, rules: RagRules, as_of: date | None,
                     partnership: Partnership | None = None, password: str | None = None
                     ) -> tuple[ReportData, bool]:
    """(the data, whether it came from a partnership workbook).

    Raises :class:`xlperf.read.UnreadableFile`, :class:`~xlperf.report.readback.
    WorkbookShapeError` or :class:`NotAReturn`. ``as_of`` (default today) applies to a
    single return only: a partnership workbook carries its own.
    """
    book = read_workbook(path, password=password)
    if is_partnership_workbook(book):
        return read_partnership_workbook(book, partnership), True
    day = as_of or date.today()
    reading = read_return(book, rules, day, partnership)
    if reading.ret is None or not (reading.ret.actions or reading.ret.indicators):
        reasons = "; ".join(i.message for i in reading.issues[:3])
        raise NotAReturn(f"{path.name} holds no actions or indicator figures to report on"
                         + (f" ({reasons})" if reasons else "") + ".")
    full = path.resolve()
    data = consolidate([FileResult(str(full), reading=reading, sha256=book.sha256)], day,
                       rules, partnership)
    data.root = str(full.parent) + os.sep
    return from_consolidation(data), False
