"""Logframes: the results chain (Goal, Purpose, Outputs, Activities) read from a workbook.

Three layouts are read into one :class:`xlperf.model.Logframe`:

* **xlperf's logframe template** (its marker sheet): one row per objective with its
  level, narrative summary, indicators of achievement (one per line, framework IDs or
  names), means of verification, and risks and assumptions.
* **a logframe table** (one row per indicator, the level and the objective in columns
  to its left, as in the WUR progress logframe or case 06): found by header text like
  any indicator table; merged level and objective cells cover every row of their
  range; several indicators packed into one cell are split line by line, aligned with
  their baselines, targets and achieved values; prose targets are kept as text with the
  clear number pulled out. Levels written above the header ('Impact/ ultimate outcome',
  'Overall objective of the Action: ...') are rows too.
* **a results framework in blocks** (the DFID template): many small tables in one
  sheet, each a header row '<Level> Indicator | Baseline | Milestone 1 | ... | Target',
  the figures under it and a 'Source' label whose cell below holds the source. The
  level's statement sits in the column to the left, under its label ('IMPACT',
  'OUTCOME', 'OUTPUT'); other labels there ('PRIMARY THEME', 'OUTCOME WEIGHTING (%)')
  are kept as details.

Then the logframe is checked (:func:`check_logframe`): the levels of the chain are all
there, every objective above the activities is measurable, every indicator has a
baseline and a target, means of verification and assumptions are given where the
layout has a place for them, and references nest (Activity 1.2.1 under Output 1.2).
Pure: works on :class:`xlperf.grid.Workbook` only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from xlperf.cells import a1, is_blank, is_placeholder
from xlperf.check import Context, RawRow, as_written, build_indicators, pull_number, read_field
from xlperf.extract import (
    SOURCE_LABEL,
    VOCABS,
    check_planning,
    foreign_rows,
    read_framework,
    template_marker,
    template_rows,
)
from xlperf.grid import CellValue, Sheet, Workbook
from xlperf.issues import Issue, Where
from xlperf.model import (
    IndicatorValue,
    Level,
    Logframe,
    LogframeIndicator,
    LogframeRow,
    Milestone,
    Source,
)
from xlperf.rag import RagRules
from xlperf.results_chain import check_logframe
from xlperf.schema import (
    INDICATOR_FIELDS,
    INDICATOR_FRAMEWORK,
    LOGFRAME,
    MARKER_SHEET,
    TEMPLATES,
    TableSheet,
)
from xlperf.tables import FoundTable, find_tables
from xlperf.values import parse_number

__all__ = ["LogframeReading", "check_planning_workbook", "parse_level", "read_logframe"]

_LEVEL_WORDS = (
    (re.compile(r"^(?:goal|impacts?\b|overall objective|ultimate outcome|overall goal)"),
     Level.GOAL),
    (re.compile(r"^(?:purpose|outcomes?\b|other outcomes|specific objective|medium[- ]term"
                r"|immediate objective|intermediate outcome)"), Level.PURPOSE),
    (re.compile(r"^outputs?\b"), Level.OUTPUT),
    (re.compile(r"^(?:activit(?:y|ies)|inputs?\b)"), Level.ACTIVITY),
)
_NOT_A_LEVEL = re.compile(r"weighting|theme|indicator|assumption|verification|source|"
                          r"baseline|target|milestone|%")
_BLOCK_HEAD = re.compile(r"^(goal|impact|purpose|outcome|output|activity)\s+indicators?$")
_VERIFICATION = re.compile(r"verification|\bsources?\b|\bmov\b|evidence", re.IGNORECASE)
_ASSUMPTIONS = re.compile(r"assumption|^(?:key\s+)?risks?\b", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"\s*(?:\n|;)\s*")
_REF = re.compile(r"^\d+(?:\.\d+)*$")
_NUMERIC = re.compile(r"^\d+(?:\.0)?$")
_REF_TITLE = re.compile(r"^(?:ref\.?|reference|no\.?|number|#|id)$", re.IGNORECASE)


def parse_level(text: object) -> Level | None:
    """The logframe level a label names ('Impact/ ultimate outcome' -> Goal), or None."""
    label = " ".join(str(text or "").lower().split())
    if not label or len(label) > 80 or _NOT_A_LEVEL.search(label):
        return None
    return next((level for pattern, level in _LEVEL_WORDS if pattern.match(label)), None)


@dataclass
class LogframeReading:
    """A workbook read as a logframe: the logframe (None when it is not one) and its issues."""

    logframes: list[Logframe] = field(default_factory=list)  # one per sheet holding one
    issues: list[Issue] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # what was found where, for `check`


def read_logframe(book: Workbook, rules: RagRules, as_of: date) -> LogframeReading:
    """Read a workbook as logframes (one per sheet that holds one) and check each.

    ``logframes`` is empty when the workbook holds none.
    """
    ctx = Context(where=Where.of(book.path), rules=rules, as_of=as_of, vocab=rules.vocab(),
                  date1904=book.date1904)
    marker = template_marker(book)
    reading = LogframeReading()
    if marker is not None and marker[0] == LOGFRAME.kind:
        reading.logframes = [_from_template(ctx, book, reading)]
    else:
        ctx.strict = False
        for sheet in book.sheets:
            if sheet.visible and sheet.name != MARKER_SHEET:
                found = _from_blocks(ctx, book, sheet, reading) \
                    or _from_tables(ctx, book, sheet, reading)
                reading.logframes += [found] if found is not None else []
    for logframe in reading.logframes:
        check_logframe(ctx, logframe)
    reading.issues = ctx.issues
    return reading


def check_planning_workbook(book: Workbook, kind: str, rules: RagRules, as_of: date
                            ) -> tuple[list[Issue], list[Logframe]]:
    """Check one of xlperf's planning workbooks (indicator framework, logframe, care
    pathway) as `xlperf check` and the Check button do: its issues, and the logframe read."""
    if kind == INDICATOR_FRAMEWORK.kind:
        return read_framework(book, rules, as_of).issues, []
    if kind == LOGFRAME.kind:
        reading = read_logframe(book, rules, as_of)
        return reading.issues, reading.logframes
    return check_planning(book, TEMPLATES[kind], rules, as_of), []


# --- xlperf's template ------------------------------------------------------------------


def _from_template(ctx: Context, book: Workbook, reading: LogframeReading) -> Logframe:
    logframe = Logframe(file=str(book.path), sheet=LOGFRAME.sheets[0].name,
                        layout="xlperf logframe")
    spec = LOGFRAME.sheets[0]
    sheet = book.sheet(spec.name)
    if sheet is None or not isinstance(spec, TableSheet):
        ctx.issues.append(ctx.where.issue(
            "template-sheet-missing", expected=spec.name,
            sheets=", ".join(s.name for s in book.sheets if s.name != MARKER_SHEET)))
        return logframe
    raws = template_rows(ctx, book, sheet, spec)
    reading.found.append(f"logframe in '{sheet.name}' ({len(raws)} rows)")
    for raw in raws:
        values = {}
        for f in spec.fields:
            cell = raw.cells.get(f.key)
            if f.required and cell is not None and is_blank(cell.value) and not cell.placeholder:
                ctx.add("required-missing", raw, cell.col, field=f.title,
                        cell=a1(raw.row, cell.col))
            values[f.key] = read_field(ctx, raw, f)
        names = _items(values.get("achievement"))
        sources = _items(values.get("lf_verification"))
        aligned = len(sources) == len(names) and len(names) > 1
        where = _source(book, raw, "achievement")
        logframe.rows.append(LogframeRow(
            level=parse_level(values.get("level")),
            level_text=_text(raw.cells["level"].value if "level" in raw.cells else ""),
            ref=_text(values.get("lf_ref")), summary=_text(values.get("summary")),
            indicators=[LogframeIndicator(name=n, verification=sources[i] if aligned else "",
                                          source=where) for i, n in enumerate(names)],
            verification="" if aligned else _text(values.get("lf_verification")),
            assumptions=_text(values.get("assumptions")), source=_source(book, raw, "summary"),
            cells={k: a1(raw.row, c.col) for k, c in raw.cells.items()}))
    return logframe


def _items(value: object) -> list[str]:
    """One indicator per line (or per ';'); a line of bare IDs ('PI-01, PI-02') is split."""
    items: list[str] = []
    for part in _ITEM_SPLIT.split(_text(value)):
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 1 and all(re.fullmatch(r"[A-Za-z]{0,4}[-\s]?\d+(?:\.\d+)*", p)
                                   for p in pieces):
            items += pieces
        elif part.strip():
            items.append(part.strip())
    return items


# --- results frameworks in blocks (DFID) -------------------------------------------------


@dataclass
class _Block:
    row: int  # the header row
    col: int  # the indicator column
    level: Level
    end: int  # the first row after the block


def _from_blocks(ctx: Context, book: Workbook, sheet: Sheet, reading: LogframeReading
                 ) -> Logframe | None:
    logframe = Logframe(file=str(book.path), sheet=sheet.name, layout="results framework",
                        has_assumptions=False)
    for block in _blocks(sheet):
        _read_block(ctx, book, sheet, block, logframe, reading)
    return logframe if logframe.rows else None


def _blocks(sheet: Sheet) -> list[_Block]:
    heads: list[tuple[int, int, Level]] = []
    for r, row in enumerate(sheet.rows):
        texts = {c: _norm(v) for c, v in enumerate(row) if isinstance(v, str) and v.strip()}
        for c, text in texts.items():
            found = _BLOCK_HEAD.match(text)
            rest = [t for k, t in texts.items() if k > c]
            if found and any(t.startswith("baseline") for t in rest) \
                    and any(t.startswith("target") for t in rest):
                level = parse_level(found.group(1))
                if level is not None:
                    heads.append((r, c, level))
                break
    return [_Block(r, c, level, heads[i + 1][0] if i + 1 < len(heads) else sheet.n_rows)
            for i, (r, c, level) in enumerate(heads)]


def _read_block(ctx: Context, book: Workbook, sheet: Sheet, block: _Block, logframe: Logframe,
                reading: LogframeReading) -> None:
    titles = {c: _norm(v) for c, v in enumerate(sheet.rows[block.row])
              if c > block.col and isinstance(v, str) and v.strip()}
    label_col = next((c for c in range(block.col) if not is_blank(sheet.value(block.row, c))),
                     None)
    labels = _labels(sheet, block, label_col) if label_col is not None else []
    row = None
    for r, label, value in labels:
        if parse_level(label) is block.level and len(label.split()) <= 2:  # 'IMPACT'
            row = LogframeRow(level=block.level, level_text=label.strip(), summary=value,
                              source=Source(file=str(book.path), sheet=sheet.name, row=r + 2,
                                            cell=a1(r + 1, label_col or 0)))
            logframe.rows.append(row)
    if row is None:  # a further indicator of the level above it
        row = next((x for x in reversed(logframe.rows) if x.level is block.level), None)
        if row is None:
            row = LogframeRow(level=block.level, level_text=block.level.value)
            logframe.rows.append(row)
    for _r, label, value in labels:
        if parse_level(label) is None and value:
            row.details[" ".join(label.split()).capitalize()] = value
    first = block.row + 1
    name = _text(sheet.value(first, block.col)) if first < block.end else ""
    indicator = LogframeIndicator(name=name, source=Source(
        file=str(book.path), sheet=sheet.name, row=first + 1, cell=a1(first, block.col)))
    for c, title in titles.items():
        number, text = _figure(sheet.value(first, c) if first < block.end else None)
        if title.startswith("baseline"):
            indicator.baseline, indicator.baseline_text = number, text
        elif title.startswith("target"):
            indicator.target, indicator.target_text = number, text
        elif title.startswith("milestone"):
            indicator.milestones.append(Milestone(label=" ".join(
                str(sheet.value(block.row, c)).split()), value=number, text=text))
    indicator.verification = _block_source(sheet, block)
    filled = bool(name) or any(v is not None for v in (indicator.baseline, indicator.target)) \
        or any(m.value is not None or m.text for m in indicator.milestones)
    if filled:
        if not name:
            ctx.issues.append(ctx.where.in_sheet(sheet.name).issue(
                "required-missing", first, block.col, field=f"{block.level.value} indicator",
                cell=a1(first, block.col)))
        row.indicators.append(indicator)
    state = f"'{name}'" if name else ("figures without a name" if filled else "empty")
    reading.found.append(f"{block.level.value} indicator block in '{sheet.name}' at "
                         f"{a1(block.row, block.col)}: {state}")


def _labels(sheet: Sheet, block: _Block, col: int) -> list[tuple[int, str, str]]:
    """(row, label, value) down the label column: a label is upper case, its value below."""
    out: list[tuple[int, str, str]] = []
    for r in range(block.row, block.end):
        label = sheet.value(r, col)
        if not _is_label(label):
            continue
        below = sheet.value(r + 1, col) if r + 1 < block.end else None
        out.append((r, str(label), "" if _is_label(below) else _text(below)))
    return out


def _is_label(value: CellValue) -> bool:
    return isinstance(value, str) and any(ch.isalpha() for ch in value) \
        and value.strip() == value.strip().upper()


def _block_source(sheet: Sheet, block: _Block) -> str:
    for r in range(block.row + 1, block.end):
        for c in range(block.col + 1, sheet.n_cols):
            if isinstance(sheet.value(r, c), str) and SOURCE_LABEL.match(_norm(sheet.value(r, c))):
                right = _text(sheet.value(r, c + 1)) if c + 1 < sheet.n_cols else ""
                return right or (_text(sheet.value(r + 1, c)) if r + 1 < block.end else "")
    return ""


def _figure(value: CellValue) -> tuple[float | None, str]:
    """A cell of figures: its number, or its text with the clear number pulled out."""
    if is_blank(value) or is_placeholder(value):
        return None, ""
    number, text = parse_number(value).value, _text(value)
    if as_written(value):
        return number if number is not None else pull_number(text), text
    return number, "" if number is not None else text


# --- logframe tables (WUR, case 06) ------------------------------------------------------


def _from_tables(ctx: Context, book: Workbook, sheet: Sheet, reading: LogframeReading
                 ) -> Logframe | None:
    logframe = Logframe(file=str(book.path), sheet=sheet.name, layout="logframe table")
    probe = Context(where=ctx.where, rules=ctx.rules, as_of=ctx.as_of, vocab=ctx.vocab,
                    date1904=ctx.date1904, strict=False)
    found: list[str] = []
    has_mov = has_assumptions = False
    for n, table in enumerate(find_tables(sheet, {"indicators": VOCABS["indicators"]})):
        raws = foreign_rows(probe, book, sheet, table)
        level_col, summary_col = _level_columns(table, raws)
        if level_col is None and not any(_context_level(raw) for raw in raws):
            continue
        before = len(logframe.rows)
        if n == 0:
            logframe.rows += _preface(book, sheet, table)
        _table_rows(probe, book, raws, level_col, summary_col, logframe)
        titles = [c.title for c in table.columns] + [
            t for raw in raws for t in raw.titles.values()]
        has_mov |= any(_VERIFICATION.search(t) for t in titles)
        has_assumptions |= any(_ASSUMPTIONS.search(t) for t in titles)
        found.append(f"logframe table in '{sheet.name}' at "
                     f"{a1(table.header_rows[0], table.span[0])} "
                     f"({len(logframe.rows) - before} objectives)")
    if len({r.level for r in logframe.rows if r.level is not None}) < 2:
        return None  # one level or none: an indicator table, not a logframe
    # an objective row without an indicator is part of a logframe, not a rejected row;
    # a figure written as prose ('Ethiopia 20 PBs') is kept as written: one note, not many
    prose = [i for i in probe.issues if i.code == "number-unreadable"]
    ctx.issues += [i for i in probe.issues if i.code not in ("row-rejected",
                                                             "number-unreadable")]
    if prose:
        cells = ", ".join(i.cell for i in prose[:5]) + (", ..." if len(prose) > 5 else "")
        ctx.issues.append(ctx.where.in_sheet(sheet.name).issue("file-note", note=(
            f"{len(prose)} baselines, targets or achieved values in '{sheet.name}' are "
            f"words, not numbers ({cells}): kept as written, with no number to add up.")))
    reading.found += found
    logframe.has_verification, logframe.has_assumptions = has_mov, has_assumptions
    return logframe


def _level_columns(table: FoundTable, raws: Sequence[RawRow]) -> tuple[int | None, int | None]:
    """The unmapped columns left of the indicator holding the level and the objective."""
    indicator = table.field_column("indicator")
    left = [c.index for c in table.columns
            if c.field is None and indicator is not None and c.index < indicator.index]
    level_col = None
    for col in left:
        values = [v for raw in raws if not is_blank(v := _cell(raw, col))]
        if values and sum(parse_level(v) is not None for v in values) * 2 > len(values):
            level_col = col
            break
    titles = {c.index: c.title for c in table.columns}

    def is_ref(col: int) -> bool:
        values = [str(v).strip() for raw in raws if not is_blank(v := _cell(raw, col))]
        return bool(_REF_TITLE.match(titles.get(col, "").strip())) or (
            bool(values) and all(_REF.match(v) or _NUMERIC.match(v) for v in values))

    summary_col = next((c for c in left if c != level_col and not is_ref(c) and (
        level_col is None or c > level_col)), None)
    return level_col, summary_col


def _cell(raw: RawRow, col: int | None) -> CellValue:
    if col is None:
        return None
    return next((c.value for c in [*raw.cells.values(), *raw.extra.values()] if c.col == col),
                None)


def _context_level(raw: RawRow) -> tuple[Level, str] | None:
    for key, value in raw.context.items():
        for text in (value, key):
            level = parse_level(text)
            if level is not None:
                return level, str(text)
    return None


def _preface(book: Workbook, sheet: Sheet, table: FoundTable) -> list[LogframeRow]:
    """Levels written above the table's header: 'Impact | statement', 'Goal: statement'."""
    rows: list[LogframeRow] = []
    for r in range(table.header_rows[0]):
        texts = [(c, _text(v)) for c, v in enumerate(sheet.rows[r])
                 if isinstance(v, str) and v.strip()]
        if not texts:
            continue
        col, first = texts[0]
        key, _, rest = first.partition(":")
        level, summary = parse_level(first), (texts[1][1] if len(texts) > 1 else "")
        if level is None and rest.strip():
            level, summary = parse_level(key), rest.strip()
        if level is not None and summary:
            rows.append(LogframeRow(
                level=level, level_text=key.strip() if rest and summary == rest.strip()
                else first, summary=summary,
                source=Source(file=str(book.path), sheet=sheet.name, row=r + 1,
                              cell=a1(r, col))))
    return rows


def _table_rows(ctx: Context, book: Workbook, raws: Sequence[RawRow], level_col: int | None,
                summary_col: int | None, logframe: Logframe) -> None:
    current: LogframeRow | None = None
    for raw in raws:
        level_text = _text(_cell(raw, level_col))
        level = parse_level(level_text) if level_text else None
        if level is None and (found := _context_level(raw)) is not None:
            level, level_text = found
        summary = _text(_cell(raw, summary_col))
        figures, _result = build_indicators(ctx, raw, INDICATOR_FIELDS, str(book.path))
        if current is None or (level_text, summary, _ref(raw)) != (
                current.level_text, current.summary, current.ref):
            current = LogframeRow(
                level=level, level_text=level_text, summary=summary, ref=_ref(raw),
                assumptions=_titled(raw, _ASSUMPTIONS),
                source=Source(file=str(book.path), sheet=raw.sheet, row=raw.row + 1,
                              cell=a1(raw.row, summary_col if summary_col is not None
                                      else (level_col or 0))))
            logframe.rows.append(current)
        named = raw.cells.get("indicator")
        where = Source(file=str(book.path), sheet=raw.sheet, row=raw.row + 1,
                       cell=a1(raw.row, named.col) if named is not None else "")
        current.indicators += _indicators(figures, _titled(raw, _VERIFICATION),
                                          _verification_in_comment(raw), where)


def _titled(raw: RawRow, pattern: re.Pattern[str]) -> str:
    """The text of the row's unmapped column whose title matches ``pattern``."""
    for title, cell in raw.extra.items():
        if pattern.search(title) and isinstance(cell.value, str):
            return _text(cell.value)
    return ""


def _ref(raw: RawRow) -> str:
    """The row's reference ('1.2', or 3 typed as a number), from a Ref / No. column."""
    for title, cell in raw.extra.items():
        if _REF_TITLE.match(title.strip()) and not is_blank(cell.value):
            value = cell.value
            return f"{value:g}" if isinstance(value, float) else _text(value)
    return ""


def _verification_in_comment(raw: RawRow) -> bool:
    return bool(_VERIFICATION.search(raw.titles.get("indicator_comment", "")))


def _indicators(figures: Sequence[IndicatorValue], verification: str, comment_is_mov: bool,
                where: Source) -> list[LogframeIndicator]:
    """The figures of one row, as indicators: a breakdown column of a target spread over
    periods ('Target 2024/25 Q1') is a milestone of its indicator."""
    out: dict[str, LogframeIndicator] = {}
    for f in figures:
        key = f"{f.indicator}\x00{f.breakdown if f.breakdown.startswith('line ') else ''}"
        indicator = out.get(key)
        if indicator is None:
            indicator = out[key] = LogframeIndicator(
                name=f.indicator, line=f.breakdown if f.breakdown.startswith("line ") else "",
                status=None, verification=f.comment if comment_is_mov else verification,
                comment="" if comment_is_mov else f.comment, source=where)
        if f.breakdown and not f.breakdown.startswith("line "):
            indicator.milestones.append(Milestone(
                label=f.breakdown, value=f.target if f.target is not None else f.value))
            continue
        indicator.baseline, indicator.baseline_text = f.baseline, f.baseline_text
        indicator.target, indicator.target_text = f.target, f.target_text
        indicator.achieved, indicator.achieved_text = f.value, f.text
        indicator.status = f.reported_rag
    return list(out.values())


def _source(book: Workbook, raw: RawRow, key: str) -> Source:
    cell = raw.cells.get(key)
    return Source(file=str(book.path), sheet=raw.sheet, row=raw.row + 1,
                  cell=a1(raw.row, cell.col) if cell is not None else "")


def _text(value: object) -> str:
    return "" if is_blank(value) else " ".join(str(value).split()) if "\n" not in str(value) \
        else str(value).strip()


def _norm(value: object) -> str:
    return " ".join(str(value).lower().replace("*", " ").split())

