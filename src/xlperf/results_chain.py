"""The results chain of a logframe: its own checks (levels present, objectives
measurable, indicators with a baseline and a target, means of verification and
assumptions where the layout has them, references nested) and its links to the
indicator framework and the returns. Pure.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from xlperf.cells import parse_a1
from xlperf.check import Context, shorten
from xlperf.indicators import IndicatorSpec
from xlperf.issues import Issue, Where
from xlperf.model import Level, Logframe, LogframeIndicator, LogframeRow, Source

__all__ = ["FITS", "check_chain", "check_logframe"]

_REF = re.compile(r"^\d+(?:\.\d+)*$")
#: the indicator types that fit each level, for the results-chain check
FITS = {
    Level.GOAL: frozenset({"impact", "outcome"}),
    Level.PURPOSE: frozenset({"outcome", "impact"}),
    Level.OUTPUT: frozenset({"output"}),
    Level.ACTIVITY: frozenset({"input", "process", "output"}),
}


def check_logframe(ctx: Context, logframe: Logframe) -> None:
    """The logframe's own results chain: levels present, objectives measurable, indicators
    with a baseline and a target, means of verification and assumptions given, references
    nested."""
    filled = [r for r in logframe.rows if r.summary or r.indicators]
    here = ctx.where.in_sheet(logframe.sheet)
    if not filled:
        ctx.issues.append(here.issue("logframe-empty", layout=logframe.layout))
        return
    levels = {r.level for r in filled}
    missing = [lv.value for lv in (Level.GOAL, Level.PURPOSE, Level.OUTPUT) if lv not in levels]
    if missing:
        ctx.issues.append(here.issue("logframe-level-missing", levels=" or ".join(missing)))
    refs = {r.ref for r in logframe.rows if r.ref}
    seen: set[str] = set()
    ours = logframe.layout == "xlperf logframe"
    for row in filled:
        where, cell = _where(ctx, row.source)
        name = shorten(row.summary or row.level_text)
        if row.level is None and not ours:  # the template's dropdown check says it there
            hint = difflib.get_close_matches(row.level_text.title(), [lv.value for lv in Level]
                                             + ["Impact", "Outcome"], n=1)
            ctx.issues.append(where.issue(
                "logframe-level-unknown", *cell, level=row.level_text or "(blank)",
                objective=name, hint=f" Did you mean {hint[0]}?" if hint else ""))
        elif row.level is not Level.ACTIVITY and row.summary and not row.indicators:
            ctx.issues.append(where.issue("logframe-not-measurable", *_at(row, "achievement",
                                                                          cell),
                                          level=_level_name(row), objective=name))
        if logframe.has_assumptions and not row.assumptions \
                and row.level in (Level.PURPOSE, Level.OUTPUT):
            ctx.issues.append(where.issue("logframe-no-assumptions",
                                          *_at(row, "assumptions", cell),
                                          level=_level_name(row), objective=name))
        if row.ref and row.ref in seen:
            ctx.issues.append(where.issue("logframe-ref-duplicate", *_at(row, "lf_ref", cell),
                                          ref=row.ref))
        seen.add(row.ref)
        if ours and row.indicators and not row.verification \
                and not any(i.verification for i in row.indicators):
            ctx.issues.append(where.issue("logframe-no-verification",
                                          *_at(row, "lf_verification", cell),
                                          indicator=shorten(", ".join(
                                              i.name for i in row.indicators))))
        parent = row.ref.rsplit(".", 1)[0] if "." in row.ref else ""
        if parent and _REF.match(row.ref) and parent not in refs:
            ctx.issues.append(where.issue("logframe-ref-orphan", *_at(row, "lf_ref", cell),
                                          ref=row.ref,
                                          parent=parent))
        for indicator in row.indicators:
            _check_indicator(ctx, logframe, row, indicator)


def _at(row: LogframeRow, key: str, fallback: tuple[int | None, int | None]
        ) -> tuple[int | None, int | None]:
    """The cell to fix: the row's cell of ``key`` where known (xlperf's template)."""
    return parse_a1(row.cells[key]) if key in row.cells else fallback


def _check_indicator(ctx: Context, logframe: Logframe, row: LogframeRow,
                     indicator: LogframeIndicator) -> None:
    if logframe.layout == "xlperf logframe":
        return  # its indicators are the framework's: checked there and at consolidation
    where, cell = _where(ctx, indicator.source)
    spread = any(m.value is not None or m.text for m in indicator.milestones)
    missing = [what for what, value, text in (
        ("baseline", indicator.baseline, indicator.baseline_text),
        ("target", indicator.target, indicator.target_text or spread))
        if value is None and not text]
    if missing and indicator.name:
        ctx.issues.append(where.issue("logframe-indicator-incomplete", *cell,
                                      indicator=shorten(indicator.name),
                                      level=_level_name(row),
                                      missing=" or ".join(missing)))
    if logframe.has_verification and indicator.name and not (
            indicator.verification or row.verification):
        ctx.issues.append(where.issue("logframe-no-verification", *cell,
                                      indicator=shorten(indicator.name)))


def check_chain(logframe: Logframe, framework: Mapping[str, IndicatorSpec],
                reported: set[str] | None = None) -> list[Issue]:
    """The logframe along the results chain: each indicator it names is in the framework
    (by ID or name), fits the level it measures, agrees with the framework's target, and
    (``reported``: lower-case names the returns report) has figures."""
    issues: list[Issue] = []
    for row, indicator in logframe.indicators:
        source = indicator.source or row.source
        where = Where.of(logframe.file, source.sheet if source else logframe.sheet)
        at = parse_a1(source.cell) if source and source.cell else (None, None)
        spec = framework.get(" ".join(indicator.name.lower().split()))
        objective = shorten(row.summary or row.level_text)
        level = row.level.value if row.level else row.level_text
        if framework and spec is None:
            issues.append(where.issue("logframe-link-broken", *at, level=level,
                                      objective=objective, indicator=indicator.name))
            continue
        named = indicator.name if spec is None or spec.name == indicator.name \
            else f"{indicator.name} ({spec.name})"
        if spec is not None and spec.kind and row.level is not None \
                and spec.kind not in FITS[row.level]:
            issues.append(where.issue(
                "logframe-level-mismatch", *at, indicator=named, type=spec.kind, level=level,
                objective=objective, fits=" or ".join(sorted(FITS[row.level]))))
        targets = {t.value for t in spec.targets} if spec is not None else set()
        if indicator.target is not None and targets and not any(
                abs(indicator.target - t) < 1e-9 for t in targets):
            issues.append(where.issue(
                "logframe-target-differs", *at, indicator=named,
                target=f"{indicator.target:g}",
                framework=", ".join(f"{t:g}" for t in sorted(targets))))
        name = " ".join((spec.name if spec else indicator.name).lower().split())
        if reported is not None and name not in reported:
            issues.append(where.issue("logframe-not-reported", *at,
                                      indicator=spec.name if spec else indicator.name,
                                      level=level))
    return issues


def _level_name(row: LogframeRow) -> str:
    """The level as the workbook names it, when that is short ('Outcome'), else xlperf's."""
    text = " ".join(row.level_text.split())
    if text and len(text) <= 30:
        return text
    return row.level.value if row.level else text or "?"


def _where(ctx: Context, source: Source | None) -> tuple[Where, tuple[int | None, int | None]]:
    if source is None or not source.sheet:
        return ctx.where, (None, None)
    cell = parse_a1(source.cell) if source.cell else (None, None)
    return ctx.where.in_sheet(source.sheet), cell
