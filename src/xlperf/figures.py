"""Checks on a return's indicator figures, after they are read: totals against their
parts, an indicator typed twice, figures that cannot be right, and the total of an
indicator given only in parts. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence

from xlperf.cells import parse_a1
from xlperf.check import Context, show_number
from xlperf.model import IndicatorValue

__all__ = ["TOTAL_WORDS", "check_breakdown_totals", "check_figures", "check_total",
           "derive_totals", "is_subtotal"]

TOTAL_WORDS = frozenset({"total", "all", "overall", "grand total"})


def check_breakdown_totals(ctx: Context, figures: Sequence[IndicatorValue]) -> None:
    """A 'Total' breakdown must equal the sum of the indicator's other breakdowns."""
    groups: dict[tuple[str, str], list[IndicatorValue]] = {}
    for f in figures:
        if f.value is not None and f.source is not None:
            groups.setdefault((f.indicator, f.source.sheet), []).append(f)
    for (name, _sheet), group in groups.items():
        if any(is_subtotal(f.breakdown) or " / " in f.breakdown for f in group):
            continue  # a grid with row and column totals checks itself (xlperf.matrix)
        totals = [f for f in group if f.breakdown.strip().lower() in TOTAL_WORDS]
        parts = _once([f for f in group if f.breakdown.strip() and f not in totals])
        if len(totals) == 1 and parts:
            check_total(ctx, name, totals[0], parts)


def _once(parts: Sequence[IndicatorValue]) -> list[IndicatorValue]:
    """Parts typed twice with the same figure count once (as in the summaries)."""
    seen: set[tuple[str, float | None]] = set()
    out = []
    for f in parts:
        key = (" ".join(f.breakdown.lower().split()), f.value)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def check_figures(ctx: Context, figures: Sequence[IndicatorValue]) -> None:
    """Figures that cannot be right (a numerator over its denominator, a zero or negative
    denominator) and an indicator reported twice in one return (the summaries would add
    both)."""
    seen: dict[tuple[str, ...], list[IndicatorValue]] = {}
    for f in figures:
        if f.source is None or not f.source.cell:
            continue
        row, col = parse_a1(f.source.cell)
        where = ctx.where.in_sheet(f.source.sheet)
        problem = ""
        if f.denominator is not None and f.denominator <= 0:
            problem = "a denominator must be more than 0"
        elif f.numerator is not None and f.numerator < 0:
            problem = "a numerator cannot be negative"
        elif f.numerator is not None and f.denominator and f.numerator > f.denominator:
            problem = "the numerator is larger than the denominator"
        if problem:
            shown = f"{show_number(f.numerator or 0)} of {show_number(f.denominator or 0)}"
            ctx.issues.append(where.issue("figure-implausible", row, col,
                                          indicator=f.indicator, value=shown, why=problem))
        if f.value is not None or f.numerator is not None:
            part = f.breakdown.strip().lower()
            key = (" ".join(f.indicator.lower().split()), "" if part in TOTAL_WORDS else part,
                   f.context, f.agency.lower(), f.period.lower())
            seen.setdefault(key, []).append(f)
    for group in seen.values():
        if len(group) > 1 and group[0].source is not None:
            row, col = parse_a1(group[0].source.cell)
            cells = ", ".join(f"{f.source.sheet} {f.source.cell}" for f in group if f.source)
            ctx.issues.append(ctx.where.in_sheet(group[0].source.sheet).issue(
                "indicator-repeated", row, col, indicator=group[0].indicator, cells=cells))


def derive_totals(ctx: Context, figures: Sequence[IndicatorValue]) -> list[IndicatorValue]:
    """A headline for an indicator given only in parts (Labour 2, Sexual 1, no Total):
    the parts added up, said as a note, so the agency still counts in the summaries."""
    groups: dict[tuple[str, ...], list[IndicatorValue]] = {}
    for f in figures:
        key = (" ".join(f.indicator.lower().split()), f.context, f.agency.lower(),
               f.period.lower())
        groups.setdefault(key, []).append(f)
    out: list[IndicatorValue] = []
    for group in groups.values():
        parts = _once([f for f in group if f.breakdown.strip() and f.value is not None])
        headline = any(not f.breakdown.strip() or f.breakdown.strip().lower() in TOTAL_WORDS
                       for f in group)
        if headline or not parts or any(
                f.breakdown.startswith("line ") or is_subtotal(f.breakdown)
                or f.numerator is not None or f.denominator is not None for f in group):
            continue
        total = sum(f.value or 0 for f in parts)
        first = parts[0]
        if first.source is not None and first.source.cell:
            ctx.issues.append(ctx.where.in_sheet(first.source.sheet).issue(
                "total-worked-out", *parse_a1(first.source.cell), indicator=first.indicator,
                total=show_number(total)))
        out.append(first.model_copy(update={
            "breakdown": "Total", "value": total, "target": None, "baseline": None,
            "comment": "worked out by xlperf from the parts"}))
    return out


def is_subtotal(breakdown: str) -> bool:
    """'Labour exploitation / Total', 'Total / Male adult': a total of one row or column."""
    parts = [p.strip().lower() for p in breakdown.split("/")]
    return len(parts) > 1 and any(p in TOTAL_WORDS for p in parts)


def check_total(ctx: Context, name: str, total: IndicatorValue,
                parts: Sequence[IndicatorValue]) -> None:
    """``breakdown-total-mismatch`` at the total's cell when it is not the sum of ``parts``."""
    added = sum(f.value or 0 for f in parts)
    if total.value is None or abs(total.value - added) <= 1e-9 or total.source is None \
            or not total.source.cell:
        return
    row, col = parse_a1(total.source.cell)
    ctx.issues.append(ctx.where.in_sheet(total.source.sheet).issue(
        "breakdown-total-mismatch", row, col, indicator=name, total=f"{total.value:g}",
        parts=" + ".join(f"{f.value:g}" for f in parts), sum=f"{added:g}"))
