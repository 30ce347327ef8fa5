"""What a report is made from: plain values, built from a consolidation, and cut to one agency.

Pure: no document or spreadsheet library. :class:`ReportData` holds what every report
kind needs (actions with both RAGs, indicator figures with their source, narratives,
the returns used and those missing); :mod:`xlperf.report.views` selects from it.
It is built from a :class:`~xlperf.consolidate.Consolidation` here, or read back from
a partnership workbook by :mod:`xlperf.report.readback`, and both give equal values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from xlperf.consolidate import Consolidation, Row
from xlperf.indicators import PARTNERSHIP, Line, Unit, shown_figure, summary_lines
from xlperf.model import Action, IndicatorValue, Source
from xlperf.values import DateValue

DEFAULT_NAME = "Partnership"  # the name used when no partnership file was given
NO_SUBGROUP = "(no sub-group)"
NO_STRAND = "(no strand)"
TOTAL_WORDS = frozenset({"total", "all", "overall", "grand total"})  # a breakdown's total
_RAG3 = {"Amber/Red": "Amber", "Amber/Green": "Amber", "Complete": "Green"}


def fmt_number(value: float | None) -> str:
    """1240.0 -> '1,240'; 30.25 -> '30.25'; None -> ''."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@dataclass(frozen=True)
class Provenance:
    """The return a value came from: file, sheet, and row or cell."""

    file: str
    sheet: str = ""
    row: int | None = None
    cell: str = ""

    @property
    def shown(self) -> str:
        """'police_2025-26_Q2.xlsx, Actions row 3' or '..., Indicators C2'."""
        where = self.cell or (f"row {self.row}" if self.row is not None else "")
        place = " ".join(p for p in (self.sheet, where) if p)
        return f"{self.file}, {place}" if place and self.file else self.file or place


@dataclass(frozen=True)
class ActionLine:
    """One action as reported in one return, with the reported and computed RAG (as words)."""

    agency: str
    period: str
    ref: str
    objective: str
    strand: str
    subgroup: str  # "" when not known (no partnership file)
    text: str
    owner: str
    due: date | None  # the date the rule used (a month or quarter: its last day)
    due_text: str  # the due date as written, when it was not a plain date
    status: str
    progress: float | None  # percent complete, 0..100
    reported: str
    computed: str
    comment: str
    source: Provenance

    @property
    def disagrees(self) -> bool:
        """Reported and computed RAG differ (compared as Red, Amber or Green)."""
        r, c = self.reported, self.computed
        return bool(r and c) and _RAG3.get(r, r) != _RAG3.get(c, c)

    @property
    def is_complete(self) -> bool:
        done = self.progress is not None and self.progress >= 100
        return self.computed == "Complete" or self.status == "Complete" or done

    @property
    def due_shown(self) -> str:
        """'30/09/2025', or '30/09/2025 (Sept 2025)' when written otherwise; the text alone
        when it could not be read as a date."""
        if self.due is None:
            return self.due_text
        day = fmt_date(self.due)
        return f"{day} ({self.due_text})" if self.due_text and self.due_text != day else day

    @property
    def progress_shown(self) -> str:
        return f"{fmt_number(round(self.progress))}%" if self.progress is not None else ""

    @property
    def owner_shown(self) -> str:
        return self.owner or "not stated"


@dataclass(frozen=True)
class Figure:
    """One indicator figure from one return."""

    agency: str
    period: str
    indicator: str
    breakdown: str
    value: float | None
    text: str  # a qualitative value, or the value as written when not a number
    numerator: float | None
    denominator: float | None
    target: float | None
    target_text: str
    source: Provenance

    @property
    def name(self) -> str:
        """The indicator, with its breakdown when it is a part (a Total is the figure)."""
        return f"{self.indicator}: {self.breakdown}" if not self.is_headline \
            else self.indicator

    @property
    def is_headline(self) -> bool:
        """The figure itself, or the total of a breakdown (not one of its parts)."""
        return not self.breakdown or self.breakdown.strip().lower() in TOTAL_WORDS

    @property
    def number(self) -> float | None:
        """The value, or for a proportion its percentage."""
        if self.value is not None:
            return self.value
        if self.numerator is not None and self.denominator:
            return 100 * self.numerator / self.denominator
        return None

    @property
    def shown(self) -> str:
        return show_value(self.value, self.numerator, self.denominator, self.text)

    @property
    def target_shown(self) -> str:
        return fmt_number(self.target) if self.target is not None else self.target_text

    @property
    def percent_of_target(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return round(100 * self.value / self.target, 1)


def show_value(value: float | None, numerator: float | None, denominator: float | None,
               text: str = "") -> str:
    """'165'; '1,240 of 4,100 (30.2%)' for a proportion; the text for anything else."""
    if numerator is not None and denominator:
        share = f"{100 * numerator / denominator:.1f}%"
        return f"{fmt_number(numerator)} of {fmt_number(denominator)} ({share})"
    if value is not None:
        return fmt_number(value)
    return text


@dataclass(frozen=True)
class Narrative4P:
    """One return's 4Ps narrative."""

    agency: str
    period: str
    progress: str
    problems: str
    priorities: str
    points_for_action: str
    file: str


@dataclass(frozen=True)
class ReturnLine:
    """A return the figures come from."""

    agency: str
    period: str
    file: str
    status: str
    errors: int = 0
    warnings: int = 0


Counts = tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (group, ((rag word, n), ...))


@dataclass(frozen=True)
class TargetLine:
    """An indicator of the partnership (or of the only agency reporting it) against its
    target to date, as the workbook's Indicator summary shows it."""

    indicator: str
    agency: str  # "Partnership", or the one agency
    achieved: float | None  # year to date; for a rate, the latest period (per cent)
    target_to_date: float | None
    percent: float | None
    rag: str
    rate: bool
    note: str

    @property
    def name(self) -> str:
        return self.indicator if self.agency == PARTNERSHIP else \
            f"{self.indicator} ({self.agency})"

    def _shown(self, value: float | None) -> str:
        return "" if value is None else f"{fmt_number(value)}%" if self.rate \
            else fmt_number(value)

    @property
    def achieved_shown(self) -> str:
        return self._shown(self.achieved)

    @property
    def target_shown(self) -> str:
        return self._shown(self.target_to_date)


def target_lines(lines: Sequence[Line]) -> tuple[TargetLine, ...]:
    """The summary lines a board looks at: the partnership's (or a single agency's) with
    a target to date."""
    single = {ln.indicator for ln in lines} - {ln.indicator for ln in lines
                                                if ln.agency == PARTNERSHIP}
    out = []
    for ln in lines:
        s = ln.latest
        if (ln.agency != PARTNERSHIP and ln.indicator not in single) \
                or s.target_to_date is None:
            continue
        rate = ln.unit is Unit.PROPORTION
        out.append(TargetLine(ln.indicator, ln.agency,
                              shown_figure(s.actual if rate else s.year_to_date, rate),
                              shown_figure(s.target_to_date, rate), s.percent_of_target,
                              s.rag.value if s.rag else "", rate, ln.note))
    return tuple(out)


@dataclass(frozen=True)
class ReportData:
    """Everything a report shows. Equal whether built from a consolidation or read back."""

    partnership: str
    as_of: date
    period: str  # the latest period reported
    rule: str  # the RAG rule in plain words
    actions: tuple[ActionLine, ...] = ()
    figures: tuple[Figure, ...] = ()
    narratives: tuple[Narrative4P, ...] = ()
    returns: tuple[ReturnLine, ...] = ()  # used returns, every period
    missing: tuple[tuple[str, str], ...] = ()  # (agency, period) with no return
    errors: int = 0  # issues in the data, for the whole partnership
    warnings: int = 0
    agency: str = ""  # the one agency the report is about, or "" for the partnership
    subgroups_known: bool = True  # each action's sub-group is known (a partnership file)
    #: sub-group RAG counts as a workbook's Summary states them, used when
    #: subgroups_known is False (then they cannot be cut to one agency)
    subgroup_counts: Counts = field(default=())
    #: the partnership against its targets to date (the Indicator summary)
    targets: tuple[TargetLine, ...] = ()
    #: indicators that are rates (lower case): added up only as counts, never as rates
    rates: frozenset[str] = frozenset()

    @property
    def agencies(self) -> list[str]:
        names = {a.agency for a in self.actions} | {f.agency for f in self.figures}
        names |= {n.agency for n in self.narratives} | {r.agency for r in self.returns}
        names |= {a for a, _ in self.missing}
        return sorted(n for n in names if n)


def _provenance(source: Source | None, data: Consolidation) -> Provenance:
    if source is None:
        return Provenance("")
    return Provenance(data.display(source.file), source.sheet, source.row, source.cell)


def _due(value: DateValue | None, written: str) -> tuple[date | None, str]:
    """As the partnership workbook writes it: a day, or a span's last day and its label."""
    if value is None:
        return None, written
    if value.precision == "day":
        return value.start, written
    return value.end, written or value.label


def _action(row: Row, data: Consolidation) -> ActionLine:
    a = row.item
    assert isinstance(a, Action)
    due, due_text = _due(a.due, a.due_text)
    subgroup = data.partnership.subgroup_for(a.strand) if data.partnership else ""
    return ActionLine(
        agency=row.agency, period=row.period, ref=a.ref, objective=a.objective,
        strand=a.strand.value if a.strand else "", subgroup=subgroup, text=a.text,
        owner=a.owner, due=due, due_text=due_text, status=a.status.value if a.status else "",
        progress=round(a.progress, 4) if a.progress is not None else None,
        reported=a.reported_rag.value if a.reported_rag else "",
        computed=a.computed_rag.value if a.computed_rag else "", comment=a.comment,
        source=replace(_provenance(a.source, data), cell=""))  # the workbook keeps the row


def _figure(row: Row, data: Consolidation) -> Figure:
    v = row.item
    assert isinstance(v, IndicatorValue)
    src = _provenance(v.source, data)
    return Figure(
        agency=v.agency or row.agency, period=v.period or row.period, indicator=v.indicator,
        breakdown=v.breakdown, value=v.value, text=v.text, numerator=v.numerator,
        denominator=v.denominator, target=v.target, target_text=v.target_text,
        source=Provenance(src.file, src.sheet, None, src.cell))


def count_groups(counts: dict[str, dict[str, int]]) -> Counts:
    """Group counts as nested tuples (comparable, hashable), zero counts left out."""
    return tuple((name, tuple((word, n) for word, n in counter.items() if n))
                 for name, counter in counts.items())


def from_consolidation(data: Consolidation) -> ReportData:
    """The report's values from a consolidation (file names as the user sees them)."""
    known = data.partnership is not None
    subgroups = () if known else count_groups(
        {k: dict(v) for k, v in data.rag_counts("subgroup").items()})
    severity = data.severity_counts()
    lines = summary_lines(data.reported_figures(), framework=data.framework)
    return ReportData(
        partnership=data.partnership.name if data.partnership else DEFAULT_NAME,
        as_of=data.as_of, period=data.period, rule=data.rules.describe(),
        actions=tuple(_action(r, data) for r in data.actions),
        figures=tuple(_figure(r, data) for r in data.indicators),
        narratives=tuple(Narrative4P(agency, period, n.progress, n.problems, n.priorities,
                                     n.points_for_action, data.display(file))
                         for agency, period, n, file in data.narratives),
        returns=tuple(ReturnLine(s.agency, s.period, data.display(s.file), s.status.value,
                                 s.errors, s.warnings)
                      for s in data.submissions if s.used),
        missing=tuple(data.missing), errors=severity["error"], warnings=severity["warning"],
        subgroups_known=known, subgroup_counts=subgroups,
        targets=target_lines(lines), rates=frozenset(
            " ".join(ln.indicator.lower().split()) for ln in lines
            if ln.unit is Unit.PROPORTION))


class UnknownAgency(ValueError):
    """The agency asked for is not in the data (the message lists those that are)."""


def select(data: ReportData, agency: str | None) -> ReportData:
    """The data cut to one agency's returns (matched ignoring case), or all of it."""
    if not agency:
        return data
    key = " ".join(agency.lower().split())
    names = {" ".join(n.lower().split()): n for n in data.agencies}
    if key not in names:
        raise UnknownAgency(f"No agency '{agency}' in this data; agencies are: "
                            f"{', '.join(data.agencies) or '(none)'}.")
    name = names[key]
    return replace(
        data, agency=name,
        actions=tuple(a for a in data.actions if a.agency == name),
        figures=tuple(f for f in data.figures if f.agency == name),
        narratives=tuple(n for n in data.narratives if n.agency == name),
        returns=tuple(r for r in data.returns if r.agency == name),
        errors=sum(r.errors for r in data.returns if r.agency == name),
        warnings=sum(r.warnings for r in data.returns if r.agency == name),
        targets=tuple(t for t in data.targets if t.agency == name),
        missing=tuple(m for m in data.missing if m[0] == name),
        subgroup_counts=())
