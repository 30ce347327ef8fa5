"""Checking: raw table rows -> typed models, with every problem as an Issue.

Readers hand over :class:`RawRow` objects (a sheet row's raw cell values keyed
by schema field); this module converts each value by its declared type, applies
the rules (required, allowed values, dates, percent, owner, RAG against dates,
uncalculated formulas) and never stops at the first problem. Pure: no
spreadsheet library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from xlperf.cells import a1, is_blank
from xlperf.grid import CellValue
from xlperf.issues import Issue, Severity, Where
from xlperf.model import Action, FinanceLine, IndicatorValue, Source, Status, Strand
from xlperf.privacy import find_personal_data, redact
from xlperf.rag import RagRules, compute_rag, contradicts
from xlperf.schema import Field, FieldType
from xlperf.values import (
    Parsed,
    Rag,
    RagVocabulary,
    parse_date,
    parse_number,
    parse_percent,
    parse_period,
    parse_rag,
    parse_text,
)

# an "on track" flag column: Y on track, N not on track, R at risk (as in the WUR logframe)
FLAG_WORDS = {"y": Rag.GREEN, "yes": Rag.GREEN, "on track": Rag.GREEN, "n": Rag.RED,
              "no": Rag.RED, "not on track": Rag.RED, "r": Rag.AMBER, "risk": Rag.AMBER,
              "at risk": Rag.AMBER}


@dataclass
class RawCell:
    value: CellValue
    col: int
    uncalculated: bool = False  # a formula with no calculated value
    stale: bool = False  # a formula whose saved value the workbook says to recalculate
    placeholder: str = ""  # the placeholder text the reader replaced by None


@dataclass
class RawRow:
    """One data row of a table, before checking."""

    sheet: str
    row: int  # 0-based
    cells: dict[str, RawCell]  # field key -> cell
    context: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # field key -> header as written
    extra: dict[str, RawCell] = field(default_factory=dict)  # unmapped columns by title


@dataclass
class Context:
    where: Where
    rules: RagRules
    as_of: date
    vocab: RagVocabulary
    date1904: bool = False
    #: foreign workbooks: only the key field is required
    strict: bool = True
    #: the date a reported RAG is judged against: the return's submission date, if earlier
    judged_on: date | None = None
    #: mask likely personal data in free text (--redact)
    redact: bool = False
    issues: list[Issue] = field(default_factory=list)

    def add(self, code: str, raw: RawRow, col: int | None, **params: Any) -> None:
        self.issues.append(self.where.in_sheet(raw.sheet).issue(code, raw.row, col, **params))


def read_field(ctx: Context, raw: RawRow, spec: Field) -> Any:
    """The typed value of one field of a row, reporting its problems; None when unusable."""
    cell = raw.cells.get(spec.key)
    label = raw.titles.get(spec.key, spec.title)
    if cell is None:
        return None
    if cell.uncalculated:
        ctx.add("formula-not-calculated", raw, cell.col)
        return None
    if cell.stale and cell.value in (0, 0.0):
        ctx.add("formula-needs-recalc", raw, cell.col, value=cell.value)
    if cell.placeholder:
        code = "placeholder-in-required" if spec.required and ctx.strict else "placeholder-left"
        ctx.add(code, raw, cell.col, field=label, value=cell.placeholder)
        return None
    if cell.value is None or cell.value == "":
        return None  # blank: nothing to read (required fields are checked by the caller)
    parsed = _parse(ctx, spec, cell.value, label)
    if parsed.placeholder:
        code = "placeholder-in-required" if spec.required and ctx.strict else "placeholder-left"
        ctx.add(code, raw, cell.col, field=label, value=str(cell.value).strip())
        return None
    if parsed.problem == "number-unreadable" and isinstance(cell.value, str) \
            and _PERCENT_TEXT.fullmatch(cell.value.strip()):
        return float(cell.value.strip().rstrip("%").replace(",", "").strip()) / 100  # '35%'
    if parsed.problem == "number-unreadable" and not ctx.strict and isinstance(cell.value, str):
        pulled = pull_number(cell.value)
        if pulled is not None:
            ctx.add("number-from-text", raw, cell.col, field=label, value=_show(cell.value),
                    number=show_number(pulled))
            return pulled
    if parsed.problem:
        shown = (f"{parsed.value:g}%" if parsed.problem == "percent-out-of-range"
                 else _show(cell.value))
        # in other people's workbooks a column we matched by its header may hold prose
        soft = not ctx.strict and parsed.problem == "number-unreadable"
        ctx.add(parsed.problem, raw, cell.col, severity=Severity.WARNING if soft else None,
                field=label, value=shown, detail=parsed.detail)
        return None  # a value that breaks the rules is reported, never used
    if spec.type in (FieldType.NUMBER, FieldType.MONEY) and isinstance(cell.value, str) \
            and parsed.value is not None and not _PLAIN_NUMBER.fullmatch(cell.value.strip()):
        ctx.add("number-from-text", raw, cell.col, field=label, value=_show(cell.value),
                number=show_number(parsed.value))  # 'about 150': read, and said
    if spec.type is FieldType.DATE and isinstance(cell.value, str) and ctx.strict:
        ctx.add("date-as-text", raw, cell.col, field=label, value=cell.value.strip(),
                date=parsed.value.label if parsed.value else "")
    if spec.choices and spec.type is FieldType.CHOICE and parsed.value is not None:
        return _choice(ctx, raw, cell, spec, label, parsed.value)
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT) and spec.key not in NAMED_FIELDS \
            and isinstance(parsed.value, str):
        return guard_text(ctx, raw, cell.col, label, parsed.value)
    return parsed.value


def show_number(x: float) -> str:
    """3000000 -> '3,000,000'; 2.5 -> '2.5' (never '3e+06')."""
    return f"{int(x):,}" if x == int(x) else f"{x:,.10g}"


_PERCENT_TEXT = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?\s*%")
_PLAIN_NUMBER = re.compile(r"[£$€]?\s*[-+]?\(?[\d,]*\.?\d+\)?")

#: fields that name an agency, a role or a thing, where a person's name is expected
NAMED_FIELDS = frozenset({"owner", "submitted_by", "agency", "ref", "indicator", "breakdown",
                          "line"})


def guard_text(ctx: Context, raw: RawRow, col: int | None, label: str, text: str) -> str:
    """Warn about likely personal data in free text; mask it when redacting."""
    kinds = find_personal_data(text)
    if not kinds:
        return text
    ctx.add("personal-data-suspected", raw, col, field=label, kinds=" and ".join(kinds),
            action="it was masked ([redacted]) in the output" if ctx.redact
            else "use --redact to mask it in the output")
    return redact(text) if ctx.redact else text


def _parse(ctx: Context, spec: Field, value: CellValue, label: str) -> Parsed[Any]:
    kind = spec.type
    if kind is FieldType.DATE:
        return parse_date(value, date1904=ctx.date1904)
    if kind is FieldType.PERIOD:
        return parse_period(value)
    if kind is FieldType.PERCENT:
        # xlperf's templates format the column as %, so a number there is a fraction
        fraction = True if ctx.strict and isinstance(value, int | float) else None
        return parse_percent(value, fraction=fraction)
    if kind in (FieldType.NUMBER, FieldType.MONEY):
        return parse_number(value)
    if kind is FieldType.RAG:
        if "on track" in label.lower() or "yes/no" in label.lower():
            flag = FLAG_WORDS.get(str(value).strip().lower())
            if flag is not None:
                return Parsed(flag)
        return parse_rag(value, ctx.vocab)
    return parse_text(value)


_LEADING = re.compile(r"^\s*(?:>=|<=|>|<|≥|≤|~|at least|over|more than|up to|c\.|about)?\s*"
                      r"(\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)\b(?P<rest>.*)$", re.IGNORECASE)
_PARENS = re.compile(r"\([^)]*\)")


def pull_number(text: str) -> float | None:
    """The number a prose target clearly states ('> 400,000 farmers (...)' -> 400000,
    '9000 (3000 per country)' -> 9000), or None when it is not clear ('1 generic and
    3 country overviews'): the text must start with it, and no other number may stand
    outside brackets."""
    found = _LEADING.match(text.strip())
    if found is None or re.search(r"\d", _PARENS.sub("", found.group("rest"))):
        return None
    return float(re.sub(r"[,\s]", "", found.group(1)))


def _choice(ctx: Context, raw: RawRow, cell: RawCell, spec: Field, label: str,
            value: Any) -> Any:
    if spec.key == "strand":
        strand = parse_strand(str(value))
        if strand is None:
            ctx.add("value-not-allowed", raw, cell.col,
                    severity=None if ctx.strict else Severity.WARNING, field=label,
                    value=value, allowed=", ".join(spec.choices))
        return strand
    if spec.key == "status":
        status = parse_status(str(value))
        if status is None and ctx.strict:
            ctx.add("value-not-allowed", raw, cell.col, field=label, value=value,
                    allowed=", ".join(spec.choices))
        return status
    canonical = {c.lower(): c for c in spec.choices}.get(" ".join(str(value).lower().split()))
    if canonical is None:
        ctx.add("value-not-allowed", raw, cell.col,
                severity=None if ctx.strict else Severity.WARNING, field=label, value=value,
                allowed=", ".join(spec.choices))
    return canonical


def parse_strand(text: str) -> Strand | None:
    lowered = text.lower()
    hits = [s for s in Strand if s.value.lower() in lowered]
    return hits[0] if len(hits) == 1 else None


_STATUS_WORDS: Sequence[tuple[str, Status]] = (
    ("not started", Status.NOT_STARTED), ("not yet started", Status.NOT_STARTED),
    ("cancel", Status.CANCELLED), ("hold", Status.ON_HOLD), ("paused", Status.ON_HOLD),
    ("complete", Status.COMPLETE), ("done", Status.COMPLETE), ("achieved", Status.COMPLETE),
    ("closed", Status.COMPLETE), ("ongoing", Status.IN_PROGRESS),
    ("in progress", Status.IN_PROGRESS), ("started", Status.IN_PROGRESS),
    ("underway", Status.IN_PROGRESS), ("on track", Status.IN_PROGRESS),
    ("delayed", Status.IN_PROGRESS),
)


def parse_status(text: str) -> Status | None:
    """A status word, also inside longer text ('4. Completed', '2. Ongoing - on track')."""
    lowered = " ".join(text.lower().split())
    for status in Status:
        if lowered == status.value.lower():
            return status
    for word, status in _STATUS_WORDS:
        if word in lowered:
            return status
    return None


def _show(value: CellValue) -> str:
    return value.isoformat() if isinstance(value, date) else str(value).strip()


# --- rows -> models ----------------------------------------------------------------------


@dataclass
class RowResult:
    """What became of one input row: accepted (with models) or rejected with a reason."""

    sheet: str
    row: int
    accepted: bool
    reason: str = ""
    unused: bool = False  # an unfilled form row (only placeholders): listed, not an error


def _only_placeholders(raw: RawRow) -> bool:
    """A form row left as the form made it: nothing but placeholders (and a row label)."""
    cells = [c for k, c in raw.cells.items() if k != "ref"] + list(raw.extra.values())
    return any(c.placeholder for c in cells) and all(
        c.placeholder or is_blank(c.value) or _is_row_label(c.value) for c in cells)


_ROW_LABEL = re.compile(r"^[A-Za-z]{0,3}\s?\d{1,4}(\.\d{1,3})*\.?$")


def _is_row_label(value: CellValue) -> bool:
    """A printed row number or reference ('B9', '12', '1.3') rather than data."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value).is_integer() and 0 <= value < 10_000
    return isinstance(value, str) and bool(_ROW_LABEL.match(value.strip()))


def _reject_unfilled(ctx: Context, raw: RawRow) -> RowResult:
    shown = sorted({c.placeholder for c in raw.cells.values() if c.placeholder})
    reason = f"holds only placeholders ({', '.join(repr(p) for p in shown)}); an unused form row"
    ctx.add("row-rejected", raw, None, severity=Severity.INFO, reason=reason)
    return RowResult(raw.sheet, raw.row, False, reason, unused=True)


def build_action(ctx: Context, raw: RawRow, fields: Sequence[Field], file: str
                 ) -> tuple[Action | None, RowResult]:
    if _only_placeholders(raw):
        return None, _reject_unfilled(ctx, raw)
    values = {f.key: read_field(ctx, raw, f) for f in fields if f.key in raw.cells}
    text = values.get("action")
    if not text:
        return None, _reject(ctx, raw, fields, "action", "no action text")
    ctx_values = {k.lower(): v for k, v in raw.context.items()}
    action = Action(
        ref=_text(values.get("ref")), text=str(text),
        objective=_text(values.get("objective")) or _first(ctx_values, "objective", "outcome",
                                                            "priority", "group", "level"),
        strand=values.get("strand") or parse_strand(" ".join(raw.context.values())),
        owner=_text(values.get("owner")), start=values.get("start"), due=values.get("due"),
        due_text=_due_text(raw),
        status=values.get("status"), progress=values.get("progress"),
        reported_rag=values.get("reported_rag"), outputs=_text(values.get("outputs")),
        outcomes=_text(values.get("outcomes")), comment=_text(values.get("comment")),
        source=Source(file=file, sheet=raw.sheet, row=raw.row + 1),
    )
    _check_action(ctx, raw, action)
    return action, RowResult(raw.sheet, raw.row, True)


def _check_action(ctx: Context, raw: RawRow, action: Action) -> None:
    col = _col(raw, "owner") if "owner" in raw.cells else None
    owner_cell = raw.cells.get("owner")
    if not action.owner and (ctx.strict or "owner" in raw.cells) and not (
            owner_cell and owner_cell.placeholder):
        ctx.add("owner-missing", raw, col if col is not None else _col(raw, "action"),
                action=shorten(action.text))
    if action.start and action.due and action.due.end < action.start.start:
        ctx.add("due-before-start", raw, _col(raw, "due"), due=action.due.label,
                start=action.start.label)
    action.computed_rag = compute_rag(action, ctx.as_of, ctx.rules)
    if action.computed_rag is None and not action.due_text \
            and action.status is not Status.CANCELLED:
        ctx.add("rag-not-computable", raw, _col(raw, "due"), action=shorten(action.text))
    if action.status is Status.NOT_STARTED and action.progress:
        ctx.add("status-progress-mismatch", raw, _col(raw, "status"),
                status=action.status.value, progress=f"{action.progress:g}")
    if action.reported_rag is Rag.COMPLETE and not action.is_complete:
        ctx.add("reported-complete-not-done", raw, _col(raw, "reported_rag"),
                status=action.status.value if action.status else "no status",
                progress=f"{action.progress or 0:g}")
    judged_on = min(ctx.as_of, ctx.judged_on or ctx.as_of)
    if contradicts(action.reported_rag, action, judged_on):
        assert action.due is not None and action.reported_rag is not None
        ctx.add("rag-disagrees-with-dates", raw, _col(raw, "reported_rag"),
                reported=action.reported_rag.value, due=action.due.label,
                judged=(f"the return's date ({judged_on:%d/%m/%Y})" if ctx.judged_on and
                        judged_on == ctx.judged_on else f"{judged_on:%d/%m/%Y}"),
                computed=action.computed_rag.value if action.computed_rag else "Red")


def check_duplicate_refs(ctx: Context, rows: Sequence[tuple[RawRow, Action]]) -> None:
    first: dict[str, RawRow] = {}
    for raw, action in rows:
        ref = action.ref.strip()
        if not ref:
            continue
        if ref.lower() in first:
            seen = first[ref.lower()]
            ctx.add("duplicate-action-id", raw, _col(raw, "ref"), ref=ref,
                    first=f"row {seen.row + 1}")
        else:
            first[ref.lower()] = raw


def build_indicators(ctx: Context, raw: RawRow, fields: Sequence[Field], file: str
                     ) -> tuple[list[IndicatorValue], RowResult]:
    """One row of an indicator table -> one figure per value (or per line of a packed cell)."""
    if _only_placeholders(raw):
        return [], _reject_unfilled(ctx, raw)
    name_cell = raw.cells.get("indicator")
    if name_cell is not None and _lines(name_cell.value):
        return _packed_indicators(ctx, raw, fields, file)
    raw, families = _split_families(raw)
    values = {f.key: read_field(ctx, raw, f) for f in fields if f.key in raw.cells}
    name = values.get("indicator")
    if not name:
        return [], _reject(ctx, raw, fields, "indicator", "no indicator name")
    base = _indicator(values, str(name), raw, file)
    figures = [base] if _has_figure(base) or not raw.extra else []
    for title, cell in raw.extra.items():
        figure = _extra_figure(ctx, raw, title, cell, base, families.get(title, "value"))
        if figure is not None:
            figures.append(figure)
    if not figures:
        figures = [base]
    return figures, RowResult(raw.sheet, raw.row, True)


def _split_families(raw: RawRow) -> tuple[RawRow, dict[str, str]]:
    """Columns under one parent header ('Target 2024/25' over Q1..Q4) are breakdowns.

    The column the header matcher took for 'target' (or 'value') joins its siblings as
    one breakdown each, carrying the target (or the value).
    """
    families: dict[str, str] = {}
    cells, extra, titles = dict(raw.cells), dict(raw.extra), dict(raw.titles)
    for key in ("target", "value"):
        title = titles.get(key, "")
        parent = title.rsplit(" ", 1)[0] if " " in title else ""
        siblings = [t for t in extra if parent and t.rsplit(" ", 1)[0] == parent]
        if not siblings:
            continue
        extra = {title: cells.pop(key), **extra}
        titles.pop(key)
        families.update({t: key for t in [title, *siblings]})
    if not families:
        return raw, families
    return RawRow(raw.sheet, raw.row, cells, raw.context, titles, extra), families


def _context(raw: RawRow) -> str:
    """The labels a row sits under: group rows above it and text columns beside it."""
    parts = [f"{k}: {v}" for k, v in raw.context.items() if v]
    parts += [f"{title}: {str(c.value).strip()}" for title, c in raw.extra.items()
              if isinstance(c.value, str) and c.value.strip() and not c.placeholder]
    if any(find_personal_data(p) for p in parts):
        parts = [redact(p) for p in parts]  # side columns are never checked cell by cell
    return "; ".join(dict.fromkeys(parts))


def _has_figure(value: IndicatorValue) -> bool:
    return any(v is not None for v in (value.value, value.target, value.baseline,
                                        value.numerator, value.reported_rag)) or bool(value.text)


_BARE_NUMBER = re.compile(r"[-+]?[\d,]*\.?\d+%?")


def as_written(value: CellValue) -> str:
    """A figure's text when it is more than a bare number ('> 400,000 farmers', '10
    FGDs'): kept beside the number read from it; '' for a bare number or a non-text."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    return "" if _BARE_NUMBER.fullmatch(text) else text


def _as_written(raw: RawRow, values: dict[str, Any], key: str) -> str:
    """The cell's text when it could not be read as a number (prose targets and the like)."""
    cell = raw.cells.get(key)
    return as_written(cell.value) if cell is not None else ""


def _indicator(values: dict[str, Any], name: str, raw: RawRow, file: str) -> IndicatorValue:
    keys = [k for k in ("value", "numerator", "target", "baseline") if values.get(k) is not None]
    cell = raw.cells.get(keys[0] if keys else "indicator")
    return IndicatorValue(
        context=_context(raw),
        indicator=name, breakdown=_text(values.get("breakdown")), value=values.get("value"),
        text=_as_written(raw, values, "value"), target_text=_as_written(raw, values, "target"),
        baseline_text=_as_written(raw, values, "baseline"),
        numerator=values.get("numerator"), denominator=values.get("denominator"),
        target=values.get("target"), baseline=values.get("baseline"),
        reported_rag=values.get("indicator_rag"),
        comment=_text(values.get("indicator_comment")),
        source=Source(file=file, sheet=raw.sheet, row=raw.row + 1,
                      cell=a1(raw.row, cell.col) if cell else ""),
    )


def _extra_figure(ctx: Context, raw: RawRow, title: str, cell: RawCell,
                  base: IndicatorValue, kind: str = "value") -> IndicatorValue | None:
    """An unmapped column holding a number (e.g. Q1, Q2, 'Male adult') is a breakdown figure."""
    if cell.uncalculated:
        ctx.add("formula-not-calculated", raw, cell.col)
        return None
    if is_blank(cell.value) or cell.placeholder or isinstance(cell.value, bool):
        return None
    number = parse_number(cell.value)
    if number.value is None:
        return None
    is_target = kind == "target"
    return base.model_copy(update={
        "breakdown": title, "value": None if is_target else number.value,
        "target": number.value if is_target else None, "baseline": None,
        "reported_rag": None, "text": "",
        "source": Source(file=base.source.file if base.source else "", sheet=raw.sheet,
                         row=raw.row + 1, cell=a1(raw.row, cell.col))})


def build_partner_figures(ctx: Context, raw: RawRow, fields: Sequence[Field], file: str,
                          columns: Sequence[str]) -> tuple[list[IndicatorValue], RowResult]:
    """A row of a one-row-per-partner table: each figure column is an indicator."""
    if _only_placeholders(raw):
        return [], _reject_unfilled(ctx, raw)
    values = {f.key: read_field(ctx, raw, f) for f in fields if f.key in raw.cells}
    agency = values.get("agency")
    if not agency:
        return [], _reject(ctx, raw, fields, "agency", "no partner named")
    period = values.get("period")
    base = IndicatorValue(indicator="", agency=str(agency),
                          period=period.label if period is not None else "")
    figures = []
    for title in columns:
        cell = raw.extra.get(title)
        if cell is None or is_blank(cell.value) or cell.uncalculated:
            if cell is not None and cell.uncalculated:
                ctx.add("formula-not-calculated", raw, cell.col)
            continue
        figures.append(base.model_copy(update={
            "indicator": title, "value": float(cell.value),  # type: ignore[arg-type]
            "source": Source(file=file, sheet=raw.sheet, row=raw.row + 1,
                             cell=a1(raw.row, cell.col))}))
    if not figures:
        return [], _reject(ctx, raw, fields, "agency", "no figures in the row")
    return figures, RowResult(raw.sheet, raw.row, True)


def _packed_indicators(ctx: Context, raw: RawRow, fields: Sequence[Field], file: str
                       ) -> tuple[list[IndicatorValue], RowResult]:
    """Several indicators packed in one cell, one per line: split line by line, aligned.

    The indicator cell's lines set the count: a cell with as many lines is split; a
    single value applies to every line; a cell whose lines cannot be aligned (a comment
    in two paragraphs beside five indicators) is kept whole, once, as text.
    """
    split: dict[str, Sequence[CellValue]] = {
        k: _lines(c.value) or [c.value] for k, c in raw.cells.items()}
    count = len(split["indicator"])
    figures: list[IndicatorValue] = []
    for i in range(count):
        cells = {k: RawCell(_line(v, i, count, ratings=k == "indicator_rag"), raw.cells[k].col)
                 for k, v in split.items()}
        sub = RawRow(raw.sheet, raw.row, cells, raw.context, raw.titles)
        values = {f.key: read_field(ctx, sub, f) for f in fields if f.key in sub.cells}
        if not values.get("indicator"):
            continue
        figure = _indicator(values, str(values["indicator"]), sub, file)
        figures.append(figure.model_copy(update={"breakdown": f"line {i + 1} of {count}"}))
    if not figures:
        return [], _reject(ctx, raw, fields, "indicator", "no indicator name")
    return figures, RowResult(raw.sheet, raw.row, True)


def _line(lines: Sequence[CellValue], i: int, count: int, ratings: bool = False) -> CellValue:
    """Line ``i`` of a packed cell. A rating is never copied to a line it was not written
    for (so flags are counted as written); a single other value applies to every line."""
    if len(lines) == count or ratings:
        return lines[i] if i < len(lines) else None
    if len(lines) == 1:
        return lines[0]
    return "\n".join(str(x) for x in lines) if i == 0 else None


def _lines(value: CellValue) -> list[str]:
    if not isinstance(value, str) or "\n" not in value.strip():
        return []
    return [line.strip() for line in value.strip().splitlines() if line.strip()]


def build_finance(ctx: Context, raw: RawRow, fields: Sequence[Field], file: str
                  ) -> tuple[FinanceLine | None, RowResult]:
    values = {f.key: read_field(ctx, raw, f) for f in fields if f.key in raw.cells}
    line = values.get("line")
    if not line:
        return None, _reject(ctx, raw, fields, "line", "no budget line")
    return FinanceLine(line=str(line), budget=values.get("budget"), income=values.get("income"),
                       expenditure=values.get("expenditure"),
                       comment=_text(values.get("finance_comment")),
                       source=Source(file=file, sheet=raw.sheet, row=raw.row + 1)), RowResult(
        raw.sheet, raw.row, True)


def _reject(ctx: Context, raw: RawRow, fields: Sequence[Field], key: str,
            reason: str) -> RowResult:
    col = _col(raw, key)
    title = raw.titles.get(key) or next((f.title for f in fields if f.key == key), key)
    cell = raw.cells.get(key)
    if cell is not None and cell.placeholder:
        reason = f"{title} holds the placeholder '{cell.placeholder}'"
    elif cell is None:
        reason = f"{reason} (no {title} column)"
    else:
        reason = f"{reason} ({title} is empty at {a1(raw.row, col or 0)})"
    ctx.add("row-rejected", raw, col, reason=reason)
    return RowResult(raw.sheet, raw.row, False, reason)


def _col(raw: RawRow, key: str) -> int | None:
    cell = raw.cells.get(key)
    return cell.col if cell else None


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def shorten(text: str, n: int = 60) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _first(values: dict[str, str], *keys: str) -> str:
    for key in keys:
        for k, v in values.items():
            if key in k:
                return v
    return ""


def _due_text(raw: RawRow) -> str:
    cell = raw.cells.get("due")
    if cell is None or is_blank(cell.value) or cell.placeholder:
        return ""
    return _show(cell.value) if isinstance(cell.value, str) else ""


#: words that make an objective vague when no number or date pins it down
VAGUE = re.compile(r"\b(improve|improving|enhance|raise awareness|work towards|support|"
                   r"strengthen|better|more effective|increase awareness|promote)\b",
                   re.IGNORECASE)


def check_smart(ctx: Context, raws: Sequence[RawRow], rows: Sequence[dict[str, Any]],
                targets: dict[str, Any]) -> None:
    """SMART checks on an indicator framework: measurable (a target and a baseline),
    time-bound (a target period), specific (no vague objective without a number)."""
    for raw, row in zip(raws, rows, strict=True):
        name = str(row.get("indicator") or "").strip()
        ref = str(row.get("indicator_id") or "").strip().lower()
        if not name:
            continue
        if ref not in targets:
            ctx.add("indicator-no-target", raw, _col(raw, "indicator"), indicator=name)
        if row.get("baseline") is None and row.get("unit") not in ("text", "rating"):
            ctx.add("indicator-no-baseline", raw, _col(raw, "baseline"), indicator=name)
        objective = str(row.get("framework_objective") or "")
        if objective and VAGUE.search(objective) and not re.search(r"\d", objective):
            ctx.add("objective-vague", raw, _col(raw, "framework_objective"),
                    word=VAGUE.search(objective).group(0))  # type: ignore[union-attr]


def severity_counts(issues: Sequence[Issue]) -> dict[str, int]:
    return {s.value: sum(1 for i in issues if i.severity is s) for s in Severity}


Builder = Callable[..., Any]
