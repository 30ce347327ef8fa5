"""A workbook's grids -> one monitoring return, its issues, and an account of every row.

xlperf's own templates (recognised by the hidden marker sheet, trusted over
layout) are read through their declaration in :mod:`xlperf.schema`. Any other
workbook is searched for action and indicator tables by header text
(:mod:`xlperf.tables`). Pure: works on :class:`xlperf.grid.Workbook` only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from xlperf.cells import a1, col_letter, is_blank, is_placeholder
from xlperf.check import (
    Context,
    RawCell,
    RawRow,
    RowResult,
    build_action,
    build_finance,
    build_indicators,
    build_partner_figures,
    check_duplicate_refs,
    check_smart,
    read_field,
)
from xlperf.figures import check_breakdown_totals, check_figures, derive_totals
from xlperf.grid import Sheet, Workbook
from xlperf.indicators import Direction, IndicatorSpec, Target, Unit
from xlperf.issues import Issue, Severity, Where
from xlperf.matrix import find_heading, read_matrix
from xlperf.model import Action, MonitoringReturn, Narrative, Partnership
from xlperf.rag import RagRules
from xlperf.schema import (
    ACTION_FIELDS,
    COVER_FIELDS,
    FIGURES_FIELDS,
    FINANCE_FIELDS,
    FOREIGN_ACTION_FIELDS,
    FOREIGN_INDICATOR_FIELDS,
    INDICATOR_FIELDS,
    INDICATOR_FRAMEWORK,
    MARKER_SHEET,
    NARRATIVE_FIELDS,
    OUTPUT_KINDS,
    TEMPLATES,
    Field,
    FieldType,
    FormSheet,
    MatrixSheet,
    TableSheet,
    Template,
)
from xlperf.tables import FoundTable, HeaderVocab, find_tables, records
from xlperf.values import DateValue


@dataclass
class TableInfo:
    """A table found in a workbook, for `xlperf check` to show."""

    sheet: str
    kind: str  # actions, indicators, finance
    header: str  # A1 of the header row
    rows: int


@dataclass
class Reading:
    """Everything read from one file."""

    file: Path
    ret: MonitoringReturn | None
    issues: list[Issue] = field(default_factory=list)
    rows: list[RowResult] = field(default_factory=list)
    tables: list[TableInfo] = field(default_factory=list)
    template: str = ""

    @property
    def rows_in(self) -> int:
        return len(self.rows)

    @property
    def rows_rejected(self) -> int:
        return sum(1 for r in self.rows if not r.accepted and not r.unused)

    @property
    def rows_unused(self) -> int:
        return sum(1 for r in self.rows if r.unused)


def template_marker(book: Workbook) -> tuple[str, int] | None:
    """(kind, version) from the hidden marker sheet, if this is an xlperf template."""
    sheet = book.sheet(MARKER_SHEET)
    if sheet is None or sheet.value(0, 0) != "xlperf-template":
        return None
    version = sheet.value(1, 1)
    return str(sheet.value(0, 1)), int(version) if isinstance(version, int | float) else 0


def is_xlperf_output(book: Workbook) -> bool:
    """True for a workbook xlperf wrote as output (its marker says so), not a return."""
    marker = template_marker(book)
    return marker is not None and marker[0] in OUTPUT_KINDS


def read_return(book: Workbook, rules: RagRules, as_of: date,
                partnership: Partnership | None = None, redact: bool = False) -> Reading:
    """Read a workbook as a monitoring return (template or foreign) and check it.

    ``redact`` masks likely personal data in free text (it is reported either way).
    """
    where = Where.of(book.path)
    ctx = Context(where=where, rules=rules, as_of=as_of, vocab=rules.vocab(),
                  date1904=book.date1904, redact=redact)
    for note in book.notes:
        ctx.issues.append(where.issue("file-note", note=note))
    marker = template_marker(book)
    if marker is not None and marker[0] in TEMPLATES:
        reading = _read_template(book, TEMPLATES[marker[0]], marker[1], ctx)
    else:
        ctx.strict = False
        reading = _read_foreign(book, ctx)
    if reading.ret is not None:
        check_breakdown_totals(ctx, reading.ret.indicators)
        check_figures(ctx, reading.ret.indicators)
        if ctx.strict:  # xlperf's templates: a Breakdown column means parts of a whole
            reading.ret.indicators += derive_totals(ctx, reading.ret.indicators)
        _check_return(ctx, reading.ret, book, partnership)
    reading.issues = ctx.issues
    return reading


# --- xlperf templates --------------------------------------------------------------------


def _read_template(book: Workbook, template: Template, version: int, ctx: Context) -> Reading:
    reading = Reading(book.path, None, template=f"{template.kind} v{version}")
    if version > template.version:
        ctx.issues.append(ctx.where.issue("template-version-unknown", kind=template.kind,
                                          version=version, known=template.version))
    answers: dict[str, object] = {}
    ret = MonitoringReturn(agency="", file=str(book.path), template=reading.template)
    for spec in template.sheets:
        if isinstance(spec, MatrixSheet):
            _read_matrix_sheet(ctx, book, spec, ret, reading)
            continue
        sheet = book.sheet(spec.name) or _renamed(book, template, spec)
        if sheet is None:
            ctx.issues.append(ctx.where.issue(
                "template-sheet-missing", expected=spec.name,
                sheets=", ".join(s.name for s in book.sheets if s.name != MARKER_SHEET)))
            continue
        if sheet.name != spec.name:
            ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
                "template-sheet-renamed", expected=spec.name, found=sheet.name))
        if isinstance(spec, FormSheet):
            answers.update(_read_form(ctx, book, sheet, spec))
            submitted = answers.get("submitted_on")
            if isinstance(submitted, DateValue):
                ctx.judged_on = submitted.start
            continue
        raws = template_rows(ctx, book, sheet, spec)
        reading.tables.append(TableInfo(sheet.name, spec.name.lower(), "A1", len(raws)))
        _build(ctx, raws, spec.fields, spec.key_field, ret, reading)
    _apply_answers(ret, answers)
    reading.ret = ret
    return reading


def _read_matrix_sheet(ctx: Context, book: Workbook, spec: MatrixSheet, ret: MonitoringReturn,
                       reading: Reading) -> None:
    sheet = book.sheet(spec.name) or _renamed_grid(book, spec)
    if sheet is None:
        code = "optional-sheet-missing" if spec.optional else "template-sheet-missing"
        ctx.issues.append(ctx.where.issue(code, expected=spec.name, what=spec.indicator,
                                          sheets=", ".join(s.name for s in book.sheets)))
        return
    if sheet.name != spec.name:
        ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
            "template-sheet-renamed", expected=spec.name, found=sheet.name))
    figures, results = read_matrix(ctx, str(book.path), sheet, spec,
                                   lambda r, c: _raw_cell(book, sheet, r, c))
    ret.indicators.extend(figures)
    reading.rows.extend(results)
    reading.tables.append(TableInfo(sheet.name, "indicators", a1(*find_heading(sheet, spec)),
                                    len(results)))


def _renamed_grid(book: Workbook, spec: MatrixSheet) -> Sheet | None:
    """A sheet holding the grid under another name, found by its row heading."""
    want = _norm(spec.row_title)
    return next((s for s in book.sheets if s.name != MARKER_SHEET and any(
        _norm(str(v or "")) == want for row in s.rows[:12] for v in row[:12])), None)


def _renamed(book: Workbook, template: Template, spec: TableSheet | FormSheet) -> Sheet | None:
    """A sheet that is ``spec`` under another name: it has (most of) the spec's headings."""
    declared = {t.name for t in template.sheets} | {MARKER_SHEET, "Instructions", "Lists"}
    wanted = {_norm(f.title) for f in spec.fields if f.type is not FieldType.COMPUTED_RAG}
    for sheet in book.sheets:
        if sheet.name in declared or not sheet.rows:
            continue
        if isinstance(spec, TableSheet):
            found = {_norm(str(v)) for v in sheet.rows[0] if isinstance(v, str)}
        else:
            found = {_norm(str(sheet.value(r, 0)).rstrip("* ")) for r in range(sheet.n_rows)}
        if len(wanted & found) * 2 > len(wanted):
            return sheet
    return None


def template_rows(ctx: Context, book: Workbook, sheet: Sheet, spec: TableSheet
                   ) -> list[RawRow]:
    header = {_norm(str(v)): c for c, v in enumerate(sheet.rows[0] if sheet.rows else [])
              if isinstance(v, str)}
    columns: dict[str, int] = {}
    for f in spec.fields:
        if f.type is FieldType.COMPUTED_RAG:
            continue
        renamed = next((header[_norm(a)] for a in f.aliases if _norm(a) in header
                        and header[_norm(a)] not in columns.values()), None)
        if _norm(f.title) in header:
            columns[f.key] = header[_norm(f.title)]
        elif renamed is not None:
            columns[f.key] = renamed
            ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
                "template-column-renamed", 0, renamed, expected=f.title,
                found=str(sheet.rows[0][renamed])))
        else:
            ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
                "template-column-missing", 0, 0, expected=f.title,
                columns=", ".join(str(v) for v in sheet.rows[0] if v) if sheet.rows else ""))
    raws = []
    wanted = list(columns.values())
    for r in range(1, sheet.n_rows):
        row = sheet.rows[r]
        if all(c >= len(row) or is_blank(row[c]) for c in wanted):
            continue
        cells = {k: _raw_cell(book, sheet, r, c) for k, c in columns.items()}
        if all(is_blank(c.value) and not c.placeholder for c in cells.values()):
            continue
        raws.append(RawRow(sheet.name, r, cells))
    return raws


def _raw_cell(book: Workbook, sheet: Sheet, r: int, c: int) -> RawCell:
    value = sheet.value(r, c)
    placeholder = ""
    if is_placeholder(value):
        placeholder, value = str(value).strip(), None
    return RawCell(value, c, uncalculated=(r, c) in sheet.uncalculated,
                   stale=book.needs_recalc and (r, c) in sheet.formulas,
                   placeholder=placeholder)


def _read_form(ctx: Context, book: Workbook, sheet: Sheet, spec: FormSheet
               ) -> dict[str, object]:
    labels = {_norm(str(sheet.value(r, 0)).rstrip("* ")): r for r in range(sheet.n_rows)
              if isinstance(sheet.value(r, 0), str)}
    answers: dict[str, object] = {}
    for f in spec.fields:
        r = labels.get(_norm(f.title))
        if r is None:
            ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
                "template-column-missing", 0, 0, expected=f.title,
                columns=", ".join(labels) or "none"))
            continue
        raw = RawRow(sheet.name, r, {f.key: _raw_cell(book, sheet, r, 1)})
        cell = raw.cells[f.key]
        if is_blank(cell.value) and not cell.placeholder and not cell.uncalculated:
            if f.required:
                ctx.add("required-missing", raw, 1, field=f.title, cell=f"{sheet.name}!B{r + 1}")
            continue
        before = len(ctx.issues)
        answers[f.key] = read_field(ctx, raw, f)
        if f.required and answers[f.key] is None:  # given but unusable: as bad as blank
            ctx.issues[before:] = [i.model_copy(update={"severity": Severity.ERROR})
                                   for i in ctx.issues[before:]]
        if f.type is FieldType.PERIOD and cell.value is not None:
            answers["period_text"] = str(cell.value).strip()
    return answers


def _apply_answers(ret: MonitoringReturn, answers: dict[str, object]) -> None:
    ret.agency = str(answers.get("agency") or "")
    ret.period = answers.get("period")  # type: ignore[assignment]
    ret.period_text = "" if ret.period else str(answers.get("period_text") or "")
    ret.submitted_by = str(answers.get("submitted_by") or "")
    on = answers.get("submitted_on")
    ret.submitted_on = on.start if on is not None else None  # type: ignore[attr-defined]
    ret.narrative = Narrative(**{f.key: str(answers.get(f.key) or "") for f in NARRATIVE_FIELDS})


# --- the indicator framework ------------------------------------------------------------


@dataclass
class Framework:
    """Indicator specs by lower-case name (and ID), with the issues found reading them."""

    specs: dict[str, IndicatorSpec] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    #: the results chain: (indicator, its objective, its linked action refs, sheet, row)
    links: list[tuple[str, str, list[str], str, int]] = field(default_factory=list)


def read_framework(book: Workbook, rules: RagRules, as_of: date) -> Framework:
    """Read an indicator framework made from xlperf's template."""
    ctx = Context(where=Where.of(book.path), rules=rules, as_of=as_of, vocab=rules.vocab())
    out = Framework(issues=ctx.issues)
    marker = template_marker(book)
    if marker is None or marker[0] != INDICATOR_FRAMEWORK.kind:
        ctx.issues.append(ctx.where.issue(
            "template-sheet-missing", expected="Framework",
            sheets=", ".join(s.name for s in book.sheets) + " (this is not an xlperf "
            "indicator framework: make one with 'xlperf template indicator-framework')"))
        return out
    tables: dict[str, list[dict[str, object]]] = {}
    raws: dict[str, list[RawRow]] = {}
    for spec in INDICATOR_FRAMEWORK.sheets:
        sheet = book.sheet(spec.name)
        if sheet is None or not isinstance(spec, TableSheet):
            continue
        raws[spec.name] = template_rows(ctx, book, sheet, spec)
        tables[spec.name] = [{f.key: read_field(ctx, raw, f) for f in spec.fields}
                             for raw in raws[spec.name]]
    targets: dict[str, list[Target]] = {}
    for raw, row in zip(raws.get("Targets", []), tables.get("Targets", []), strict=True):
        period, value = row.get("target_period"), row.get("target_value")
        if isinstance(period, DateValue) and isinstance(value, float):
            ref = str(row.get("target_indicator_id")).strip()
            known = targets.setdefault(ref.lower(), [])
            if any(t.span == period for t in known):  # never added up: the first stands
                ctx.add("target-repeated", raw, raw.cells["target_period"].col,
                        indicator=ref, period=period.label)
                continue
            known.append(Target(value, period))
    seen: set[str] = set()
    for raw, row in zip(raws.get("Framework", []), tables.get("Framework", []), strict=True):
        name, ref = str(row.get("indicator") or "").strip(), str(row.get("indicator_id") or "")
        if not name:
            continue
        key = ref.strip().lower()
        if key and key in seen:  # two indicators under one ID: the first keeps it
            ctx.add("framework-id-repeated", raw, raw.cells["indicator_id"].col, ref=ref.strip(),
                    indicator=name)
            continue
        seen.add(key)
        linked = [r.strip() for r in re.split(r"[,;\s]+", str(row.get("linked_actions") or ""))
                  if r.strip()]
        out.links.append((name, str(row.get("framework_objective") or "").strip(), linked,
                          raw.sheet, raw.row))
        low, high, baseline = row.get("band_low"), row.get("band_high"), row.get("baseline")
        indicator = IndicatorSpec(
            name, Unit(str(row.get("unit") or Unit.COUNT.value)),
            Direction(str(row.get("direction") or Direction.HIGHER.value)),
            tuple(targets.get(ref.strip().lower(), [])),
            baseline if isinstance(baseline, float) else None,
            (low, high) if isinstance(low, float) and isinstance(high, float) else None,
            str(row.get("type") or "").strip().lower())
        out.specs[name.lower()] = indicator
        out.specs[ref.strip().lower()] = indicator
    check_smart(ctx, raws.get("Framework", []), tables.get("Framework", []), targets)
    return out


def check_planning(book: Workbook, template: Template, rules: RagRules, as_of: date
                   ) -> list[Issue]:
    """Check a planning workbook (logframe, care pathway) against its declaration."""
    ctx = Context(where=Where.of(book.path), rules=rules, as_of=as_of, vocab=rules.vocab())
    for spec in template.sheets:
        if not isinstance(spec, TableSheet):
            continue  # planning templates are tables
        sheet = book.sheet(spec.name) or _renamed(book, template, spec)
        if sheet is None:
            ctx.issues.append(ctx.where.issue("template-sheet-missing", expected=spec.name,
                                              sheets=", ".join(s.name for s in book.sheets)))
            continue
        for raw in template_rows(ctx, book, sheet, spec):
            for f in spec.fields:
                cell = raw.cells.get(f.key)
                if f.required and cell is not None and is_blank(cell.value) \
                        and not cell.placeholder:
                    ctx.add("required-missing", raw, cell.col, field=f.title,
                            cell=a1(raw.row, cell.col))
                else:
                    read_field(ctx, raw, f)
    return ctx.issues


# --- other people's workbooks ------------------------------------------------------------


def _vocab(fields: Sequence[Field], anchor: str) -> HeaderVocab:
    return HeaderVocab(fields={f.key: list(f.aliases) for f in fields},
                       anchor_fields=[anchor], min_fields=2)


VOCABS = {
    "actions": _vocab(FOREIGN_ACTION_FIELDS, "action"),
    "indicators": _vocab(FOREIGN_INDICATOR_FIELDS, "indicator"),
    "figures": HeaderVocab(fields={f.key: list(f.aliases) for f in FIGURES_FIELDS},
                           anchor_fields=["agency"], min_fields=1),
}
_FIELDS = {"actions": ACTION_FIELDS, "indicators": INDICATOR_FIELDS, "figures": FIGURES_FIELDS}
_KEYS = {"actions": "action", "indicators": "indicator", "figures": "agency"}
#: columns that identify people or events, never figures to add up
_NOT_A_FIGURE = re.compile(r"(^|[\s_])(date|dob|id|ref|reference|phone|tel|postcode|"
                           r"year|quarter|period)($|[\s_])", re.IGNORECASE)


def _read_foreign(book: Workbook, ctx: Context) -> Reading:
    reading = Reading(book.path, None, template="")
    ret = MonitoringReturn(agency="", agency_from_content=False, file=str(book.path))
    hidden = [s.name for s in book.sheets if not s.visible]
    if hidden:
        ctx.issues.append(ctx.where.issue("file-note", note=(
            f"{len(hidden)} hidden sheet(s) not searched for tables (lists and lookups): "
            + ", ".join(f"'{n}'" for n in hidden[:6]) + ("..." if len(hidden) > 6 else ""))))
    for sheet in book.sheets:
        if sheet.name == MARKER_SHEET or not sheet.visible:
            continue
        for table in find_tables(sheet, VOCABS):
            raws = foreign_rows(ctx, book, sheet, table)
            if table.kind == "figures" and not _is_figures_table(table, raws):
                continue  # records about people or a list of partners: not figures
            reading.tables.append(TableInfo(sheet.name, table.kind, _header_ref(table),
                                            len(raws)))
            _build(ctx, raws, _FIELDS[table.kind], _KEYS[table.kind], ret, reading)
    if reading.tables and not reading.rows:
        ctx.issues.append(ctx.where.issue(
            "no-data-rows", tables=", ".join(f"'{t.sheet}' at {t.header}" for t in reading.tables)))
    if not reading.tables:
        names = [f"'{s.name}'" for s in book.sheets if s.visible]
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        ctx.issues.append(ctx.where.issue("no-tables-found", sheets=shown or "none"))
    reading.ret = ret
    return reading


def _is_figures_table(table: FoundTable, raws: list[RawRow]) -> bool:
    """One row per partner: the partner is the leftmost column and there are figures."""
    first = min(table.columns, key=lambda c: c.index) if table.columns else None
    return first is not None and first.field == "agency" and bool(_figure_columns(raws))


def _figure_columns(raws: list[RawRow]) -> list[str]:
    """Unmapped columns whose filled cells are all numbers (not dates, ids or years)."""
    titles: list[str] = []
    for title in dict.fromkeys(t for raw in raws for t in raw.extra):
        if not title or _NOT_A_FIGURE.search(title):
            continue
        values = [raw.extra[title].value for raw in raws if title in raw.extra]
        filled = [v for v in values if not is_blank(v)]
        if filled and all(isinstance(v, int | float) and not isinstance(v, bool)
                          for v in filled):
            titles.append(title)
    return titles


#: a caption naming where figures come from ('Source' under a results-framework block)
SOURCE_LABEL = re.compile(r"^(?:sources?|source of data|data sources?|means of verification)"
                          r"\s*:?$", re.IGNORECASE)


def _is_label_row(values: Mapping[int, object], merged: set[int]) -> bool:
    """A row holding only labels: a 'Source' caption, and upper-case captions beside it
    (values a merged cell above spreads into the row do not count)."""
    own = {c: v for c, v in values.items() if c not in merged}
    texts = [v.strip() for v in own.values() if isinstance(v, str) and v.strip()]
    filled = [v for v in own.values() if not is_blank(v)]
    return bool(texts) and len(texts) == len(filled) and any(
        SOURCE_LABEL.match(t) for t in texts) and all(
        SOURCE_LABEL.match(t) or t == t.upper() for t in texts)


def _header_ref(table: FoundTable) -> str:
    first = min(c.index for c in table.columns) if table.columns else 0
    return a1(table.header_rows[0], first)


def foreign_rows(ctx: Context, book: Workbook, sheet: Sheet, table: FoundTable
                  ) -> list[RawRow]:
    where = ctx.where.in_sheet(sheet.name)
    raws = []
    for rec in records(sheet, table):
        if rec.is_example:
            ctx.issues.append(where.issue("example-row-skipped", rec.row, None))
            continue
        if _is_label_row(rec.values, rec.filled):
            continue  # 'Source' under a results-framework block: a label, not a figure
        cells: dict[str, RawCell] = {}
        extra: dict[str, RawCell] = {}
        titles: dict[str, str] = {}
        for col in table.columns:
            value = rec.values.get(col.index)
            cell = RawCell(value, col.index,
                           uncalculated=(rec.row, col.index) in sheet.uncalculated,
                           stale=book.needs_recalc and (rec.row, col.index) in sheet.formulas,
                           placeholder=rec.placeholders.get(col.index, ""))
            if col.field and col.field not in cells:
                cells[col.field] = cell
                titles[col.field] = col.title
            elif not col.field:
                title = col.title.strip() or f"Column {col_letter(col.index)}"
                if title in extra:
                    title = f"{title} ({col_letter(col.index)})"
                extra[title] = cell
        raws.append(RawRow(sheet.name, rec.row, cells, dict(rec.context), titles, extra))
    return raws


# --- shared ------------------------------------------------------------------------------


def _build(ctx: Context, raws: list[RawRow], fields: Sequence[Field], key: str,
           ret: MonitoringReturn, reading: Reading) -> None:
    built: list[tuple[RawRow, Action]] = []
    for raw in raws:
        if key == "action":
            action, result = build_action(ctx, raw, fields, str(ret.file))
            if action is not None:
                ret.actions.append(action)
                built.append((raw, action))
        elif key == "indicator":
            figures, result = build_indicators(ctx, raw, fields, str(ret.file))
            ret.indicators.extend(figures)
        elif key == "agency":
            figures, result = build_partner_figures(ctx, raw, fields, str(ret.file),
                                                    _figure_columns(raws))
            ret.indicators.extend(figures)
        else:
            line, result = build_finance(ctx, raw, FINANCE_FIELDS, str(ret.file))
            if line is not None:
                ret.finance.append(line)
        reading.rows.append(result)
    check_duplicate_refs(ctx, built)


_AGENCY_FROM_NAME = re.compile(r"[_\-]+")


def _check_return(ctx: Context, ret: MonitoringReturn, book: Workbook,
                  partnership: Partnership | None) -> None:
    if not ret.agency:
        ret.agency = _AGENCY_FROM_NAME.sub(" ", Path(book.path).stem).strip()
        ret.agency_from_content = False
        if ret.actions or not all(v.agency for v in ret.indicators):
            ctx.issues.append(ctx.where.issue("agency-missing", agency=ret.agency))
    elif partnership is not None:
        name = partnership.canonical_agency(ret.agency)
        if name is None:
            ctx.issues.append(ctx.where.in_sheet("Return").issue(
                "agency-not-member", 2, 1, agency=ret.agency))
        else:
            ret.agency = name
    if ret.period is None and not ret.period_text and (ret.actions or ret.indicators):
        ctx.issues.append(ctx.where.issue("period-missing"))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("*", " ").split())


__all__ = ["COVER_FIELDS", "Reading", "TableInfo", "read_return", "template_marker"]
