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

from xlperf.consolidate import Consolidation, Row
from xlperf.extract import Reading
from xlperf.rag import RagRules
from xlperf.schema import ACTIONS_SHEET, COMPUTED_RAG
from xlperf.write.atomic import OutputError, atomic_path, check_output
from xlperf.write.partnership_workbook import write_partnership_workbook
from xlperf.write.templates import AS_OF_CELL


def write_rag(source: Path, reading: Reading, output: Path, as_of: date,
              rules: RagRules) -> str:
    try:
        check_output(output, [source])
    except OutputError as exc:
        raise ValueError(str(exc)) from exc
    ret = reading.ret
    actions = ret.actions if ret else []
    counts = Counter(a.computed_rag.value if a.computed_rag else "Not rated" for a in actions)
    summary = ", ".join(f"{n} {word}" for word, n in sorted(counts.items()))
    if reading.template and source.suffix.lower() in (".xlsx", ".xlsm"):
        _fill_template_copy(source, reading, output, as_of)
        return f"Wrote {output}: computed RAG for {len(actions)} actions ({summary})."
    data = Consolidation(as_of=as_of, rules=rules, issues=list(reading.issues))
    agency = ret.agency if ret else ""
    data.actions = [Row(agency, ret.period_label if ret else "", a) for a in actions]
    write_partnership_workbook(data, output)
    return (f"{source.name} is not an xlperf template, so it was left as it is; wrote its "
            f"{len(actions)} actions with computed RAG ({summary}) to a new workbook {output}.")


def _fill_template_copy(source: Path, reading: Reading, output: Path, as_of: date) -> None:
    book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    sheet = book[ACTIONS_SHEET.name]
    header = [c.value for c in sheet[1]]
    col = header.index(COMPUTED_RAG.title) + 1
    by_row = {a.source.row: a for a in (reading.ret.actions if reading.ret else [])
              if a.source and a.source.sheet == ACTIONS_SHEET.name}
    for row, action in by_row.items():
        if row is not None:
            value = action.computed_rag.value if action.computed_rag else ""
            sheet.cell(row=row, column=col).value = value
    if "Instructions" in book.sheetnames:
        book["Instructions"][AS_OF_CELL.replace("$", "")].value = datetime(
            as_of.year, as_of.month, as_of.day)
    with atomic_path(output) as tmp:
        book.save(tmp)
