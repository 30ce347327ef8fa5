"""Computed RAG for actions: a declared rule set, its plain-words text, and its Excel formula.

The rule (defaults in ``rules/default.toml``; a config file overrides them):

1. Complete (status Complete, or 100% complete): Complete in BRAG mode, Green in RAG mode.
   Cancelled: not rated (it is no longer being delivered, so it is neither late nor on
   track).
2. No readable due date: not computed (left blank, reported as info).
3. Due date passed (the end of the due day, month or quarter is before the as-of date): Red.
4. Due within ``amber_within_days`` of the as-of date and less than
   ``amber_below_progress`` percent complete (blank counts as 0): Amber.
5. Otherwise: Green.

:func:`excel_formula` writes the same rule as a native Excel formula for the
templates, so a plan works for people with no Python; a test recalculates it in
LibreOffice and compares.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from xlperf.model import Action, Status
from xlperf.values import Rag, RagVocabulary

_RANK = {Rag.RED: 0, Rag.AMBER_RED: 1, Rag.AMBER: 2, Rag.AMBER_GREEN: 3, Rag.GREEN: 4,
         Rag.COMPLETE: 5}


class RulesError(ValueError):
    """A rules file the user gave is wrong (their fault, not ours)."""


@dataclass(frozen=True)
class RagRules:
    mode: str = "brag"
    amber_within_days: int = 30
    amber_below_progress: float = 75.0
    vocabulary: dict[str, str] = field(default_factory=dict)
    source: str = "xlperf default rules"

    @property
    def complete_rag(self) -> Rag:
        return Rag.COMPLETE if self.mode == "brag" else Rag.GREEN

    def vocab(self) -> RagVocabulary:
        return RagVocabulary.default().merged(self.vocabulary)

    def describe(self) -> str:
        """The rule in plain words, for the Summary sheet and the templates."""
        done = "Complete" if self.mode == "brag" else "Green"
        return (
            f"Complete or 100% done: {done}. Cancelled, or no readable due date: not rated. "
            f"Due date passed and not complete: Red. Due within {self.amber_within_days} "
            f"days and less than {self.amber_below_progress:g}% complete: Amber. "
            "Otherwise: Green."
        )


def load_rules(path: Path | None = None) -> RagRules:
    """The default rules, overridden by the TOML file at ``path`` if given."""
    text = resources.files("xlperf").joinpath("rules/default.toml").read_text("utf-8")
    rules = _apply(RagRules(), tomllib.loads(text), "xlperf default rules")
    if path is None:
        return rules
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RulesError(f"Rules file {path} cannot be read: {exc}") from exc
    return _apply(rules, data, str(path))


def _apply(rules: RagRules, data: dict[str, Any], source: str) -> RagRules:
    unknown = set(data) - {"mode", "amber_within_days", "amber_below_progress", "vocabulary"}
    if unknown:
        raise RulesError(f"Rules file {source}: unknown keys {sorted(unknown)}")
    mode = str(data.get("mode", rules.mode))
    if mode not in ("brag", "rag"):
        raise RulesError(f"Rules file {source}: mode must be 'brag' or 'rag', not {mode!r}")
    vocabulary = {**rules.vocabulary, **{str(k): str(v) for k, v in
                                         data.get("vocabulary", {}).items()}}
    try:
        RagVocabulary.default().merged(vocabulary)
    except ValueError as exc:
        raise RulesError(f"Rules file {source}: {exc}") from exc
    return replace(
        rules, mode=mode,
        amber_within_days=int(data.get("amber_within_days", rules.amber_within_days)),
        amber_below_progress=float(data.get("amber_below_progress", rules.amber_below_progress)),
        vocabulary=vocabulary, source=source,
    )


def rank(rag: Rag) -> int:
    """Worst (Red, 0) to best (Complete, 5)."""
    return _RANK[rag]


def compute_rag(action: Action, as_of: date, rules: RagRules) -> Rag | None:
    """The action's RAG by the rules, or None when it has no readable due date."""
    if action.is_complete:
        return rules.complete_rag
    if action.status is Status.CANCELLED or action.due is None:
        return None
    due = action.due.end
    if due < as_of:
        return Rag.RED
    progress = action.progress or 0.0
    if (due - as_of).days <= rules.amber_within_days and progress < rules.amber_below_progress:
        return Rag.AMBER
    return Rag.GREEN


def contradicts(reported: Rag | None, action: Action, as_of: date) -> bool:
    """Reported Green (or better) although the due date has passed and it is not complete."""
    if reported is None or action.due is None or action.is_complete \
            or action.status is Status.CANCELLED:
        return False
    return action.due.end < as_of and rank(reported) >= rank(Rag.AMBER_GREEN)


def excel_formula(rules: RagRules, status: str, progress: str, due: str, as_of: str) -> str:
    """The rule as an Excel formula over cell references (progress as a 0..1 fraction;
    more than 100% is not 'complete', as xlperf does not use an impossible value).

    e.g. ``excel_formula(rules, "$G5", "$H5", "$F5", "AsOf")``.
    """
    done = rules.complete_rag.value
    limit = rules.amber_below_progress / 100
    return (
        f'=IF(OR({status}="Complete",N({progress})=1),"{done}",'
        f'IF(OR({status}="Cancelled",NOT(ISNUMBER({due}))),"",'
        f'IF({due}<{as_of},"Red",'
        f'IF(AND({due}-{as_of}<={rules.amber_within_days},N({progress})<{limit:g}),'
        f'"Amber","Green"))))'
    )
