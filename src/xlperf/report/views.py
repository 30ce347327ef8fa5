"""What each report picks out of :class:`ReportData`: counts, red and amber actions,
figures against targets, totals that may double count, the year's figures.

Pure selection logic on plain values; the templates and the .docx writer only show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from xlperf.consolidate import RAG_ORDER
from xlperf.periods import financial_year, fy_label
from xlperf.report.data import (
    NO_STRAND,
    NO_SUBGROUP,
    TOTAL_WORDS,
    ActionLine,
    Figure,
    Narrative4P,
    ReportData,
    ReturnLine,
    fmt_number,
    show_value,
)
from xlperf.values import Rag, parse_period

PRIORITY_DAYS = 90  # "priorities": open actions due within this many days of the as-of date
STRAND_ORDER = ["Pursue", "Prevent", "Protect", "Prepare"]
RED_AMBER = ("Red", "Amber/Red", "Amber")
_RAG_VALUES = {r.value for r in Rag}


def period_span(label: str) -> tuple[date, date] | None:
    parsed = parse_period(label).value
    return (parsed.start, parsed.end) if parsed else None


def sort_periods(labels: Iterable[str]) -> list[str]:
    """Periods oldest first (by their end); unreadable labels first, by name."""
    def key(label: str) -> tuple[date, str]:
        span = period_span(label)
        return (span[1] if span else date.min), label
    return sorted(set(labels), key=key)


def current_actions(d: ReportData) -> list[ActionLine]:
    """Actions of the latest period (and of returns that state none): each action once."""
    return [a for a in d.actions if not a.period or a.period == d.period]


@dataclass(frozen=True)
class CountRow:
    """Computed RAG counts of one group (a strand, sub-group or agency)."""

    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def get(self, word: str) -> int:
        return self.counts.get(word, 0)


def _group(a: ActionLine, key: str) -> str:
    if key == "strand":
        return a.strand or NO_STRAND
    if key == "subgroup":
        return a.subgroup or NO_SUBGROUP
    return a.agency


def rag_counts(d: ReportData, key: str) -> list[CountRow]:
    """Computed RAG counts of the current actions by 'strand', 'subgroup' or 'agency'.

    Sub-groups need the partnership file; without it a partnership workbook's own
    Summary counts are used, and none when the report is cut to one agency.
    """
    if key == "subgroup" and not d.subgroups_known:
        rows = [CountRow(name, dict(counts)) for name, counts in d.subgroup_counts]
        return [] if all(r.name == NO_SUBGROUP for r in rows) else rows
    groups: dict[str, dict[str, int]] = {}
    for a in current_actions(d):
        counter = groups.setdefault(_group(a, key), {})
        word = a.computed or "Not rated"
        counter[word] = counter.get(word, 0) + 1
    if key == "subgroup" and set(groups) <= {NO_SUBGROUP}:
        return []  # no sub-groups known: nothing to show
    order = STRAND_ORDER if key == "strand" else []
    names = sorted(groups, key=lambda n: (order.index(n) if n in order else len(order), n))
    return [CountRow(n, {w: groups[n][w] for w in RAG_ORDER if w in groups[n]}) for n in names]


def rag_words(d: ReportData) -> list[str]:
    """The RAG columns to show: Red, Amber and Green always, the others when used."""
    used = {a.computed or "Not rated" for a in current_actions(d)}
    used |= {w for _, counts in d.subgroup_counts for w, _ in counts}
    return [w for w in RAG_ORDER if w in used or w in ("Red", "Amber", "Green")]


def rag_summary(d: ReportData) -> str:
    """'2 Red, 1 Amber, 9 Green, 2 Complete' for the current actions."""
    totals = {w: 0 for w in RAG_ORDER}
    for a in current_actions(d):
        totals[a.computed or "Not rated"] += 1
    return ", ".join(f"{n} {w}" for w, n in totals.items() if n) or "no actions"


def _rank(a: ActionLine) -> tuple[int, date, str, str]:
    rank = Rag(a.computed).rank if a.computed in _RAG_VALUES else 9
    return rank, a.due or date.max, a.agency, a.ref


def red_amber(d: ReportData) -> list[ActionLine]:
    """Current actions computed Red, Amber/Red or Amber: worst first, then by due date."""
    return sorted((a for a in current_actions(d) if a.computed in RED_AMBER), key=_rank)


def disagreements(d: ReportData) -> list[ActionLine]:
    """Current actions whose reported RAG is not what the dates say."""
    return sorted((a for a in current_actions(d) if a.disagrees), key=_rank)


def completed(d: ReportData) -> list[ActionLine]:
    """Actions complete in the year of the latest period: each action's latest report,
    so an agency whose latest return is an earlier quarter still counts."""
    year = fy_of(d.period)
    order = sort_periods(a.period for a in d.actions)
    latest: dict[tuple[str, str], ActionLine] = {}
    for a in sorted(d.actions, key=lambda a: order.index(a.period)):
        if not a.period or not year or fy_of(a.period) == year:
            latest[(_key(a.agency), _key(a.ref or a.text))] = a
    return [a for a in latest.values() if a.is_complete]


def due_soon(d: ReportData, days: int = PRIORITY_DAYS) -> list[ActionLine]:
    """Open current actions due from the as-of date to ``days`` after it, soonest first."""
    end = d.as_of + timedelta(days=days)
    found = [a for a in current_actions(d)
             if not a.is_complete and a.due is not None and d.as_of <= a.due <= end]
    return sorted(found, key=lambda a: (a.due or date.max, a.agency, a.ref))


def open_actions(d: ReportData) -> list[ActionLine]:
    """Current actions not complete, by due date (undated last)."""
    found = [a for a in current_actions(d) if not a.is_complete]
    return sorted(found, key=lambda a: (a.due or date.max, a.agency, a.ref))


# --- figures ---------------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _figure_key(f: Figure) -> tuple[str, str, str]:
    """A figure's series: a headline figure and a breakdown's Total are one series."""
    return _key(f.agency), _key(f.indicator), "" if f.is_headline else _key(f.breakdown)


@dataclass(frozen=True)
class FigureRow:
    """A figure of the latest period with the same agency's figure for the period before."""

    figure: Figure
    previous: Figure | None

    @property
    def previous_shown(self) -> str:
        return self.previous.shown if self.previous else ""

    @property
    def change(self) -> str:
        """'up 3', 'down 2' or 'no change' from the period before, when both are numbers
        (words, not signs: a leading + or - is what spreadsheets take for a formula)."""
        now, before = self.figure.number, self.previous.number if self.previous else None
        if now is None or before is None:
            return ""
        proportion = self.figure.value is None
        diff = round(now - before, 1 if proportion else 2)
        unit = " points" if proportion else ""  # a proportion changes by percentage points
        if diff == 0:
            return "no change"
        return f"{'up' if diff > 0 else 'down'} {fmt_number(abs(diff))}{unit}"


def latest_figures(d: ReportData, headline_only: bool = True) -> list[FigureRow]:
    """The latest period's figures by indicator, each with its previous-period figure."""
    periods = sort_periods(f.period for f in d.figures)
    if not periods:
        return []
    latest = d.period if d.period in periods else periods[-1]
    earlier = [p for p in periods if p != latest and _before(p, latest)]
    before = {_figure_key(f): f for f in d.figures if earlier and f.period == earlier[-1]}
    rows = [FigureRow(f, before.get(_figure_key(f))) for f in d.figures
            if f.period == latest and (f.is_headline or not headline_only)]
    return sorted(rows, key=lambda r: (_key(r.figure.indicator), _key(r.figure.agency)))


def _before(a: str, b: str) -> bool:
    sa, sb = period_span(a), period_span(b)
    return sa is not None and sb is not None and sa[1] < sb[1]


@dataclass(frozen=True)
class Total:
    """A figure added up across agencies: it may count the same people more than once."""

    indicator: str
    breakdown: str
    period: str
    agencies: tuple[str, ...]
    value: float | None
    numerator: float | None
    denominator: float | None
    may_double_count: bool = True

    @property
    def name(self) -> str:
        return f"{self.indicator}: {self.breakdown}" if self.breakdown else self.indicator

    @property
    def shown(self) -> str:
        return show_value(self.value, self.numerator, self.denominator)


def merged(figures: Iterable[Figure]) -> list[Figure]:
    """One return's figures for the same indicator and period as one, as the workbook's
    summaries count them: equal figures (typed on two sheets) once, different ones
    added up."""
    out: dict[tuple[str, ...], Figure] = {}
    for f in figures:
        key = (f.source.file, *_figure_key(f), f.period)
        seen = out.get(key)
        if seen is None:
            out[key] = f
        elif (seen.value, seen.numerator, seen.denominator) != (
                f.value, f.numerator, f.denominator):
            out[key] = replace(seen, value=_sum([seen.value, f.value]),
                               numerator=_sum([seen.numerator, f.numerator]),
                               denominator=_sum([seen.denominator, f.denominator]))
    return list(out.values())


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def totals(d: ReportData, period: str | None = None) -> list[Total]:
    """Partnership totals of figures two or more agencies reported for the same indicator
    (proportions as the sum of numerators over the sum of denominators)."""
    period = period or d.period
    groups: dict[tuple[str, str], list[Figure]] = {}
    for f in merged(d.figures):
        if f.period == period:  # a headline figure and a breakdown's total are one thing
            part = "" if f.is_headline else _key(f.breakdown)
            groups.setdefault((_key(f.indicator), part), []).append(f)
    out = []
    headline = {name: {f.agency for f in found} for (name, part), found in groups.items()
                if not part}
    for (name, part), found in groups.items():
        # a figure that could not be read as a number is left out, and so is its agency:
        # the total names exactly the agencies it adds up
        figures = [f for f in found if f.value is not None or f.denominator]
        if name in d.rates:  # a rate pools counts; a rate given alone cannot be added
            figures = [f for f in figures if f.numerator is not None and f.denominator]
        agencies = tuple(sorted({f.agency for f in figures}, key=_key))
        if len(agencies) < 2:
            continue
        if part and name in headline and set(agencies) != headline[name]:
            continue  # a part only some agencies broke down: its sum would mislead
        first = figures[0] if part else replace(figures[0], breakdown="")
        num, den = _sum([f.numerator for f in figures]), _sum([f.denominator for f in figures])
        value = None if num is not None and den else _sum([f.value for f in figures])
        if value is None and not (num is not None and den):
            continue
        out.append(Total(first.indicator, first.breakdown, period, agencies, value,
                         num if den else None, den or None))
    return out


def fy_of(period: str) -> str:
    """'2025/26' for 'Q2 2025/26' (the UK financial year the period ends in), or ''."""
    span = period_span(period)
    return fy_label(financial_year(span[1])) if span else ""


def year_periods(d: ReportData) -> tuple[str, list[str]]:
    """The financial year of the latest period and its periods reported, oldest first."""
    year = fy_of(d.period)
    labels = [a.period for a in d.actions] + [f.period for f in d.figures]
    labels += [n.period for n in d.narratives]
    return year, [p for p in sort_periods(labels) if p and fy_of(p) == year]


@dataclass(frozen=True)
class YearRow:
    """One indicator (and breakdown) of one agency across the year's periods."""

    indicator: str
    breakdown: str
    agency: str
    values: dict[str, str]  # period -> the figure as shown
    numbers: dict[str, float]  # period -> the figure as a number (for charts)
    target_shown: str
    sources: str

    @property
    def name(self) -> str:
        return f"{self.indicator}: {self.breakdown}" if self.breakdown else self.indicator

    @property
    def is_headline(self) -> bool:
        return not self.breakdown or self.breakdown.strip().lower() in TOTAL_WORDS


def year_table(d: ReportData) -> list[YearRow]:
    """The year's figures: one row per agency, indicator and breakdown, a column per period."""
    _, periods = year_periods(d)
    groups: dict[tuple[str, str, str], list[Figure]] = {}
    for f in merged(d.figures):
        if f.period in periods:
            groups.setdefault(_figure_key(f), []).append(f)
    rows = []
    for figures in groups.values():
        first, last = figures[0], figures[-1]
        files = list(dict.fromkeys(f.source.file for f in figures if f.source.file))
        rows.append(YearRow(
            first.indicator, "" if first.is_headline else first.breakdown, first.agency,
            {f.period: f.shown for f in figures},
            {f.period: n for f in figures if (n := f.number) is not None},
            last.target_shown, "; ".join(files)))
    return sorted(rows, key=lambda r: _key(r.agency))


def latest_narratives(d: ReportData, periods: list[str] | None = None) -> list[Narrative4P]:
    """Each agency's latest narrative (within ``periods`` if given), by agency name."""
    order = sort_periods(n.period for n in d.narratives)
    latest: dict[str, Narrative4P] = {}
    for n in sorted(d.narratives, key=lambda n: order.index(n.period)):
        if periods is None or n.period in periods:
            latest[n.agency] = n
    return [latest[a] for a in sorted(latest, key=_key)]


def narratives_for(d: ReportData, period: str) -> list[Narrative4P]:
    return sorted((n for n in d.narratives if n.period == period), key=lambda n: _key(n.agency))


def returns_in(d: ReportData, periods: list[str]) -> list[ReturnLine]:
    return sorted((r for r in d.returns if r.period in periods),
                  key=lambda r: (periods.index(r.period), _key(r.agency)))
