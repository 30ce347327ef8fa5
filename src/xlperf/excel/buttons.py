"""The four buttons: check, update_rag, consolidate, report.

Each takes an open workbook (an ``xw.Book``; none means the workbook whose button was
pressed, ``xw.Book.caller()``), reads it once into plain grids and calls the core:
no rule lives here. The same functions run behind the desktop buttons (RunPython),
as xlwings Server scripts (:mod:`xlperf.excel.server`) and in xlwings Lite
(``lite/main.py``). ``alert=False`` reports on the Control sheet and stdout only.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Callable
from contextlib import redirect_stdout
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from xlperf.excel import control
from xlperf.excel.book import ButtonError, Context, control_values, open_context, plural, tell
from xlperf.excel.issues_sheet import write_issues
from xlperf.extract import read_return
from xlperf.issues import Issue
from xlperf.logframe import check_planning_workbook
from xlperf.schema import (
    ACTIONS_SHEET,
    COMPUTED_RAG,
    PLANNING_KINDS,
    TEMPLATES,
    FieldType,
)

T = TypeVar("T")


def _caller(book: Any) -> Any:
    if book is not None:
        return book
    import xlwings as xw

    return xw.Book.caller()


def _button(func: Callable[[Context], T]) -> Callable[..., T | None]:
    """Open the context; turn a ButtonError into a message for the user."""

    @wraps(func)
    def run(book: Any = None, *, alert: bool = True) -> T | None:
        ctx = open_context(_caller(book), alert)
        try:
            return func(ctx)
        except ButtonError as exc:
            tell(ctx, str(exc))
            return None

    return run


@_button
def check(ctx: Context) -> list[Issue]:
    """Check the workbook as ``xlperf check`` does; write the Issues sheet."""
    issues = _issues(ctx)
    sheet = write_issues(ctx, issues)
    counts = Counter(i.severity.value for i in issues)
    tell(ctx, f"Checked: {plural(counts['error'], 'error')}, "
              f"{plural(counts['warning'], 'warning')}; see the sheet '{sheet.name}'.")
    return issues


def _issues(ctx: Context) -> list[Issue]:
    """A return or plan is read as one; a planning workbook is checked against its
    template, as ``xlperf check`` does (:func:`xlperf.batch.read_one`)."""
    if ctx.template in PLANNING_KINDS:
        return check_planning_workbook(ctx.grids, ctx.template, ctx.rules, ctx.as_of)[0]
    return read_return(ctx.grids, ctx.rules, ctx.as_of).issues


@_button
def update_rag(ctx: Context) -> Counter[str]:
    """Write xlperf's computed RAG (a word) into each action's Computed RAG cell."""
    if ctx.template not in TEMPLATES:
        raise ButtonError("Update RAG works on xlperf's templates, whose Actions sheet has a "
                          "Computed RAG column. For another workbook use: xlperf rag FILE -o "
                          "COPY.xlsx")
    template = TEMPLATES[ctx.template]
    if not any(f.type is FieldType.COMPUTED_RAG for spec in template.sheets for f in spec.fields):
        raise ButtonError(f"The {template.title.lower()} has no {COMPUTED_RAG.title} column: "
                          "Update RAG works on the action plan and the monitoring return.")
    reading = read_return(ctx.grids, ctx.rules, ctx.as_of)
    actions = reading.ret.actions if reading.ret else []
    sheet = ctx.grids.sheet(ACTIONS_SHEET.name)
    header = sheet.rows[0] if sheet is not None and sheet.rows else []
    if sheet is None or COMPUTED_RAG.title not in header:
        raise ButtonError(f"No '{COMPUTED_RAG.title}' column in the header row of the sheet "
                          f"'{ACTIONS_SHEET.name}'. Restore it from a fresh template.")
    col = header.index(COMPUTED_RAG.title) + 1
    words = {a.source.row: (a.computed_rag.value if a.computed_rag else None)
             for a in actions if a.source and a.source.row and a.source.sheet == sheet.name}
    for first, run in _runs(words):
        ctx.book.sheets[sheet.name].range((first, col)).options(transpose=True).value = run
    counts = Counter(w or "not rated" for w in words.values())
    shown = ", ".join(f"{n} {w}" for w, n in sorted(counts.items())) or "no actions found"
    tell(ctx, f"Computed RAG as at {ctx.as_of:%d/%m/%Y} written for "
              f"{plural(len(words), 'action')}: {shown}.")
    return counts


@_button
def consolidate(ctx: Context) -> Path:
    """Consolidate the returns folder named on the Control sheet into a partnership
    workbook, written beside that folder (or in "Save outputs in")."""
    from xlperf.pipeline import UsageError, run_consolidation
    from xlperf.read import ReaderUnavailable

    folder, out_dir, partnership = _inputs(ctx)
    output = out_dir / f"{folder.name} partnership workbook.xlsx"
    printed = io.StringIO()
    try:
        with redirect_stdout(printed):
            run_consolidation([folder], output, ctx.as_of, ctx.rules, partnership)
    except (UsageError, ReaderUnavailable) as exc:
        raise ButtonError(str(exc)) from exc
    lines = [line for line in printed.getvalue().splitlines() if line.strip()]
    headline = next((line for line in lines if line.startswith("Computed RAG")), "")
    tell(ctx, f"Partnership workbook written: {output}. {headline}".strip(), output)
    return output


@_button
def report(ctx: Context) -> Path:
    """Write the 4Ps report (Word) of the returns folder named on the Control sheet,
    beside that folder (or in "Save outputs in")."""
    from xlperf.read import ReaderUnavailable
    from xlperf.report import from_consolidation
    from xlperf.report.output import write_report
    from xlperf.report.render import TemplateProblem
    from xlperf.write.atomic import OutputError

    folder, out_dir, partnership = _inputs(ctx)
    output = out_dir / f"{folder.name} 4Ps report.docx"
    try:
        data = _read_folder(ctx, folder, partnership)
        write_report(from_consolidation(data), "4ps", output, inputs=[folder])
    except (OutputError, TemplateProblem, ReaderUnavailable) as exc:
        raise ButtonError(str(exc)) from exc
    tell(ctx, f"4Ps report written: {output}", output)
    return output


def _read_folder(ctx: Context, folder: Path, partnership: Any) -> Any:
    """Every return in ``folder`` read and consolidated (nothing written)."""
    from xlperf.batch import read_many, skipped_result, walk
    from xlperf.consolidate import consolidate as combine

    files, skipped = walk([folder])
    results = [skipped_result(s) for s in skipped]
    results += read_many(files, ctx.rules, ctx.as_of, partnership)
    data = combine(results, ctx.as_of, ctx.rules, partnership)
    data.root = str(folder.resolve()) + os.sep
    return data


def _runs(words: dict[int, str | None]) -> list[tuple[int, list[str | None]]]:
    """Consecutive rows as (first row, values), so each run is written at once and
    rows between actions (blank rows, rejected rows) are left alone."""
    runs: list[tuple[int, list[str | None]]] = []
    for row in sorted(words):
        if runs and runs[-1][0] + len(runs[-1][1]) == row:
            runs[-1][1].append(words[row])
        else:
            runs.append((row, [words[row]]))
    return runs


def _inputs(ctx: Context) -> tuple[Path, Path, Any]:
    """The returns folder, the output folder and the partnership (or None)."""
    from xlperf.partnership import PartnershipError, load_partnership

    values = control_values(ctx.grids)
    if control.SHEET not in {s.name for s in ctx.grids.sheets}:
        raise ButtonError(f"This workbook has no '{control.SHEET}' sheet naming the returns "
                          "folder; use xlperf's action plan template (action-plan.xlsm).")
    folder = _path(ctx, values.get("folder", ""), control.FOLDER)
    if folder is None or not folder.is_dir():
        shown = f"'{values.get('folder')}' is not a folder" if values.get("folder") else \
            "No returns folder given"
        raise ButtonError(f"{shown}. Type the full path of the folder of returns next to "
                          f"'{control.FOLDER.label}' on the {control.SHEET} sheet.")
    out_dir = _path(ctx, values.get("output_folder", ""), control.OUTPUT_FOLDER) or \
        folder.resolve().parent
    if not out_dir.is_dir():
        raise ButtonError(f"'{out_dir}' is not a folder. Correct "
                          f"'{control.OUTPUT_FOLDER.label}' on the {control.SHEET} sheet.")
    partnership = None
    file = _path(ctx, values.get("partnership", ""), control.PARTNERSHIP)
    if file is not None:
        try:
            partnership = load_partnership(file)
        except PartnershipError as exc:
            raise ButtonError(str(exc)) from exc
    return folder, out_dir, partnership


def _path(ctx: Context, text: str, field: control.Field) -> Path | None:
    """A path typed on the Control sheet; a relative one is taken from the workbook's
    folder, which only desktop Excel tells us."""
    if not text:
        return None
    path = Path(text.strip().strip('"')).expanduser()
    if path.is_absolute():
        return path
    if ctx.folder is None:
        raise ButtonError(f"'{field.label}' must be a full path (e.g. starting C:\\ or /) "
                          "when the workbook is run through a server.")
    return ctx.folder / path
