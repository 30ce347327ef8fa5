"""What the `xlperf` commands print: one file's findings, logframes read, issue tables,
the consolidation's summary. rich draws the tables (plain text when not a terminal).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from xlperf.consolidate import RAG_ORDER, Consolidation, FileResult, FileStatus
from xlperf.issues import Issue, Severity
from xlperf.model import Action, Level, Logframe

out = Console()
err = Console(stderr=True)


def print_file(result: FileResult) -> None:
    if result.skipped:
        out.print(result.issues[0].message, highlight=False, markup=False, soft_wrap=True)
        print_logframes(result.logframes)
        if len(result.issues) > 1:
            issue_table(result.issues[1:])
        return
    out.print()
    out.print(f"[bold]{result.path}[/bold]", highlight=False, soft_wrap=True)
    reading = result.reading
    if reading is None:
        for issue in result.issues:
            out.print(f"[red]Cannot read:[/red] {issue.message}", markup=True, highlight=False)
        return
    kind = f"xlperf {reading.template}" if reading.template else "other workbook"
    found = "; ".join(f"{t.kind} table in '{t.sheet}' at {t.header} "
                      f"({plural(t.rows, 'row')})" for t in reading.tables) or "no tables"
    out.print(f"{kind}: {found}", highlight=False, markup=False)
    print_logframes(result.logframes)
    issue_table(result.all_issues)


def print_logframes(logframes: list[Logframe]) -> None:
    """One line per logframe read: its objectives by level and what its indicators hold."""
    for lf in logframes:
        levels = Counter(r.level.value if r.level else "unknown level" for r in lf.rows
                         if r.summary or r.indicators)
        pairs = [i for _, i in lf.indicators]
        held = [("a baseline", sum(i.baseline is not None or bool(i.baseline_text)
                                   for i in pairs)),
                ("a target or milestones", sum(i.target is not None
                                               or bool(i.target_text or i.milestones)
                                 for i in pairs)),
                ("an achieved value", sum(i.achieved is not None or bool(i.achieved_text)
                                          for i in pairs))]
        chain = ", ".join(plural(levels[lv.value], lv.value, "Activities"
                                 if lv is Level.ACTIVITY else "") for lv in Level
                          if levels[lv.value]) or "nothing filled in"
        figures = "; ".join(f"{n} with {what}" for what, n in held if n)
        out.print(f"{lf.layout} in '{lf.sheet}': {chain}; {plural(len(pairs), 'indicator')}"
                  + (f" ({figures})" if figures else ""), highlight=False, markup=False,
                  soft_wrap=True)


def issue_table(issues: list[Issue]) -> None:
    if not any(i.severity is not Severity.INFO for i in issues):
        out.print("No problems found." + (" Notes:" if issues else ""))
    if not issues:
        return
    table = Table(show_lines=False, pad_edge=False)
    for title in ("Severity", "Sheet", "Cell", "Code", "Message"):
        table.add_column(title, overflow="fold")
    colour = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
    for i in issues:
        table.add_row(f"[{colour[i.severity]}]{i.severity.value}[/]", i.sheet, i.cell, i.code,
                      i.message.replace("[", r"\["))
    out.print(table)


def severity_text(counts: dict[str, int]) -> str:
    return ", ".join(plural(counts.get(s.value, 0), s.value, "info" if s is Severity.INFO
                            else "") for s in Severity)


def print_counts(issues: list[Issue]) -> None:
    counts = Counter(i.severity.value for i in issues)
    out.print(severity_text(dict(counts)), highlight=False)


# --- consolidate -----------------------------------------------------------------------------


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def print_summary(data: Consolidation, output: Path) -> None:
    by_status = Counter(s.status for s in data.submissions)
    read = sum(1 for s in data.submissions if s.status is not FileStatus.SKIPPED)
    counts = ", ".join(f"{by_status[st]} {st.value}" for st in FileStatus
                       if st is not FileStatus.SKIPPED and by_status[st])
    lines = [f"Files: {plural(read, 'file')} read ({counts or 'none'}); "
             f"{by_status[FileStatus.SKIPPED]} skipped."]
    for s in data.submissions:
        if s.status is FileStatus.REJECTED:
            lines.append(f"  rejected {data.display(s.file)}: {s.note}")
    lines += [
        f"Rows: {data.rows_in} in = {data.rows_out} used + {data.rows_rejected} rejected + "
        f"{data.rows_unused} unused form rows + {data.rows_superseded} in superseded returns.",
        f"Written: {plural(len(data.actions), 'action')}, "
        f"{plural(len(data.indicators), 'indicator figure')} (a row can hold several), "
        f"{plural(len(data.finance), 'finance line')}, "
        f"{plural(len(data.narratives), 'narrative')}.",
        "Issues: " + severity_text(data.severity_counts()) + ".",
    ]
    rags = Counter(r.item.computed_rag.value if r.item.computed_rag else "Not rated"
                   for r in data.current_actions() if isinstance(r.item, Action))
    if rags:
        order = [w for w in RAG_ORDER if rags[w]]
        lines.append(f"Computed RAG as of {data.as_of:%d/%m/%Y}, latest period reported "
                     f"{data.period or '(none stated)'}: "
                     + ", ".join(f"{rags[w]} {w}" for w in order) + ".")
    if data.missing:
        lines.append("Not submitted for " + data.period + ": "
                     + ", ".join(a for a, _ in data.missing) + ".")
    lines.append(f"Workbook: {output.resolve()}")
    for line in lines:
        print(line)


# --- template, rag, demo, codes ---------------------------------------------------------------
