"""Many returns -> one partnership dataset: duplicates, submissions, and the row arithmetic.

Pure: takes what the readers produced (:class:`FileResult`), decides which
returns count (the latest per agency and period), and accounts for every row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

from xlperf.cells import parse_a1
from xlperf.extract import Reading
from xlperf.figures import TOTAL_WORDS
from xlperf.indicators import IndicatorSpec, Reported, Unit
from xlperf.issues import Issue, Severity, Where
from xlperf.model import (
    Action,
    FinanceLine,
    IndicatorValue,
    Logframe,
    MonitoringReturn,
    Narrative,
    Partnership,
    Strand,
)
from xlperf.rag import RagRules
from xlperf.results_chain import check_chain
from xlperf.values import DateValue, Rag, parse_period


class FileStatus(StrEnum):
    ACCEPTED = "accepted"
    WARNINGS = "accepted with warnings"
    ERRORS = "accepted with errors"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    SKIPPED = "skipped"


@dataclass
class FileResult:
    """One input file, read or not."""

    path: str
    reading: Reading | None = None
    issues: list[Issue] = field(default_factory=list)  # for unread files: why
    skipped: bool = False
    sha256: str = ""
    modified: datetime | None = None
    logframes: list[Logframe] = field(default_factory=list)  # when read as a logframe too

    @property
    def all_issues(self) -> list[Issue]:
        return self.issues + (self.reading.issues if self.reading else [])


@dataclass
class Submission:
    file: str
    agency: str
    period: str
    status: FileStatus
    errors: int
    warnings: int
    sha256: str
    rows_in: int = 0
    rows_out: int = 0
    rows_rejected: int = 0
    rows_unused: int = 0
    note: str = ""

    @property
    def used(self) -> bool:
        return self.status in (FileStatus.ACCEPTED, FileStatus.WARNINGS, FileStatus.ERRORS)


@dataclass
class Row:
    """An action or figure with the return it came from."""

    agency: str
    period: str
    item: Action | IndicatorValue | FinanceLine


@dataclass
class Consolidation:
    as_of: date
    rules: RagRules
    submissions: list[Submission] = field(default_factory=list)
    actions: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    finance: list[Row] = field(default_factory=list)
    narratives: list[tuple[str, str, Narrative, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (agency, period)
    partnership: Partnership | None = None
    period: str = ""  # the latest period reported
    root: str = ""  # the folder file names are shown relative to
    #: indicator specs from the partnership's framework, by lower-case name and ID
    framework: dict[str, IndicatorSpec] = field(default_factory=dict)
    #: the partnership's logframe (--logframe), with the file it came from
    logframe: Logframe | None = None
    _shown: dict[str, str] = field(default_factory=dict, repr=False)  # display() cache

    @property
    def rows_in(self) -> int:
        return sum(s.rows_in for s in self.submissions)

    @property
    def rows_out(self) -> int:
        return sum(s.rows_out for s in self.submissions)

    @property
    def rows_rejected(self) -> int:
        return sum(s.rows_rejected for s in self.submissions)

    @property
    def rows_unused(self) -> int:
        return sum(s.rows_unused for s in self.submissions)

    @property
    def rows_superseded(self) -> int:
        return sum(s.rows_in - s.rows_rejected - s.rows_unused for s in self.submissions
                   if s.status is FileStatus.SUPERSEDED)

    @property
    def rows_accounted(self) -> int:
        """Rows used, rejected, unused or superseded: equals rows_in when nothing is lost."""
        return self.rows_out + self.rows_rejected + self.rows_unused + self.rows_superseded

    def display(self, path: str) -> str:
        """A file's name as the user sees it: relative to the folder consolidated."""
        shown = self._shown.get(path)
        if shown is None:
            full = str(Path(path).resolve()) if path else path
            shown = path
            if self.root and full.startswith(self.root):
                shown = full[len(self.root):].lstrip("/\\") or path
            self._shown[path] = shown
        return shown

    def check_results_chain(self, links: Sequence[tuple[str, str, list[str], str, int]],
                            framework_file: str) -> None:
        """Links along the results chain: an indicator's linked actions must exist in the
        returns, and every objective of the current actions should have an indicator."""
        refs = {a.item.ref.strip().lower() for a in self.actions if isinstance(a.item, Action)}
        where = Where.of(framework_file, "Framework")
        for indicator, _, linked, _, row in links:
            missing = [r for r in linked if r.lower() not in refs]
            if missing and refs:
                self.issues.append(where.issue("link-broken", row, None, indicator=indicator,
                                               refs=", ".join(missing)))
        measured = {" ".join(o.lower().split()) for _, o, _, _, _ in links if o}
        objectives = {a.item.objective.strip() for a in self.current_actions()
                      if isinstance(a.item, Action) and a.item.objective.strip()}
        for objective in sorted(objectives):
            if measured and " ".join(objective.lower().split()) not in measured:
                self.issues.append(Where.of(framework_file).issue(
                    "objective-not-measured", objective=objective))

    def check_units(self) -> None:
        """Figures against their framework unit: a proportion given as a plain number
        above 1 ('35' for 35%) is read as a percentage, and said (never 3,500%); a
        proportion over 100% or below 0, or a negative count, is flagged and left out; a
        fractional count is flagged."""
        for row in self.indicators:
            v = row.item
            assert isinstance(v, IndicatorValue)
            spec = self.framework.get(" ".join(v.indicator.lower().split()))
            if spec is None or v.denominator or v.source is None or not v.source.cell:
                continue
            where, at = Where.of(v.source.file, v.source.sheet), parse_a1(v.source.cell)
            for what in ("value", "target", "baseline"):
                x = getattr(v, what)
                if x is None:
                    continue
                why = ""
                if spec.unit is Unit.PROPORTION and 1 < x <= 100:
                    self.issues.append(where.issue(
                        "proportion-as-percent", *at, indicator=v.indicator,
                        agency=v.agency or row.agency,
                        what="a figure" if what == "value" else f"a {what}", value=f"{x:g}"))
                    setattr(v, what, x / 100)
                elif spec.unit is Unit.PROPORTION and (x > 100 or x < 0):
                    why = "a proportion is between 0% and 100%"
                elif spec.unit is Unit.COUNT and x < 0:
                    why = "a count cannot be negative"
                elif spec.unit is Unit.COUNT and x != int(x):
                    self.issues.append(where.issue(
                        "figure-implausible", *at, indicator=v.indicator, value=f"{x:g}",
                        why="a count is a whole number"))
                if why:  # a figure that breaks the rules is reported, never used
                    self.issues.append(where.issue("figure-implausible", *at,
                                                   indicator=v.indicator, value=f"{x:g}",
                                                   why=f"{why}; it is left out"))
                    setattr(v, what, None)

    def check_logframe(self, logframe: Logframe) -> None:
        """The logframe along the results chain (:func:`xlperf.logframe.check_chain`),
        with the indicators the returns report."""
        self.logframe = logframe
        reported = {" ".join(r.indicator.lower().split()) for r in self.reported_figures()}
        self.issues += check_chain(logframe, self.framework,
                                   reported if self.submissions else None)

    def reported_figures(self) -> list[Reported]:
        """Headline figures (no breakdown, or the Total) with a readable period.

        Indicator names are matched whatever their case and spacing, under the
        framework's spelling (else the first seen); one return's equal figures for the
        same indicator and period (typed on two sheets) count once.
        """
        out: list[Reported] = []
        names: dict[str, str] = {}
        periods: dict[str, DateValue | None] = {}
        seen: set[tuple[str, str, str, float | None, float | None, float | None]] = set()
        for row in self.indicators:
            v = row.item
            assert isinstance(v, IndicatorValue)
            if v.breakdown.strip() and v.breakdown.strip().lower() not in TOTAL_WORDS:
                continue
            label = v.period or row.period
            if label not in periods:
                periods[label] = parse_period(label).value
            period = periods[label]
            if period is None or (v.value is None and not v.denominator and not v.reported_rag):
                continue
            key = " ".join(v.indicator.lower().split())
            spec = self.framework.get(key)
            name = names.setdefault(key, spec.name if spec else " ".join(v.indicator.split()))
            agency = v.agency or row.agency
            once = (v.source.file if v.source else "", f"{agency}|{key}", period.label,
                    v.value, v.numerator, v.denominator)
            if once in seen:
                continue  # the same figure typed twice in one return (flagged when read)
            seen.add(once)
            out.append(Reported(name, agency, period, v.value, v.numerator, v.denominator,
                                v.target, v.reported_rag))
        return out

    def severity_counts(self) -> dict[str, int]:
        counts = Counter(i.severity for i in self.issues)
        return {s.value: counts.get(s, 0) for s in Severity}

    def current_actions(self) -> list[Row]:
        """Actions of the latest period (and of workbooks that state no period).

        Earlier periods' rows stay in the Actions sheet as history but are not counted
        again, so an action reported every quarter counts once.
        """
        return [r for r in self.actions if not r.period or r.period == self.period]

    def rag_counts(self, key: str) -> dict[str, Counter[str]]:
        """Computed RAG counts of current actions grouped by 'strand', 'subgroup' or 'agency'."""
        groups: dict[str, Counter[str]] = {}
        for row in self.current_actions():
            assert isinstance(row.item, Action)
            name = self._group(row, key)
            rag = row.item.computed_rag.value if row.item.computed_rag else "Not rated"
            groups.setdefault(name, Counter())[rag] += 1
        order = [s.value for s in Strand] if key == "strand" else sorted(groups)
        return {name: groups[name] for name in sorted(groups, key=lambda n: (
            order.index(n) if n in order else len(order), n))}

    def _group(self, row: Row, key: str) -> str:
        assert isinstance(row.item, Action)
        strand = row.item.strand
        if key == "strand":
            return strand.value if strand else "(no strand)"
        if key == "subgroup":
            name = self.partnership.subgroup_for(strand) if self.partnership else ""
            return name or "(no sub-group)"
        return row.agency


RAG_ORDER = [r.value for r in (Rag.RED, Rag.AMBER_RED, Rag.AMBER, Rag.AMBER_GREEN, Rag.GREEN,
                                Rag.COMPLETE)] + ["Not rated"]


def consolidate(results: Sequence[FileResult], as_of: date, rules: RagRules,
                partnership: Partnership | None = None) -> Consolidation:
    """Combine read files: keep the latest return per agency and period, account for all rows."""
    out = Consolidation(as_of=as_of, rules=rules, partnership=partnership)
    superseded = _superseded(results)
    for result in sorted(results, key=lambda r: r.path):
        out.submissions.append(_submission(result, superseded.get(result.path)))
        ret = result.reading.ret if result.reading else None
        if result.path in superseded:  # its rows are not used, so nor are its problems
            by, why = superseded[result.path]
            out.issues.append(Where.of(result.path).issue("return-superseded", by=by,
                                                          reason=why))
            continue
        out.issues.extend(result.all_issues)
        if ret is not None:
            _add_rows(out, ret)
    out.period = _latest_period(results)
    out.missing = _missing(out, partnership)
    for agency, period in out.missing:
        out.issues.append(Where.of("").issue("submitted-missing", agency=agency, period=period))
    return out


def _key(ret: MonitoringReturn) -> tuple[str, str] | None:
    if not ret.agency_from_content or not ret.period_label:
        return None
    return " ".join(ret.agency.lower().split()), ret.period_label


def _superseded(results: Sequence[FileResult]) -> dict[str, tuple[str, str]]:
    """path -> (the file that supersedes it, why) for duplicate agency+period returns."""
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for result in results:
        ret = result.reading.ret if result.reading else None
        key = _key(ret) if ret else None
        if key is not None:
            groups.setdefault(key, []).append(result)
    out: dict[str, tuple[str, str]] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        ordered = sorted(group, key=_recency)
        latest = ordered[-1]
        for older in ordered[:-1]:
            why = ("later submitted date" if _submitted(older) != _submitted(latest)
                   else "an identical copy" if older.sha256 and older.sha256 == latest.sha256
                   else "later file time" if older.modified != latest.modified
                   else "later file name")
            out[older.path] = (latest.path, why)
    return out


def _submitted(result: FileResult) -> date:
    ret = result.reading.ret if result.reading else None
    return ret.submitted_on if ret and ret.submitted_on else date.min


def _recency(result: FileResult) -> tuple[date, datetime, str]:
    return _submitted(result), result.modified or datetime.min, result.path


def _submission(result: FileResult, superseded: tuple[str, str] | None) -> Submission:
    issues = result.all_issues
    errors = sum(1 for i in issues if i.severity is Severity.ERROR)
    warnings = sum(1 for i in issues if i.severity is Severity.WARNING)
    reading = result.reading
    ret = reading.ret if reading else None
    if result.skipped:
        status = FileStatus.SKIPPED
    elif reading is None or ret is None or not reading.tables:
        status = FileStatus.REJECTED
    elif superseded is not None:
        status = FileStatus.SUPERSEDED
    else:
        status = (FileStatus.ERRORS if errors else FileStatus.WARNINGS if warnings
                  else FileStatus.ACCEPTED)
    note = next((i.message for i in issues if i.code in ("file-unreadable", "no-tables-found")
                 or result.skipped), "")
    if superseded is not None:
        note = f"superseded by {Path(superseded[0]).name} ({superseded[1]})"
    rows_in = reading.rows_in if reading else 0
    rejected = reading.rows_rejected if reading else 0
    unused = reading.rows_unused if reading else 0
    if status is FileStatus.SUPERSEDED:  # every row of it is accounted as superseded
        rejected = unused = 0
    out_rows = 0 if status is FileStatus.SUPERSEDED else rows_in - rejected - unused
    return Submission(
        file=result.path, agency=ret.agency if ret else "", period=ret.period_label if ret else "",
        status=status, errors=errors, warnings=warnings, sha256=result.sha256, rows_in=rows_in,
        rows_out=out_rows, rows_rejected=rejected, rows_unused=unused, note=note)


def _add_rows(out: Consolidation, ret: MonitoringReturn) -> None:
    period = ret.period_label
    out.actions.extend(Row(ret.agency, period, a) for a in ret.actions)
    out.indicators.extend(Row(ret.agency, period, v) for v in ret.indicators)
    out.finance.extend(Row(ret.agency, period, f) for f in ret.finance)
    if not ret.narrative.is_empty():
        out.narratives.append((ret.agency, period, ret.narrative, ret.file))


def _latest_period(results: Sequence[FileResult]) -> str:
    periods = [r.reading.ret.period for r in results
               if r.reading and r.reading.ret and r.reading.ret.period]
    return max(periods, key=lambda p: p.end).label if periods else ""


def _missing(out: Consolidation, partnership: Partnership | None) -> list[tuple[str, str]]:
    if partnership is None or not out.period:
        return []
    sent = {s.agency.lower() for s in out.submissions if s.period == out.period and s.used}
    return [(a.name, out.period) for a in partnership.agencies if a.name.lower() not in sent]

