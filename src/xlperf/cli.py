"""The `xlperf` command: check, consolidate, rag, template, demo, codes.

typer gives typed options and help from the signatures; rich draws the tables and
the progress bar (only on a terminal). Exit codes: 0 fine, 1 problems found in the
data (errors), 2 a file could not be read at all or the command was misused.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from xlperf import __version__
from xlperf.batch import read_many, skipped_result, walk
from xlperf.consolidate import RAG_ORDER, Consolidation, FileResult, FileStatus, consolidate
from xlperf.indicators import IndicatorSpec
from xlperf.issues import Issue, Severity, catalogue_markdown
from xlperf.model import Action, Level, Logframe, Partnership
from xlperf.partnership import PartnershipError, load_partnership
from xlperf.rag import RagRules, RulesError, load_rules
from xlperf.read import ReaderUnavailable
from xlperf.values import parse_date

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="xlperf: check, RAG-rate and consolidate partnership action plans "
                       "and agency monitoring returns.")
out = Console()
err = Console(stderr=True)

AsOf = Annotated[Optional[str], typer.Option(  # noqa: UP045 (typer needs Optional)
    "--as-of", help="Date RAG is worked out at, dd/mm/yyyy or yyyy-mm-dd (default: today).")]
Rules = Annotated[Optional[Path], typer.Option(  # noqa: UP045
    "--rules", help="A TOML file overriding the default RAG rules.")]
Password = Annotated[Optional[str], typer.Option(  # noqa: UP045
    "--password", help="Password to open encrypted workbooks.")]
Force = Annotated[bool, typer.Option(
    "--force", help="Replace the output even if it exists and xlperf did not write it.")]
Redact = Annotated[bool, typer.Option(
    "--redact", help="Mask likely personal data (names with titles, dates of birth, phone "
                     "numbers, emails, postcodes, NI numbers) in every output.")]


class UsageError(Exception):
    """The command was misused (exit 2)."""


def _as_of(text: str | None) -> date:
    if not text:
        return date.today()
    parsed = parse_date(text)
    if parsed.value is None or parsed.value.precision != "day":
        raise UsageError(f"--as-of '{text}' is not a date; use dd/mm/yyyy.")
    return parsed.value.start


def _rules(path: Path | None) -> RagRules:
    try:
        return load_rules(path)
    except RulesError as exc:
        raise UsageError(str(exc)) from exc


def _partnership(path: Path | None) -> Partnership | None:
    if path is None:
        return None
    try:
        return load_partnership(path)
    except PartnershipError as exc:
        raise UsageError(str(exc)) from exc


def _paths(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"Not found: {', '.join(missing)}")
    return paths


def _progress(total: int, label: str) -> Progress | None:
    if not err.is_terminal or total < 2:
        return None
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.description}"), console=err, transient=True)


def _read_all(paths: list[Path], rules: RagRules, as_of: date,
              partnership: Partnership | None, jobs: int, password: str | None,
              exclude: tuple[Path, ...] = (), redact: bool = False, logframes: bool = False
              ) -> list[FileResult]:
    files, skipped = walk(_paths(paths), exclude)
    results = [skipped_result(p) for p in skipped]
    bar = _progress(len(files), "Reading")
    if bar is None:
        results += read_many(files, rules, as_of, partnership, jobs, password, redact=redact,
                             logframes=logframes)
        return results
    with bar:
        task = bar.add_task("", total=len(files))
        results += read_many(files, rules, as_of, partnership, jobs, password,
                             progress=lambda p: bar.update(task, advance=1, description=p.name),
                             redact=redact, logframes=logframes)
    return results


# --- check ---------------------------------------------------------------------------------


@app.command()
def check(
    paths: Annotated[list[Path], typer.Argument(help="Workbooks or folders to check.",
                                                metavar="PATH")],
    as_of: AsOf = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print issues as a JSON list.")] = False,
    rules: Rules = None,
    password: Password = None,
    framework: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--framework", help="The partnership's indicator framework: a logframe's "
                            "indicators are checked against it (in the framework, at a "
                            "level they fit, the same target).")] = None,
) -> None:
    """Check workbooks and list every problem with its file, sheet and cell.

    Example: xlperf check returns/ --as-of 14/10/2026

    Exit code 0: no errors; 1: errors found; 2: a file could not be read at all.
    """
    from xlperf.results_chain import check_chain

    rule_set, day = _rules(rules), _as_of(as_of)
    specs = _framework(framework, rule_set, day)[0] if framework is not None else None
    results = _read_all(paths, rule_set, day, None, 1, password, logframes=True)
    if specs is not None:
        for result in results:
            for lf in result.logframes:
                result.issues += check_chain(lf, specs)
    issues = [i for r in results for i in r.all_issues]
    if as_json:
        print(json.dumps([i.as_dict() for i in issues], indent=2, ensure_ascii=False))
    else:
        for result in results:
            _print_file(result)
        _print_counts(issues)
    unreadable = any(r.reading is None and not r.skipped for r in results)
    errors = any(i.severity is Severity.ERROR for i in issues)
    raise typer.Exit(2 if unreadable else 1 if errors else 0)


def _print_file(result: FileResult) -> None:
    if result.skipped:
        out.print(result.issues[0].message, highlight=False, markup=False, soft_wrap=True)
        _print_logframes(result.logframes)
        if len(result.issues) > 1:
            _issue_table(result.issues[1:])
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
    _print_logframes(result.logframes)
    _issue_table(result.all_issues)


def _print_logframes(logframes: list[Logframe]) -> None:
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


def _issue_table(issues: list[Issue]) -> None:
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


def _print_counts(issues: list[Issue]) -> None:
    counts = Counter(i.severity.value for i in issues)
    out.print(severity_text(dict(counts)), highlight=False)


# --- consolidate -----------------------------------------------------------------------------


@app.command(name="consolidate")
def consolidate_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Folders and files of agency returns.",
                                                metavar="DIR_OR_FILE")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The partnership workbook "
                                         "to write (.xlsx).")],
    as_of: AsOf = None,
    partnership: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--partnership", help="TOML file listing member agencies and sub-groups.")] = None,
    rules: Rules = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=64,
                                      help="Files read in parallel (processes).")] = 1,
    password: Password = None,
    redact: Redact = False,
    force: Force = False,
    framework: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--framework", help="The partnership's indicator framework (made from xlperf's "
                            "template): units, directions and targets for the summary.")
    ] = None,
    logframe: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--logframe", help="The partnership's logframe (xlperf's template, a logframe table "
                           "or a results framework): checked along the results chain and "
                           "written as a Logframe sheet with the latest figures.")
    ] = None,
) -> None:
    """Consolidate a folder of agency returns into one partnership workbook.

    Example: xlperf consolidate returns/ -o partnership.xlsx --partnership partnership.toml

    Exit code 0: written; 1: written, but some files were rejected or had errors;
    2: nothing could be written.
    """
    data = run_consolidation(paths, output, _as_of(as_of), _rules(rules),
                             _partnership(partnership), jobs, password, redact, framework,
                             force, logframe)
    bad = any(s.status is FileStatus.REJECTED for s in data.submissions)
    raise typer.Exit(1 if bad or data.severity_counts()["error"] else 0)


def run_consolidation(paths: list[Path], output: Path, as_of: date, rules: RagRules,
                      partnership: Partnership | None, jobs: int = 1,
                      password: str | None = None, redact: bool = False,
                      framework: Path | None = None, force: bool = False,
                      logframe: Path | None = None) -> Consolidation:
    from xlperf.write.atomic import OutputError, check_output
    from xlperf.write.partnership_workbook import write_partnership_workbook

    files, skipped = walk(_paths(paths))
    try:
        check_output(output, files, force=force)
    except OutputError as exc:
        raise UsageError(str(exc)) from exc
    if not files:
        what = f" ({plural(len(skipped), 'file')} skipped: not spreadsheets)" if skipped else ""
        raise UsageError(f"No spreadsheets found in {', '.join(str(p) for p in paths)}"
                         f"{what}: nothing to consolidate, nothing written.")
    # the framework and the logframe first: a wrong file fails before the long read
    planned = _framework(framework, rules, as_of) if framework is not None else None
    chosen = _logframe(logframe, rules, as_of) if logframe is not None else None
    results = _read_all(paths, rules, as_of, partnership, jobs, password, exclude=(output,),
                        redact=redact)
    data = consolidate(results, as_of, rules, partnership)
    data.root = _common_root(paths)
    if planned is not None:
        data.framework, problems, links = planned
        data.issues.extend(problems)
        data.check_units()
        data.check_results_chain(links, str(framework))
    if chosen is not None:
        data.issues.extend(chosen[1])
        data.check_logframe(chosen[0])
    write_partnership_workbook(data, output)
    _print_summary(data, output)
    return data


def _framework(path: Path, rules: RagRules, as_of: date
               ) -> tuple[dict[str, IndicatorSpec], list[Issue],
                          list[tuple[str, str, list[str], str, int]]]:
    from xlperf.extract import read_framework, template_marker
    from xlperf.read import UnreadableFile, read_workbook

    try:
        book = read_workbook(_paths([path])[0])
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from exc
    marker = template_marker(book)
    if marker is None or marker[0] != "indicator-framework":
        raise UsageError(f"--framework {path.name} is not an indicator framework; make one "
                         "with 'xlperf template indicator-framework -o FILE'.")
    found = read_framework(book, rules, as_of)
    return found.specs, found.issues, found.links


def _logframe(path: Path, rules: RagRules, as_of: date) -> tuple[Logframe, list[Issue]]:
    """The logframe in ``path`` (the first, when the workbook holds one per sheet)."""
    from xlperf.logframe import read_logframe
    from xlperf.read import UnreadableFile, read_workbook

    try:
        book = read_workbook(_paths([path])[0])
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from exc
    found = read_logframe(book, rules, as_of)
    if not found.logframes:
        raise UsageError(f"--logframe {path.name} holds no logframe xlperf recognises: no "
                         "Goal/Purpose/Output levels beside indicators. Make one with "
                         "'xlperf template logframe -o FILE'.")
    chosen = found.logframes[0]
    if len(found.logframes) > 1:
        err.print(f"{path.name} holds {len(found.logframes)} logframes (one per sheet); "
                  f"using the one in '{chosen.sheet}'.", highlight=False, markup=False)
    return chosen, [i for i in found.issues if i.sheet in ("", chosen.sheet)]


def _common_root(paths: list[Path]) -> str:
    """The folder file names are shown relative to (the inputs' common folder)."""
    import os

    folders = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    root = os.path.commonpath(folders) if folders else ""
    return str(Path(root)) + os.sep if root else ""


def plural(n: int, word: str, many: str = "") -> str:
    return f"{n} {word if n == 1 else many or word + 's'}"


def _print_summary(data: Consolidation, output: Path) -> None:
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


@app.command()
def template(
    kind: Annotated[str, typer.Argument(
        help="action-plan, monitoring-return, indicator-framework, logframe or "
             "care-pathway.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .xlsx file to write.")],
    rules: Rules = None,
    force: Force = False,
) -> None:
    """Write a blank xlperf template.

    Example: xlperf template monitoring-return -o return_2025-26_Q1.xlsx
    """
    from xlperf.schema import TEMPLATES
    from xlperf.write.atomic import OutputError, check_output
    from xlperf.write.templates import write_template

    if kind not in TEMPLATES:
        raise UsageError(f"Unknown template '{kind}'; choose one of: {', '.join(TEMPLATES)}.")
    try:
        check_output(output, force=force)
    except OutputError as exc:
        raise UsageError(str(exc)) from exc
    write_template(TEMPLATES[kind], output, _rules(rules))
    out.print(f"Wrote {output.resolve()}", highlight=False)


@app.command()
def rag(
    path: Annotated[Path, typer.Argument(help="An action plan or return.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the copy.")],
    as_of: AsOf = None,
    rules: Rules = None,
    password: Password = None,
    redact: Redact = False,
    force: Force = False,
) -> None:
    """Write the computed RAG into a copy of an action plan.

    Example: xlperf rag action_plan.xlsx -o action_plan_rated.xlsx --as-of 31/03/2026

    A plan made from xlperf's template is copied with its Computed RAG column filled in;
    any other workbook gets a new workbook of its actions with both RAGs, so its own
    formatting is never at risk.
    """
    from xlperf.write.rag_copy import write_rag

    rule_set, day = _rules(rules), _as_of(as_of)
    result = _read_all([_paths([path])[0]], rule_set, day, None, 1, password,
                       redact=redact)[0]
    if result.reading is None:
        err.print(result.all_issues[0].message if result.all_issues else "Cannot read.",
                  highlight=False, markup=False)
        raise typer.Exit(2)
    try:
        summary = write_rag(path, result.reading, output, day, rule_set, redact, force)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    print(summary)
    errors = sum(1 for i in result.all_issues if i.severity is Severity.ERROR)
    if errors:
        print(f"The plan has {plural(errors, 'error')}: run 'xlperf check {path}' to see them.")
    raise typer.Exit(1 if errors else 0)


@app.command()
def demo(
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "-o", "--output", help="Folder to write into (default ./xlperf-demo).")] = None,
    as_of: Annotated[str, typer.Option("--as-of", help="Date RAG is worked out at.")
                     ] = "14/10/2025",
) -> None:
    """Consolidate the bundled example partnership's returns (the main job, end to end).

    Example: xlperf demo -o /tmp/demo
    """
    from importlib import resources

    folder = (output or Path("xlperf-demo")).resolve()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; the demo writes into a folder (-o FOLDER).")
    folder.mkdir(parents=True, exist_ok=True)
    examples = resources.files("xlperf") / "examples"
    with resources.as_file(examples) as root:
        data = run_consolidation([root / "returns"], folder / "partnership_workbook.xlsx",
                                 _as_of(as_of), _rules(None),
                                 _partnership(root / "partnership.toml"),
                                 framework=root / "indicator_framework.xlsx",
                                 logframe=root / "logframe.xlsx")
    from xlperf.report import from_consolidation
    from xlperf.report.output import write_report
    from xlperf.write.atomic import OutputError

    briefing = from_consolidation(data)
    try:
        for name in ("briefing.docx", "briefing.md"):
            write_report(briefing, "briefing", folder / name)
    except OutputError as exc:
        raise UsageError(str(exc)) from exc
    print(f"Board briefing: {folder / 'briefing.docx'} (and briefing.md beside it)")
    print(f"Example returns: {examples / 'returns'}")


@app.command(name="report")
def report_cmd(
    workbook: Annotated[Path, typer.Argument(
        help="A partnership workbook from xlperf consolidate, or one agency's return.",
        metavar="WORKBOOK")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The report to write: "
                                         ".docx, .md or .html.")],
    kind: Annotated[str, typer.Option("--kind", help="4ps (Progress, Problems, Priorities, "
                                      "Points for action), briefing or annual.")
                    ] = "briefing",
    agency: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--agency", help="Only this agency's returns (its name as in the workbook, or an "
                         "alias from --partnership).")] = None,
    fmt: Annotated[Optional[str], typer.Option(  # noqa: UP045
        "--format", help="docx, md or html (default: from the output's name).")] = None,
    templates: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--templates", help="A folder of .j2 templates that replace the shipped ones "
                            "of the same name (docs/reports.md).")] = None,
    partnership: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--partnership", help="TOML file of member agencies and sub-groups.")] = None,
    as_of: AsOf = None,
    rules: Rules = None,
    password: Password = None,
    redact: Redact = False,
    force: Force = False,
) -> None:
    """Write a Word-ready report: the 4Ps progress report, the board briefing or the
    annual report, as .docx, Markdown or HTML.

    Example: xlperf report partnership_workbook.xlsx --kind briefing -o briefing.docx

    --as-of applies to a single return; a partnership workbook carries its own date.
    Exit code 0: written; 1: written, but the data has errors (see its Issues sheet);
    2: nothing could be written.
    """
    from xlperf.read import UnreadableFile
    from xlperf.report import KINDS, UnknownAgency, select
    from xlperf.report.load import NotAReturn, load_report_data
    from xlperf.report.output import write_report
    from xlperf.report.readback import WorkbookShapeError
    from xlperf.report.render import TemplateProblem
    from xlperf.write.atomic import OutputError

    if kind not in KINDS:
        raise UsageError(f"Unknown report kind '{kind}'; choose one of: {', '.join(KINDS)}.")
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates {templates} is not a folder.")
    day = _as_of(as_of) if as_of else None
    members = _partnership(partnership)
    if agency and members is not None:  # an alias ('NP') names its member
        agency = members.canonical_agency(agency) or agency
    try:
        data, consolidated = load_report_data(_paths([workbook])[0], _rules(rules), day,
                                              members, password)
    except (UnreadableFile, WorkbookShapeError, NotAReturn) as exc:
        err.print(f"xlperf: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    if consolidated and day is not None:
        raise UsageError("--as-of applies to a single return; the partnership workbook "
                         f"was made as of {data.as_of:%d/%m/%Y}.")
    from xlperf.privacy import count_personal_data, redact_all

    suspects = count_personal_data(data)
    if redact:
        data = redact_all(data)
    try:
        written = write_report(select(data, agency), kind, output,
                               fmt=fmt.lower() if fmt else None, templates=templates,
                               inputs=[workbook], force=force)
    except (UnknownAgency, OutputError, TemplateProblem) as exc:
        raise UsageError(str(exc)) from exc
    print(f"Report: {output.resolve()} ({KINDS[kind]}, {written})")
    if suspects:
        print(f"{plural(suspects, 'text')} looked like personal data (names, phone numbers, "
              + ("...); masked as [redacted]." if redact else
                 "...); they are in the report as written: use --redact to mask them."))
    if data.errors:
        print(f"The data has {plural(data.errors, 'error')}; each is listed in the "
              "Issues sheet of the partnership workbook (or by xlperf check).")
    raise typer.Exit(1 if data.errors else 0)


@app.command()
def codes(
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the Markdown page.")] = False,
) -> None:
    """List every issue code xlperf can report.

    Example: xlperf codes --markdown > docs/issue-codes.md
    """
    if markdown:
        print(catalogue_markdown(), end="")
        return
    from xlperf.issues import CATALOGUE

    for code in CATALOGUE.values():
        out.print(f"{code.code:28} {code.severity.value:8} {code.title}", highlight=False)


@app.command()
def serve(
    host: Annotated[str, typer.Option(
        help="Address to listen on. 127.0.0.1: this PC only; any other needs "
             "XLPERF_SERVER_TOKEN.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    ssl_certfile: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="TLS certificate (PEM), to serve HTTPS without a reverse proxy.")] = None,
    ssl_keyfile: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="TLS private key (PEM) for --ssl-certfile.")] = None,
) -> None:
    """Serve the Excel buttons to workbooks whose Control sheet names this server
    (xlwings Server scripts, called from VBA with RunServerPython).

    Needs the excel extra (in the xlperf folder: python -m pip install ".[excel]") and
    XLWINGS_LICENSE_KEY:
    'noncommercial' where the PolyForm Noncommercial licence covers you (charities,
    public bodies), else a paid key. With XLPERF_SERVER_TOKEN set, every request must
    carry it (the xlwings setting AUTH). HTTPS and sign-in: docs/excel.md.

    Example: xlperf serve --port 8000
    """
    from xlperf.excel.server import serve as run_server

    raise typer.Exit(run_server(host, port, ssl_certfile, ssl_keyfile))


def version_callback(value: bool) -> None:
    if value:
        print(f"xlperf {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=version_callback,
                                          is_eager=True, help="Show the version.")] = False,
) -> None:
    """xlperf: performance management for anti-slavery partnerships, in Excel."""


def main() -> None:
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        code = app(standalone_mode=False)
    except (UsageError, ReaderUnavailable) as exc:
        err.print(f"xlperf: {exc}", highlight=False, markup=False)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except Exception as exc:  # usage errors from the argument parser, and the unexpected
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):  # a (vendored) click usage error
            show()
            sys.exit(2)
        if debug:
            raise
        err.print(f"xlperf: unexpected error: {exc}. Run again with --debug for details.",
                  highlight=False, markup=False)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
