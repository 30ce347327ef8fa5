"""A consolidated partnership workbook, read back into :class:`ReportData`.

Pure: works on the grids :func:`xlperf.read.read_workbook` gives. Sheets are found by
name and columns by their title (the titles :mod:`xlperf.write.partnership_workbook`
writes), never by position, so a coordinator may reorder or add columns.
"""

from __future__ import annotations

from datetime import date, datetime

from xlperf.extract import template_marker
from xlperf.grid import CellValue, Sheet, Workbook
from xlperf.indicators import PARTNERSHIP, RATE_NOTE
from xlperf.model import Partnership, Strand
from xlperf.report.data import (
    DEFAULT_NAME,
    ActionLine,
    Figure,
    Narrative4P,
    Provenance,
    ReportData,
    ReturnLine,
    TargetLine,
    count_groups,
)
from xlperf.values import parse_date

KIND = "partnership-workbook"
_TITLE_END = ": performance summary"
_USED = ("accepted", "accepted with warnings", "accepted with errors")

Record = dict[str, CellValue]


class WorkbookShapeError(ValueError):
    """A partnership workbook that lacks a sheet or column a report needs."""


def is_partnership_workbook(book: Workbook) -> bool:
    marker = template_marker(book)
    return marker is not None and marker[0] == KIND


def _sheet(book: Workbook, name: str) -> Sheet:
    sheet = book.sheet(name)
    if sheet is None:
        names = ", ".join(s.name for s in book.sheets if s.visible)
        raise WorkbookShapeError(f"Sheet '{name}' not found in {book.path.name}; "
                                 f"sheets are: {names}.")
    return sheet


def _title(value: CellValue) -> str:
    return " ".join(str(value).split()).lower() if value is not None else ""


def records(book: Workbook, name: str, required: list[str]) -> list[Record]:
    """The rows of a sheet's table as {column title: value}, the header found by its titles."""
    sheet = _sheet(book, name)
    want = {_title(t) for t in required}
    r = next((i for i, row in enumerate(sheet.rows[:20])
              if want <= {_title(v) for v in row if v is not None}), None)
    if r is None:
        raise WorkbookShapeError(f"Sheet '{name}' of {book.path.name} has no header row with "
                                 f"the columns {', '.join(required)}.")
    header = [str(v).strip() if v is not None else "" for v in sheet.rows[r]]
    out = []
    for row in sheet.rows[r + 1:]:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        out.append({title: (row[c] if c < len(row) else None)
                    for c, title in enumerate(header) if title})
    return out


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: CellValue) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _day(value: CellValue) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _int(value: CellValue) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _subgroup(strand: str, partnership: Partnership | None) -> str:
    if partnership is None or strand not in {s.value for s in Strand}:
        return ""
    return partnership.subgroup_for(Strand(strand))


def _actions(book: Workbook, partnership: Partnership | None) -> tuple[ActionLine, ...]:
    rows = records(book, "Actions", ["Agency", "Period", "Action", "Computed RAG"])
    out = []
    for r in rows:
        progress = _number(r.get("Progress"))
        strand = _text(r.get("Strand"))
        out.append(ActionLine(
            agency=_text(r.get("Agency")), period=_text(r.get("Period")),
            ref=_text(r.get("Ref")), objective=_text(r.get("Objective")), strand=strand,
            subgroup=_subgroup(strand, partnership), text=_text(r.get("Action")),
            owner=_text(r.get("Owner")), due=_day(r.get("Due")),
            due_text=_text(r.get("Due as written")), status=_text(r.get("Status")),
            progress=round(progress * 100, 4) if progress is not None else None,
            reported=_text(r.get("Reported RAG")),
            computed=_text(r.get("Computed RAG")).replace("Not rated", ""),
            comment=_text(r.get("Comment")),
            source=Provenance(_text(r.get("Source file")), _text(r.get("Source sheet")),
                              _int(r.get("Source row")))))
    return tuple(out)


def _figures(book: Workbook) -> tuple[Figure, ...]:
    rows = records(book, "Indicators", ["Agency", "Period", "Indicator", "Value"])
    return tuple(Figure(
        agency=_text(r.get("Agency")), period=_text(r.get("Period")),
        indicator=_text(r.get("Indicator")), breakdown=_text(r.get("Breakdown")),
        value=_number(r.get("Value")), text=_text(r.get("Value as written")),
        numerator=_number(r.get("Numerator")), denominator=_number(r.get("Denominator")),
        target=_number(r.get("Target")), target_text=_text(r.get("Target as written")),
        source=Provenance(_text(r.get("Source file")), _text(r.get("Source sheet")), None,
                          _text(r.get("Source cell")))) for r in rows)


def _targets(book: Workbook) -> tuple[TargetLine, ...]:
    """The Indicator summary's partnership lines (or single-agency lines) with a target to
    date; none from a workbook written before the sheet existed."""
    if book.sheet("Indicator summary") is None:
        return ()
    rows = records(book, "Indicator summary", ["Indicator", "Agency", "Target to date"])
    if not rows:
        return ()
    titles = list(rows[0])
    periods = titles[titles.index("Agency") + 1:titles.index("Target (latest period)")] \
        if "Target (latest period)" in titles else []
    names = [_text(r.get("Indicator")) for r in rows]
    out = []
    for r, name in zip(rows, names, strict=True):
        agency = _text(r.get("Agency"))
        target = _number(r.get("Target to date"))
        if target is None or (agency != PARTNERSHIP and names.count(name) > 1):
            continue
        note = _text(r.get("Note"))
        rate = RATE_NOTE in note
        note = note.replace(RATE_NOTE, "").strip("; ")
        latest = [v for p in periods if (v := _number(r.get(p))) is not None]
        achieved = (latest[-1] if latest else None) if rate else _number(r.get("Year to date"))
        out.append(TargetLine(name, agency, achieved, target, _number(r.get("% of target")),
                              _text(r.get("RAG")), rate, note))
    return tuple(out)


def _rates(book: Workbook) -> frozenset[str]:
    """The indicators the Indicator summary shows as rates (its note says so)."""
    if book.sheet("Indicator summary") is None:
        return frozenset()
    rows = records(book, "Indicator summary", ["Indicator", "Agency"])
    return frozenset(" ".join(_text(r.get("Indicator")).lower().split()) for r in rows
                     if RATE_NOTE in _text(r.get("Note")))


def _narratives(book: Workbook) -> tuple[Narrative4P, ...]:
    rows = records(book, "Narrative", ["Agency", "Period", "Progress", "Problems"])
    return tuple(Narrative4P(
        _text(r.get("Agency")), _text(r.get("Period")), _text(r.get("Progress")),
        _text(r.get("Problems")), _text(r.get("Priorities")),
        _text(r.get("Points for action")), _text(r.get("Source file"))) for r in rows)


def _submissions(book: Workbook) -> tuple[tuple[ReturnLine, ...], tuple[tuple[str, str], ...]]:
    rows = records(book, "Submissions", ["Agency", "Period", "File", "Status"])
    used = tuple(ReturnLine(_text(r.get("Agency")), _text(r.get("Period")),
                            _text(r.get("File")), _text(r.get("Status")),
                            _int(r.get("Errors")) or 0, _int(r.get("Warnings")) or 0)
                 for r in rows if _text(r.get("Status")) in _USED)
    missing = tuple((_text(r.get("Agency")), _text(r.get("Period")))
                    for r in rows if _text(r.get("Status")) == "not submitted")
    return used, missing


def _severities(book: Workbook) -> tuple[int, int]:
    rows = records(book, "Issues", ["Code", "Severity"])
    severities = [_text(r.get("Severity")) for r in rows]
    return severities.count("error"), severities.count("warning")


def _facts(sheet: Sheet) -> tuple[str, dict[str, str]]:
    """The Summary's title (the partnership's name) and its label: value lines."""
    name, facts = DEFAULT_NAME, dict[str, str]()
    for row in sheet.rows:
        cells = [_text(v) for v in row if v is not None and _text(v).strip()]
        if not cells:
            continue
        if cells[0].endswith(_TITLE_END) and len(cells) == 1:
            name = cells[0][: -len(_TITLE_END)]
        elif len(cells) >= 2:
            facts.setdefault(cells[0], cells[1])
    return name, facts


def _block(sheet: Sheet, title: str) -> dict[str, dict[str, int]]:
    """A RAG count block of the Summary: its title row, a 'Group' header, one row a group."""
    rows = sheet.rows
    start = next((i for i, row in enumerate(rows) if row and _text(row[0]) == title), None)
    if start is None or start + 1 >= len(rows):
        return {}
    header = [_text(v) for v in rows[start + 1]]
    out: dict[str, dict[str, int]] = {}
    for row in rows[start + 2:]:
        if not row or not _text(row[0]):
            break
        out[_text(row[0])] = {word: int(_number(row[c]) or 0) for c, word in enumerate(header)
                              if c > 0 and word and word not in ("Total", "Group")
                              and c < len(row)}
    return out


def read_partnership_workbook(book: Workbook, partnership: Partnership | None = None
                              ) -> ReportData:
    """ReportData from a workbook ``xlperf consolidate`` wrote.

    Each action's sub-group comes from ``partnership``; without it the Summary's
    sub-group counts are used as they stand.
    """
    summary = _sheet(book, "Summary")
    name, facts = _facts(summary)
    as_of = parse_date(facts.get("As of", "")).value
    if as_of is None:
        raise WorkbookShapeError(f"The Summary sheet of {book.path.name} has no 'As of' date.")
    returns, missing = _submissions(book)
    errors, warnings = _severities(book)
    subgroups = () if partnership else count_groups(
        _block(summary, "Computed RAG by sub-group"))
    period = facts.get("Latest period", "")
    return ReportData(
        partnership=name, as_of=as_of.start,
        period="" if period == "(not stated)" else period, rule=facts.get("RAG rule", ""),
        actions=_actions(book, partnership), figures=_figures(book),
        narratives=_narratives(book), returns=returns, missing=missing, errors=errors,
        warnings=warnings, subgroups_known=partnership is not None, subgroup_counts=subgroups,
        targets=_targets(book), rates=_rates(book))
