"""Indicator maths: targets to date, year to date, proportions, change, and indicator RAG.

Pure functions over plain values. The rules, in words:

- **Target for a period**: a target set for a longer span (a year, say) is taken pro rata
  by whole months: 120 for 2025/26 is 30 for Q1. A target set for the period itself is
  used as it is.
- **Target to date**: the pro-rata target from the start of the UK financial year (April)
  to the end of the period; for a proportion, the target rate itself.
- **Year to date**: counts and money add up from April to the end of the period;
  a proportion is the sum of numerators over the sum of denominators.
- **Across agencies**: counts add up (and may count the same people twice, which the
  summary says); a proportion is again the sum of numerators over the sum of
  denominators, never the mean of the agencies' percentages.
- **Indicator RAG** (direction-aware, against the target to date): on track (Green) within
  ``green_within`` (15%) of it, Amber within ``amber_within`` (30%), else Red; better than
  target is Green. A band indicator is Green inside its band. Qualitative indicators carry
  only the rating reported for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from xlperf.values import DateValue, Rag, financial_year


class Direction(StrEnum):
    HIGHER = "higher is better"
    LOWER = "lower is better"
    BAND = "within a band"


class Unit(StrEnum):
    COUNT = "count"
    PROPORTION = "proportion"
    MONEY = "money"
    YES_NO = "yes/no"
    RATING = "rating"
    TEXT = "text"


ADDITIVE = (Unit.COUNT, Unit.MONEY)


@dataclass(frozen=True)
class Target:
    value: float
    span: DateValue  # the period the target covers: a quarter, a year, several years


@dataclass(frozen=True)
class IndicatorSpec:
    """What the summaries need to know of an indicator (from the framework)."""

    name: str
    unit: Unit = Unit.COUNT
    direction: Direction = Direction.HIGHER
    targets: tuple[Target, ...] = ()
    baseline: float | None = None
    band: tuple[float, float] | None = None
    kind: str = ""  # its place in the results chain: input, process, output, outcome, impact


@dataclass(frozen=True)
class Figure:
    """One reported figure: a value, or a numerator over a denominator."""

    agency: str
    period: DateValue
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    rating: Rag | None = None


@dataclass(frozen=True)
class RagBands:
    green_within: float = 0.15
    amber_within: float = 0.30


@dataclass
class Summary:
    indicator: str
    period: DateValue
    agency: str  # "" for the partnership
    actual: float | None = None
    target: float | None = None
    target_to_date: float | None = None
    year_to_date: float | None = None
    percent_of_target: float | None = None
    change_from_baseline: float | None = None
    change_from_last: float | None = None
    rag: Rag | None = None
    agencies: list[str] = field(default_factory=list)
    #: agencies whose figure could not be combined (a rate given without its counts)
    left_out: list[str] = field(default_factory=list)
    may_double_count: bool = False


def months(span: DateValue) -> int:
    return (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1


def _overlap_months(span: DateValue, start: date, end: date) -> int:
    lo, hi = max(span.start, start), min(span.end, end)
    if hi < lo:
        return 0
    return (hi.year - lo.year) * 12 + hi.month - lo.month + 1


def target_between(spec: IndicatorSpec, start: date, end: date) -> float | None:
    """The target for [start, end], pro rata by whole months of each target's span.

    A proportion's target is a rate: the rate of the target span that covers ``end``.
    """
    if not spec.targets:
        return None
    if spec.unit not in ADDITIVE:
        covering = [t for t in spec.targets if t.span.start <= end <= t.span.end]
        return covering[0].value if covering else None
    parts = [t.value * _overlap_months(t.span, start, end) / months(t.span)
             for t in spec.targets if _overlap_months(t.span, start, end)]
    return round(sum(parts), 10) if parts else None


def fy_start(d: date) -> date:
    return date(financial_year(d), 4, 1)


def combine(figures: Sequence[Figure], unit: Unit) -> float | None:
    """Figures of one period (several agencies): a sum, or sum of numerators over sum of
    denominators for a proportion (see :func:`counted` for whose figures count)."""
    used = counted(figures, unit)
    if unit is Unit.PROPORTION:
        pairs = [(f.numerator or 0, f.denominator or 0) for f in used if f.denominator]
        if pairs:
            return sum(n for n, _ in pairs) / sum(d for _, d in pairs)
        return used[0].value if len(used) == 1 else None  # a lone rate; never averaged
    values = [f.value for f in used if f.value is not None]
    return sum(values) if values else None


def counted(figures: Sequence[Figure], unit: Unit) -> list[Figure]:
    """The figures a combined value is made of. For a proportion: those with a numerator
    and a denominator (a rate given alone cannot be pooled, so it is left out, and said),
    or a lone rate when it is the only figure."""
    if unit is not Unit.PROPORTION:
        return [f for f in figures if f.value is not None]
    pairs = [f for f in figures if f.numerator is not None and f.denominator]
    if pairs:
        return pairs
    rates = [f for f in figures if f.value is not None]
    return rates if len(rates) == 1 else []


def summarise(spec: IndicatorSpec, figures: Iterable[Figure], period: DateValue,
              agency: str = "", bands: RagBands | None = None) -> Summary:
    """The summary of one indicator for one period, for one agency or (``agency`` "") all."""
    own = [f for f in figures if not agency or f.agency == agency]
    now = [f for f in own if f.period == period]
    used = counted(now, spec.unit)
    out = Summary(spec.name, period, agency, agencies=sorted({f.agency for f in used}),
                  left_out=sorted({f.agency for f in now} - {f.agency for f in used}))
    out.actual = combine(now, spec.unit)
    out.may_double_count = spec.unit in ADDITIVE and len(out.agencies) > 1
    out.target = target_between(spec, period.start, period.end)
    out.target_to_date = target_between(spec, fy_start(period.end), period.end)
    out.year_to_date = _year_to_date(spec, own, period)
    reached = out.year_to_date if spec.unit in ADDITIVE else out.actual
    if reached is not None and out.target_to_date:
        out.percent_of_target = round(100 * reached / out.target_to_date, 1)
    if out.actual is not None and spec.baseline is not None:
        out.change_from_baseline = out.actual - spec.baseline
    previous = _previous(own, period)
    if out.actual is not None and previous:
        last = combine(previous, spec.unit)
        out.change_from_last = None if last is None else out.actual - last
    out.rag = indicator_rag(spec, reached, out.target_to_date, bands or RagBands(), now)
    return out


def _year_to_date(spec: IndicatorSpec, figures: Sequence[Figure], period: DateValue
                  ) -> float | None:
    start = fy_start(period.end)
    in_year = [f for f in figures if start <= f.period.start and f.period.end <= period.end]
    if not in_year:
        return None
    if spec.unit is Unit.PROPORTION:
        return combine(in_year, spec.unit)
    return combine(in_year, spec.unit) if spec.unit in ADDITIVE else None


def _previous(figures: Sequence[Figure], period: DateValue) -> list[Figure]:
    earlier = [f.period for f in figures if f.period.end < period.start]
    if not earlier:
        return []
    last = max(earlier, key=lambda p: p.end)
    return [f for f in figures if f.period == last]


def indicator_rag(spec: IndicatorSpec, reached: float | None, target: float | None,
                  bands: RagBands, figures: Sequence[Figure] = ()) -> Rag | None:
    """The indicator's RAG against its target to date (see the module's rule)."""
    if spec.unit in (Unit.RATING, Unit.TEXT, Unit.YES_NO):
        ratings = [f.rating for f in figures if f.rating is not None]
        return ratings[0] if len(set(ratings)) == 1 else None
    if reached is None:
        return None
    if spec.direction is Direction.BAND and spec.band is not None:
        low, high = spec.band
        if low <= reached <= high:
            return Rag.GREEN
        gap = (low - reached) / low if reached < low and low else (reached - high) / high
        return Rag.AMBER if gap <= bands.green_within else Rag.RED
    if not target:
        return None
    shortfall = (target - reached) / target if spec.direction is Direction.HIGHER \
        else (reached - target) / target
    if shortfall <= bands.green_within:
        return Rag.GREEN
    return Rag.AMBER if shortfall <= bands.amber_within else Rag.RED


@dataclass
class Line:
    """One line of the target-versus-actual table: an indicator for an agency or all."""

    indicator: str
    agency: str  # "Partnership" for the total line
    actuals: dict[str, float | None]  # period label -> actual
    latest: Summary
    note: str = ""
    unit: Unit = Unit.COUNT


@dataclass(frozen=True)
class Reported:
    """A figure as a return reported it (the summaries' input)."""

    indicator: str
    agency: str
    period: DateValue
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    rating: Rag | None = None


PARTNERSHIP = "Partnership"


def summary_lines(reported: Sequence[Reported], bands: RagBands | None = None,
                  framework: Mapping[str, IndicatorSpec] | None = None) -> list[Line]:
    """Target versus actual per indicator: a line per agency and a partnership line.

    An indicator in the ``framework`` (by lower-case name) takes its unit, direction,
    baseline and targets from there; its targets are the partnership's (or the only
    agency's). Otherwise each agency's target is the one its return gives for the period,
    and the partnership's is their sum (for a proportion, their common rate).
    """
    lines: list[Line] = []
    by_name: dict[str, list[Reported]] = {}
    for r in reported:
        by_name.setdefault(r.indicator, []).append(r)
    for name in sorted(by_name):
        mine = by_name[name]
        known = (framework or {}).get(name.lower())
        periods = sorted({r.period for r in mine}, key=lambda p: p.end)
        unit = known.unit if known else (
            Unit.PROPORTION if any(r.denominator for r in mine) else Unit.COUNT)
        figures = [Figure(r.agency, r.period, r.value, r.numerator, r.denominator, r.rating)
                   for r in mine]
        agencies = sorted({r.agency for r in mine})
        rows_of: dict[str, list[Reported]] = {}
        figures_of: dict[str, list[Figure]] = {}
        for r, f in zip(mine, figures, strict=True):
            rows_of.setdefault(r.agency, []).append(r)
            figures_of.setdefault(r.agency, []).append(f)
        for agency in [*agencies, PARTNERSHIP] if len(agencies) > 1 else agencies:
            who = "" if agency == PARTNERSHIP else agency
            rows = rows_of[who] if who else mine
            whole = not who or len(agencies) == 1
            targets = known.targets if known and known.targets and whole else \
                _targets(rows, unit)
            spec = IndicatorSpec(name, unit, known.direction if known else Direction.HIGHER,
                                 targets, known.baseline if known and whole else None,
                                 known.band if known else None)
            own = figures_of[who] if who else figures
            latest = summarise(spec, own, periods[-1], who, bands)
            actuals = {p.label: combine([f for f in own if f.period == p], unit)
                       for p in periods}
            note = "; ".join(n for n in (
                "may count the same people more than once across agencies"
                if latest.may_double_count else "",
                f"left out: {', '.join(latest.left_out)} (a rate without its numerator and "
                "denominator cannot be pooled)" if latest.left_out else "") if n)
            lines.append(Line(name, agency, actuals, latest, note, unit))
    return lines


#: what the Indicator summary's Note says of a rate (read back by the reports)
RATE_NOTE = ("per cent (the sum of numerators over the sum of denominators); change in "
             "percentage points")


def shown_figure(value: float | None, rate: bool) -> float | None:
    """A summary figure as the workbook writes it: a rate in per cent to 1 decimal place,
    a count to 4 (one rounding for the workbook, the reports and the read-back)."""
    if value is None:
        return None
    return round(value * 100, 1) if rate else round(value, 4)


def _targets(rows: Sequence[Reported], unit: Unit) -> tuple[Target, ...]:
    by_period: dict[DateValue, list[float]] = {}
    for r in rows:
        if r.target is not None:
            by_period.setdefault(r.period, []).append(r.target)
    if unit is Unit.PROPORTION:
        return tuple(Target(v[0], p) for p, v in by_period.items() if len(set(v)) == 1)
    return tuple(Target(sum(v), p) for p, v in by_period.items())
