"""`xlperf rag`: write computed RAG into a copy of a plan.

A plan made from xlperf's template is copied with openpyxl (our templates use only
features openpyxl keeps: tables, classic data validation, conditional formats) and
its Computed RAG cells get xlperf's result as a word; the as-of cell is set to the
date used. Any other workbook is never rewritten: its actions go to a new workbook.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl

from xlperf.consolidate import RAG_ORDER, Consolidation, FileStatus, Row, Submission
from xlperf.extract import Reading
from xlperf.privacy import find_personal_data
from xlperf.privacy import redact as redact_text
from xlperf.rag import RagRules
from xlperf.schema import ACTIONS_SHEET, COMPUTED_RAG, DUE, PROGRESS
from xlperf.write.atomic import OutputError, atomic_path, check_output
from xlperf.write.partnership_workbook import write_partnership_workbook
from xlperf.write.templates import AS_OF_CELL


def write_rag(source: Path, reading: Reading, output: Path, as_of: date,
              rules: RagRules, redact: bool = False, force: bool = False) -> str:
    """Write the copy (or the new workbook); returns one line for the user."""
    try:
        check_output(output, [source], force=force)
    except OutputError as exc:
        raise ValueError(str(exc)) from exc
    ret = reading.ret
    actions = ret.actions if ret else []
    if not actions:
        raise ValueError(f"No actions found in {source.name}; nothing to rate. Run "
                         f"'xlperf check {source}' to see what was found.")
    counts = Counter(a.computed_rag.value if a.computed_rag else "Not rated" for a in actions)
    summary = ", ".join(f"{counts[w]} {w}" for w in RAG_ORDER if counts[w])
    if reading.template and source.suffix.lower() in (".xlsx", ".xlsm"):
        words = _fill_template_copy(source, reading, output, as_of, redact)
        how = (f"; {words} written as words because their due date or percent could not "
               "be used by the formula" if words else "")
        return (f"Wrote {output}: computed RAG as of {as_of:%d/%m/%Y} for {len(actions)} "
                f"actions ({summary}). The template's RAG formula stays in place{how}.")
    data = Consolidation(as_of=as_of, rules=rules, issues=list(reading.issues))
    agency = ret.agency if ret else ""
    data.actions = [Row(agency, ret.period_label if ret else "", a) for a in actions]
    data.submissions = [Submission(
        file=str(source), agency=agency, period=ret.period_label if ret else "",
        status=FileStatus.ACCEPTED, errors=0, warnings=0, sha256="",
        rows_in=reading.rows_in, rows_out=reading.rows_in - reading.rows_rejected,
        rows_rejected=reading.rows_rejected)]
    write_partnership_workbook(data, output)
    return (f"{source.name} is not an xlperf template, so it was left as it is; wrote its "
            f"{len(actions)} actions with computed RAG ({summary}) to a new workbook {output}.")


def _fill_template_copy(source: Path, reading: Reading, output: Path, as_of: date,
                        redact: bool = False) -> int:
    """Set the as-of date; keep the RAG formula where it gives xlperf's answer (a real due
    date, a valid percent), write xlperf's word where it cannot. Returns words written."""
    book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    sheet = book[_actions_sheet(book, reading)]
    header = [c.value for c in sheet[1]]
    rag_col = header.index(COMPUTED_RAG.title) + 1
    due_col = header.index(DUE.title) + 1
    progress_col = header.index(PROGRESS.title) + 1
    written = 0
    for action in reading.ret.actions if reading.ret else []:
        row = action.source.row if action.source else None
        if row is None or action.source is None or action.source.sheet != sheet.title:
            continue
        due = sheet.cell(row=row, column=due_col).value
        progress = sheet.cell(row=row, column=progress_col).value
        formula_works = isinstance(due, datetime | date) and (
            progress is None or (isinstance(progress, int | float) and 0 <= progress <= 1))
        if not formula_works:
            rag = action.computed_rag.value if action.computed_rag else ""
            sheet.cell(row=row, column=rag_col).value = rag
            written += 1
    if redact:
        _mask_personal_data(book)
    if "Instructions" in book.sheetnames:
        book["Instructions"][AS_OF_CELL.replace("$", "")].value = datetime(
            as_of.year, as_of.month, as_of.day)
    with atomic_path(output) as tmp:
        book.save(tmp)
    return written


def _mask_personal_data(book: openpyxl.Workbook) -> None:
    """--redact: mask likely personal data in every text cell of the copy."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str) and \
                        find_personal_data(cell.value):
                    cell.value = redact_text(cell.value)
                    cell.data_type = "s"  # text stays text, whatever it starts with


def _actions_sheet(book: openpyxl.Workbook, reading: Reading) -> str:
    sheets = {a.source.sheet for a in (reading.ret.actions if reading.ret else []) if a.source}
    return next(iter(sheets)) if len(sheets) == 1 else ACTIONS_SHEET.name
