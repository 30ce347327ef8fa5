"""Write the consolidated partnership workbook (xlsxwriter: new file, native tables and charts).

Sheets: Summary, Actions, Indicators, Narrative, Submissions, Issues. Partner
text is always written as text (never a formula or a link), dates as dates,
numbers as numbers; the file appears only when complete (atomic rename).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from xlperf import __version__
from xlperf.consolidate import RAG_ORDER, Consolidation, Row
from xlperf.indicators import PARTNERSHIP, RATE_NOTE, Line, Unit, shown_figure, summary_lines
from xlperf.model import Action, FinanceLine, IndicatorValue
from xlperf.schema import MARKER_SHEET
from xlperf.values import DateValue, parse_period
from xlperf.write.atomic import atomic_path
from xlperf.write.style import (
    WORKBOOK_OPTIONS,
    Formats,
    add_rag_colours,
    print_setup,
    wrapped_lines,
)

Value = str | float | int | datetime | None


def write_partnership_workbook(data: Consolidation, path: Path) -> None:
    with atomic_path(path) as tmp:
        book = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        book.set_properties({"title": "Partnership performance", "author": f"xlperf {__version__}",
                             "created": datetime.combine(data.as_of, datetime.min.time())})
        fmt = Formats(book)
        summary = book.add_worksheet("Summary")
        _actions(book, fmt, data)
        _indicators(book, fmt, data)
        _indicator_summary(book, fmt, data)
        if data.logframe is not None:
            _logframe(book, fmt, data)
        _narrative(book, fmt, data)
        _finance(book, fmt, data)
        _submissions(book, fmt, data)
        _issues(book, fmt, data)
        _summary(book, summary, fmt, data)
        _marker(book)
        summary.activate()
        book.close()


def _marker(book: Any) -> None:
    """Mark the workbook as xlperf's output, so it is never read back as a return."""
    sheet = book.add_worksheet(MARKER_SHEET)
    sheet.write_string(0, 0, "xlperf-template")
    sheet.write_string(0, 1, "partnership-workbook")
    sheet.write_string(1, 0, "version")
    sheet.write_number(1, 1, 1)
    sheet.hide()


def _finance(book: Any, fmt: Formats, data: Consolidation) -> None:
    columns: list[Column] = [
        ("Agency", 20, "text"), ("Period", 10, "text"), ("Budget line", 30, "wrap"),
        ("Budget", 12, "money"), ("Income", 12, "money"), ("Expenditure", 12, "money"),
        ("Remaining", 12, "money"), ("Comment", 36, "wrap"), ("Source file", 30, "text"),
        ("Source row", 8, "number")]
    rows: list[list[Value]] = []
    for row in data.finance:
        line = row.item
        assert isinstance(line, FinanceLine)
        left = (line.budget - line.expenditure
                if line.budget is not None and line.expenditure is not None else None)
        rows.append([row.agency, row.period, line.line, line.budget, line.income,
                     line.expenditure, left, line.comment,
                     data.display(line.source.file) if line.source else "",
                     line.source.row if line.source else None])
    _table(book, fmt, "Finance", columns, rows)


Column = tuple[str, int, str]  # title, width, kind (text, wrap, date, number, percent, rag)


def _table(book: Any, fmt: Formats, name: str, columns: Sequence[Column],
           rows: Sequence[Sequence[Value]]) -> Any:
    sheet = book.add_worksheet(name)
    last = max(len(rows), 1)
    sheet.add_table(0, 0, last, len(columns) - 1, {
        "name": name.replace(" ", ""), "style": "Table Style Light 9",
        "columns": [{"header": title, "header_format": fmt.header} for title, _, _ in columns]})
    kinds = {"date": fmt.date, "percent": fmt.percent, "number": fmt.number,
             "wrap": fmt.wrap, "money": fmt.money}
    for c, (_, width, kind) in enumerate(columns):
        sheet.set_column(c, c, width, kinds.get(kind, fmt.text))
        if kind == "rag":
            add_rag_colours(sheet, fmt, 1, c, last)
    wrapped = [(c, width) for c, (_, width, kind) in enumerate(columns) if kind == "wrap"]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            _write(sheet, fmt, r, c, value, columns[c][2])
        lines = max((_lines(row[c], width) for c, width in wrapped), default=1)
        if lines > 1:
            sheet.set_row(r, 15 * min(lines, 12))
    longest = max((_lines(title, width) for title, width, _ in columns), default=1)
    sheet.set_row(0, 15 * max(2, longest))  # wrapped headings stay readable
    sheet.freeze_panes(1, 0)
    print_setup(sheet)
    return sheet


def _lines(value: Value, width: int) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (LibreOffice and
    Excel do not grow rows written by a library, so the writer sets the height)."""
    return wrapped_lines(value, int(width * 1.1) - 2) if isinstance(value, str) else 1


def _write(sheet: Any, fmt: Formats, r: int, c: int, value: Value, kind: str) -> None:
    if value is None or value == "":
        return
    if isinstance(value, datetime):
        sheet.write_datetime(r, c, value, fmt.date)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(r, c, value / 100 if kind == "percent" else value)
    else:
        sheet.write_string(r, c, str(value))


def _date(value: DateValue | None) -> Value:
    """A date as a real date; a month or quarter as its last day (its label goes beside it)."""
    if value is None:
        return None
    day = value.start if value.precision == "day" else value.end
    return datetime(day.year, day.month, day.day)


def _precision(value: DateValue | None, written: str) -> str:
    """What to show in 'Due as written': unreadable text, or the month/quarter meant."""
    if written:
        return written
    return value.label if value is not None and value.precision != "day" else ""


ACTION_COLUMNS: list[Column] = [
    ("Agency", 22, "wrap"), ("Period", 11, "text"), ("Ref", 6, "text"),
    ("Objective", 28, "wrap"), ("Strand", 9, "text"), ("Action", 40, "wrap"),
    ("Owner", 20, "wrap"), ("Start", 11, "date"), ("Due", 11, "date"),
    ("Due as written", 14, "text"), ("Status", 12, "text"), ("Progress", 10, "percent"),
    ("Reported RAG", 13, "rag"), ("Computed RAG", 13, "rag"), ("Disagree", 9, "text"),
    ("Comment", 40, "wrap"), ("Source file", 30, "wrap"), ("Source sheet", 14, "text"),
    ("Source row", 10, "number"),
]


def _action_row(row: Row, data: Consolidation) -> list[Value]:
    a = row.item
    assert isinstance(a, Action)
    src = a.source
    reported = a.reported_rag.value if a.reported_rag else ""
    computed = a.computed_rag.value if a.computed_rag else "Not rated"
    differ = ("Yes" if reported and a.computed_rag and _rag3(reported) != _rag3(computed)
              else "")
    return [row.agency, row.period, a.ref, a.objective, a.strand.value if a.strand else "",
            a.text, a.owner, _date(a.start), _date(a.due), _precision(a.due, a.due_text),
            a.status.value if a.status else "", a.progress, reported, computed, differ,
            a.comment, data.display(src.file) if src else "", src.sheet if src else "",
            src.row if src else None]


def _rag3(word: str) -> str:
    return {"Amber/Red": "Amber", "Amber/Green": "Amber", "Complete": "Green"}.get(word, word)


def _actions(book: Any, fmt: Formats, data: Consolidation) -> None:
    rows = [_action_row(r, data) for r in data.actions]
    _table(book, fmt, "Actions", ACTION_COLUMNS, rows)


INDICATOR_COLUMNS: list[Column] = [
    ("Agency", 22, "wrap"), ("Period", 11, "text"), ("Indicator", 40, "wrap"),
    ("Breakdown", 20, "text"), ("Context", 30, "wrap"), ("Value", 10, "number"),
    ("Value as written", 16, "wrap"),
    ("Numerator", 11, "number"), ("Denominator", 13, "number"), ("Target", 10, "number"),
    ("Target as written", 16, "wrap"), ("Baseline", 10, "number"),
    ("Baseline as written", 14, "wrap"), ("Reported RAG", 12, "rag"), ("Comment", 30, "wrap"),
    ("Source file", 30, "text"), ("Source sheet", 14, "text"), ("Source cell", 9, "text"),
]


def _indicator_row(row: Row, data: Consolidation) -> list[Value]:
    v = row.item
    assert isinstance(v, IndicatorValue)
    src = v.source
    return [v.agency or row.agency, v.period or row.period, v.indicator, v.breakdown, v.context,
            v.value,
            v.text, v.numerator, v.denominator, v.target, v.target_text, v.baseline,
            v.baseline_text,            v.reported_rag.value if v.reported_rag else "", v.comment,
            data.display(src.file) if src else "", src.sheet if src else "",
            src.cell if src else ""]


def _indicators(book: Any, fmt: Formats, data: Consolidation) -> None:
    rows = [_indicator_row(r, data) for r in data.indicators]
    _table(book, fmt, "Indicators", INDICATOR_COLUMNS, rows)


def _indicator_summary(book: Any, fmt: Formats, data: Consolidation) -> None:
    """Target versus actual: one line per indicator and agency (and the partnership),
    periods across, with year to date, percent of target and RAG; a chart of the key
    indicators over time."""
    lines = summary_lines(data.reported_figures(), framework=data.framework)
    periods = sorted({p for line in lines for p in line.actuals},
                     key=lambda label: _period_end(label))
    columns: list[Column] = [("Indicator", 36, "wrap"), ("Agency", 30, "wrap")]
    columns += [(p, 11, "number") for p in periods]
    columns += [("Target (latest period)", 11, "number"), ("Target to date", 11, "number"),
                ("Year to date", 11, "number"), ("% of target", 10, "number"),
                ("Change from last period", 11, "number"), ("RAG", 10, "rag"),
                ("Note", 40, "wrap")]
    rows: list[list[Value]] = []
    for line in lines:
        s = line.latest
        scale = 100 if line.unit is Unit.PROPORTION else 1  # rates shown as per cent
        figures = [*[line.actuals.get(p) for p in periods], s.target, s.target_to_date,
                   s.year_to_date]
        note = "; ".join(n for n in (line.note, RATE_NOTE if scale == 100 else "") if n)
        rows.append([line.indicator, line.agency,
                     *[shown_figure(v, scale == 100) for v in figures],
                     s.percent_of_target, s.change_from_last if scale == 1 or
                     s.change_from_last is None else round(s.change_from_last * 100, 1),
                     s.rag.value if s.rag else "", note])
    sheet = _table(book, fmt, "Indicator summary", columns, rows)
    _indicator_chart(book, sheet, lines, periods, len(columns) + 1, set(data.framework))


def _logframe(book: Any, fmt: Formats, data: Consolidation) -> None:
    """The logframe with its indicators' latest figures from the returns: one row per
    indicator (and one for an objective without any), from the Goal down."""
    assert data.logframe is not None
    lines: dict[str, Line] = {}  # the partnership's line, or the one agency's
    for ln in summary_lines(data.reported_figures(), framework=data.framework):
        if ln.agency == PARTNERSHIP or ln.indicator.lower() not in lines:
            lines[ln.indicator.lower()] = ln
    partnership = {ln.indicator.lower() for ln in lines.values() if ln.agency == PARTNERSHIP}
    columns: list[Column] = [
        ("Level", 10, "text"), ("Ref", 7, "text"), ("Objective", 40, "wrap"),
        ("Indicator", 36, "wrap"), ("Baseline", 11, "wrap"), ("Target", 14, "wrap"),
        ("Achieved (as in the logframe)", 14, "wrap"), ("Period", 11, "text"),
        ("Actual", 10, "number"), ("Year to date", 10, "number"),
        ("Target to date", 10, "number"), ("% of target", 10, "number"), ("RAG", 10, "rag"),
        ("Reported by", 28, "wrap"), ("Means of verification", 28, "wrap"),
        ("Risks and assumptions", 32, "wrap"), ("Source", 24, "text")]
    rows: list[list[Value]] = []
    for row in data.logframe.rows:
        base = [row.level.value if row.level else row.level_text, row.ref, row.summary]
        if not row.indicators:
            rows.append([*base, *[None] * 11, row.verification, row.assumptions,
                         _where(row.source)])
            continue
        for ind in row.indicators:
            spec = data.framework.get(ind.name.strip().lower())
            name = spec.name if spec is not None else ind.name
            line = lines.get(name.lower())
            s = line.latest if line is not None else None
            rate = (spec.unit if spec else line.unit if line else Unit.COUNT) is Unit.PROPORTION
            figures = [s.actual, s.year_to_date, s.target_to_date] if s else [None] * 3
            target = spec.targets[-1].value if spec is not None and spec.targets else None
            rows.append([
                *base, name if name == ind.name else f"{ind.name}: {name}",
                _as_written(ind.baseline, ind.baseline_text, spec.baseline if spec else None,
                            rate),
                _as_written(ind.target, ind.target_text, target, rate),
                _as_written(ind.achieved, ind.achieved_text, None, rate),
                s.period.label if s is not None else "",
                *[None if v is None else round(v * 100, 1) if rate else v for v in figures],
                s.percent_of_target if s else None, s.rag.value if s and s.rag else "",
                ", ".join(s.agencies) if s is not None and name.lower() in partnership
                else (line.agency if line is not None else ""),
                ind.verification or row.verification, row.assumptions,
                _where(ind.source or row.source)])
    if not any(i.achieved is not None or i.achieved_text for _, i in data.logframe.indicators):
        drop = 6  # 'Achieved (as in the logframe)': only logframes that track progress
        columns = columns[:drop] + columns[drop + 1:]
        rows = [r[:drop] + r[drop + 1:] for r in rows]
    _table(book, fmt, "Logframe", columns, rows)


def _as_written(value: float | None, text: str, fallback: float | None, rate: bool) -> Value:
    """A figure as the logframe gives it: its text when written as prose, else the number
    (a rate as a percentage)."""
    if text:
        return text
    number = value if value is not None else fallback
    if number is None:
        return None
    if rate:  # a fraction (0.35), or a percentage already written as one (35, from '35%')
        return f"{number * 100 if number <= 1 else number:g}%"
    return number


def _where(source: Any) -> str:
    return f"{source.sheet}!{source.cell}" if source is not None and source.cell else ""


def _period_end(label: str) -> str:
    parsed = parse_period(label).value
    return parsed.end.isoformat() if parsed else label


def _indicator_chart(book: Any, sheet: Any, lines: list[Line], periods: list[str],
                     at_col: int, framework: set[str]) -> None:
    """Key indicators over time: the framework's indicators first, then those with the most
    periods; partnership lines (or single-agency lines); up to four, all counts (or, with
    no counts, all rates), so one axis fits them."""
    if len(periods) < 2:
        return
    totals = [(i, ln) for i, ln in enumerate(lines, start=1)
              if ln.agency == PARTNERSHIP or sum(1 for x in lines
                                                 if x.indicator == ln.indicator) == 1]
    key = sorted(totals, key=lambda t: (t[1].indicator.lower() not in framework,
                                        -sum(v is not None for v in t[1].actuals.values())))
    if not key:
        return
    counts = [t for t in key if t[1].unit is not Unit.PROPORTION]
    key = (counts or key)[:4]  # one kind on one axis: counts, else rates
    chart = book.add_chart({"type": "line"})
    for row, line in key:
        chart.add_series({"name": f"{line.indicator[:40]} ({line.agency})",
                          "categories": ["Indicator summary", 0, 2, 0, 1 + len(periods)],
                          "values": ["Indicator summary", row, 2, row, 1 + len(periods)],
                          "marker": {"type": "circle"}})
    chart.set_title({"name": "Key indicators over time"})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 360})
    sheet.insert_chart(1, at_col, chart)


def _narrative(book: Any, fmt: Formats, data: Consolidation) -> None:
    columns: list[Column] = [("Agency", 18, "text"), ("Period", 10, "text"),
                             ("Progress", 45, "wrap"), ("Problems", 45, "wrap"),
                             ("Priorities", 45, "wrap"), ("Points for action", 45, "wrap"),
                             ("Source file", 30, "text")]
    rows = [[agency, period, n.progress, n.problems, n.priorities, n.points_for_action,
             data.display(file)] for agency, period, n, file in data.narratives]
    _table(book, fmt, "Narrative", columns, rows)


def _submissions(book: Any, fmt: Formats, data: Consolidation) -> None:
    columns: list[Column] = [
        ("Agency", 20, "text"), ("Period", 10, "text"), ("File", 40, "text"),
        ("Status", 20, "text"), ("Errors", 7, "number"), ("Warnings", 9, "number"),
        ("Rows in", 8, "number"), ("Rows out", 9, "number"), ("Rows rejected", 9, "number"),
        ("Note", 50, "wrap"), ("Content hash (SHA-256)", 20, "text")]
    rows: list[list[Value]] = [
        [s.agency, s.period, data.display(s.file), s.status.value, s.errors, s.warnings, s.rows_in,
         s.rows_out, s.rows_rejected, s.note, s.sha256] for s in data.submissions]
    rows += [[agency, period, "", "not submitted", None, None, None, None, None,
              "Member agency with no return for the period.", ""]
             for agency, period in data.missing]
    _table(book, fmt, "Submissions", columns, rows)


def _issues(book: Any, fmt: Formats, data: Consolidation) -> None:
    columns: list[Column] = [("File", 36, "text"), ("Sheet", 16, "text"), ("Cell", 7, "text"),
                             ("Row", 6, "number"), ("Code", 24, "text"),
                             ("Severity", 9, "text"), ("Message", 80, "wrap")]
    rows: list[list[Value]] = [[data.display(i.file), i.sheet, i.cell, i.row, i.code,
                                i.severity.value, i.message] for i in data.issues]
    _table(book, fmt, "Issues", columns, rows)


def _summary(book: Any, sheet: Any, fmt: Formats, data: Consolidation) -> None:
    name = data.partnership.name if data.partnership else "Partnership"
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 8, 12.5)
    sheet.write_string(0, 0, f"{name}: performance summary", fmt.title)
    facts = [("As of", data.as_of.strftime("%d/%m/%Y")),
             ("Latest period", data.period or "(not stated)"),
             ("RAG rule", data.rules.describe()), ("Rule set", data.rules.source),
             ("Returns used", str(sum(1 for s in data.submissions if s.used))),
             ("Actions counted", f"{len(data.current_actions())} (latest period; "
                                 f"{len(data.actions)} rows in all periods)"),
             ("Indicator figures", str(len(data.indicators)))]
    for i, (label, value) in enumerate(facts, start=2):
        sheet.write_string(i, 0, label, fmt.bold)
        if len(value) > 40:
            sheet.merge_range(i, 1, i, 8, value, fmt.wrap)
            sheet.set_row(i, 15 * _lines(value, 100))
        else:
            sheet.write_string(i, 1, value)
    row = 2 + len(facts) + 1
    chart_row = 2
    for key, title in (("strand", "Computed RAG by 4P strand"),
                       ("subgroup", "Computed RAG by sub-group"),
                       ("agency", "Computed RAG by agency")):
        row, first, last = _rag_block(sheet, fmt, row, title, data.rag_counts(key))
        if last >= first:
            height = _chart(book, sheet, title, first, last, chart_row)
            chart_row += height // 20 + 2
        row += 2
    _submitted_block(sheet, fmt, row, data)
    print_setup(sheet, header_rows=0)


def _rag_block(sheet: Any, fmt: Formats, row: int, title: str,
               counts: dict[str, Any]) -> tuple[int, int, int]:
    sheet.write_string(row, 0, title, fmt.subtitle)
    row += 1
    sheet.write_string(row, 0, "Group", fmt.header)
    for c, word in enumerate(RAG_ORDER, start=1):
        sheet.write_string(row, c, word, fmt.rag.get(word, fmt.header))
    sheet.write_string(row, len(RAG_ORDER) + 1, "Total", fmt.header)
    first = row + 1
    for name, counter in counts.items():
        row += 1
        sheet.write_string(row, 0, name)
        for c, word in enumerate(RAG_ORDER, start=1):
            sheet.write_number(row, c, counter.get(word, 0))
        sheet.write_number(row, len(RAG_ORDER) + 1, sum(counter.values()))
    return row + 1, first, row


def _chart(book: Any, sheet: Any, title: str, first: int, last: int, at_row: int) -> int:
    """A stacked bar chart of one RAG block; returns its height in pixels."""
    from xlperf.write.style import RAG_COLOURS

    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    for c, word in enumerate(RAG_ORDER, start=1):
        fill = RAG_COLOURS.get(word, ("#BBBBBB", "#000000"))[0]
        chart.add_series({"name": ["Summary", first - 1, c],
                          "categories": ["Summary", first, 0, last, 0],
                          "values": ["Summary", first, c, last, c],
                          "fill": {"color": fill}, "border": {"color": "#333333"}})
    chart.set_title({"name": title})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
    chart.set_x_axis({"min": 0})  # counts start at zero, so bars compare honestly
    height = max(260, 100 + 40 * (last - first + 1))  # room for every label
    chart.set_size({"width": 620, "height": height})
    sheet.insert_chart(at_row, 10, chart)
    return height


def _submitted_block(sheet: Any, fmt: Formats, row: int, data: Consolidation) -> None:
    sheet.write_string(row, 0, f"Returns for {data.period or 'the latest period'}", fmt.subtitle)
    row += 1
    for c, title in enumerate(("Agency", "Submitted")):
        sheet.write_string(row, c, title, fmt.header)
    sent = sorted({s.agency for s in data.submissions if s.period == data.period and s.used})
    entries: list[tuple[str, str]] = [(a, "Yes") for a in sent]
    entries += [(a, "No") for a, _ in data.missing]
    for agency, flag in entries:
        row += 1
        sheet.write_string(row, 0, agency)
        sheet.write_string(row, 1, flag, fmt.rag["Red"] if flag == "No" else None)


Writer = Callable[[Consolidation, Path], None]
