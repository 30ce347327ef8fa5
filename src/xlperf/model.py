"""The objects a partnership manages, as pydantic v2 models.

Plain data: no file formats here. Readers build these; rules and writers use them.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from xlperf.values import DateValue, Rag


class Strand(StrEnum):
    """The four strands ('4Ps') of the national modern slavery strategy."""

    PURSUE = "Pursue"
    PREVENT = "Prevent"
    PROTECT = "Protect"
    PREPARE = "Prepare"


class Status(StrEnum):
    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    ON_HOLD = "On hold"
    COMPLETE = "Complete"
    CANCELLED = "Cancelled"


class _Model(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="forbid")


class Source(_Model):
    """Where a value came from: file, sheet and 1-based row (and cell, for single figures)."""

    file: str
    sheet: str = ""
    row: int | None = None
    cell: str = ""


class Agency(_Model):
    name: str
    kind: str = ""  # police, council, NHS, charity, ...
    spoc: str = ""  # single point of contact
    aliases: list[str] = Field(default_factory=list)


class SubGroup(_Model):
    name: str
    strands: list[Strand] = Field(default_factory=list)


class Partnership(_Model):
    name: str
    vision: str = ""
    agencies: list[Agency] = Field(default_factory=list)
    subgroups: list[SubGroup] = Field(default_factory=list)

    def canonical_agency(self, name: str) -> str | None:
        """The member's own name for ``name`` (matching names and aliases, ignoring case)."""
        key = " ".join(name.lower().split())
        for agency in self.agencies:
            names = [agency.name, *agency.aliases]
            if key in {" ".join(n.lower().split()) for n in names}:
                return agency.name
        return None

    def subgroup_for(self, strand: Strand | None) -> str:
        for group in self.subgroups:
            if strand is not None and strand in group.strands:
                return group.name
        return ""


class Objective(_Model):
    ref: str = ""
    text: str
    strand: Strand | None = None
    impact: str = ""


class Action(_Model):
    """One row of an action plan, or an agency's update to it."""

    ref: str = ""
    objective: str = ""
    strand: Strand | None = None
    text: str
    owner: str = ""
    start: DateValue | None = None
    due: DateValue | None = None
    due_text: str = ""  # the due date as written, when it was typed as text
    status: Status | None = None
    progress: float | None = None  # percent complete, 0..100
    reported_rag: Rag | None = None
    computed_rag: Rag | None = None
    outputs: str = ""
    outcomes: str = ""
    comment: str = ""
    source: Source | None = None

    @property
    def is_complete(self) -> bool:
        done = self.progress is not None and self.progress >= 100
        return self.status is Status.COMPLETE or done


class IndicatorValue(_Model):
    """One figure for one indicator (and breakdown) in one return."""

    indicator: str
    breakdown: str = ""
    value: float | None = None
    text: str = ""  # a qualitative value, or the value as written when not a number
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    target_text: str = ""  # the target as written, when it is not a plain number
    baseline: float | None = None
    baseline_text: str = ""
    unit: str = ""
    context: str = ""  # labels the row sits under ('Level: Outcome; Result: ...')
    agency: str = ""  # for tables with one row per agency; else the return's agency
    period: str = ""  # likewise
    reported_rag: Rag | None = None
    comment: str = ""
    source: Source | None = None


class Narrative(_Model):
    """The 4Ps narrative of a return."""

    progress: str = ""
    problems: str = ""
    priorities: str = ""
    points_for_action: str = ""

    def is_empty(self) -> bool:
        return not any((self.progress, self.problems, self.priorities, self.points_for_action))


class FinanceLine(_Model):
    line: str
    budget: float | None = None
    income: float | None = None
    expenditure: float | None = None
    comment: str = ""
    source: Source | None = None


class MonitoringReturn(_Model):
    """One agency's return for one period, or a foreign tracker read as one."""

    agency: str
    agency_from_content: bool = True
    period: DateValue | None = None
    period_text: str = ""
    submitted_by: str = ""
    submitted_on: date | None = None
    actions: list[Action] = Field(default_factory=list)
    indicators: list[IndicatorValue] = Field(default_factory=list)
    narrative: Narrative = Field(default_factory=Narrative)
    finance: list[FinanceLine] = Field(default_factory=list)
    file: str
    template: str = ""  # "monitoring-return 1", "action-plan 1", or "" for a foreign workbook

    @property
    def period_label(self) -> str:
        return self.period.label if self.period else self.period_text


class Level(StrEnum):
    """A level of the logframe, from the top of the results chain down."""

    GOAL = "Goal"  # the impact
    PURPOSE = "Purpose"  # the outcome
    OUTPUT = "Output"
    ACTIVITY = "Activity"


class Milestone(_Model):
    """A target on the way: 'Milestone 1', or one period of a target spread over periods."""

    label: str
    value: float | None = None
    text: str = ""


class LogframeIndicator(_Model):
    """One indicator of achievement of a logframe row, with its figures as written."""

    name: str
    line: str = ""  # 'line 2 of 4' when several indicators were packed into one cell
    baseline: float | None = None
    baseline_text: str = ""
    milestones: list[Milestone] = Field(default_factory=list)
    target: float | None = None
    target_text: str = ""  # a target written as prose; ``target`` is its clear number
    achieved: float | None = None
    achieved_text: str = ""
    status: Rag | None = None  # the rating reported beside it (on track: Y / N / at risk)
    verification: str = ""
    comment: str = ""
    source: Source | None = None


class LogframeRow(_Model):
    """One objective of the results chain: its level, statement and indicators."""

    level: Level | None
    level_text: str = ""  # the label as written ('Medium-term effect / Specific objective')
    ref: str = ""
    summary: str = ""  # the narrative summary: the objective at this level
    indicators: list[LogframeIndicator] = Field(default_factory=list)
    verification: str = ""
    assumptions: str = ""
    details: dict[str, str] = Field(default_factory=dict)  # other labelled cells (theme, ...)
    cells: dict[str, str] = Field(default_factory=dict)  # field -> its cell (xlperf's template)
    source: Source | None = None


class Logframe(_Model):
    """A logframe (logical framework) or results framework, as read from one workbook."""

    file: str
    sheet: str
    layout: str  # 'xlperf logframe', 'logframe table' or 'results framework'
    rows: list[LogframeRow] = Field(default_factory=list)
    has_verification: bool = True  # the layout has a means-of-verification column
    has_assumptions: bool = True

    @property
    def indicators(self) -> list[tuple[LogframeRow, LogframeIndicator]]:
        return [(row, ind) for row in self.rows for ind in row.indicators]
