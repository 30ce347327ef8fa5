"""The `xlperf` command: check, consolidate, rag, template, demo, report, codes, serve.

The steps behind the commands are in :mod:`xlperf.pipeline`, what they print in
:mod:`xlperf.console`.

typer gives typed options and help from the signatures; rich draws the tables and
the progress bar (only on a terminal). Exit codes: 0 fine, 1 problems found in the
data (errors), 2 a file could not be read at all or the command was misused.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from xlperf import __version__
from xlperf.console import (
    err,
    out,
    plural,
    print_counts,
    print_file,
)
from xlperf.consolidate import FileStatus
from xlperf.issues import Severity, catalogue_markdown
from xlperf.pipeline import (
    UsageError,
    as_of_date,
    existing,
    load_framework,
    load_members,
    load_rule_set,
    read_all,
    run_consolidation,
)
from xlperf.read import ReaderUnavailable

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="xlperf: check, RAG-rate and consolidate partnership action plans "
                       "and agency monitoring returns.")

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

    rule_set, day = load_rule_set(rules), as_of_date(as_of)
    specs = load_framework(framework, rule_set, day)[0] if framework is not None else None
    results = read_all(paths, rule_set, day, None, 1, password, logframes=True)
    if specs is not None:
        for result in results:
            for lf in result.logframes:
                result.issues += check_chain(lf, specs)
    issues = [i for r in results for i in r.all_issues]
    if as_json:
        print(json.dumps([i.as_dict() for i in issues], indent=2, ensure_ascii=False))
    else:
        for result in results:
            print_file(result)
        print_counts(issues)
    unreadable = any(r.reading is None and not r.skipped for r in results)
    errors = any(i.severity is Severity.ERROR for i in issues)
    raise typer.Exit(2 if unreadable else 1 if errors else 0)


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
    data = run_consolidation(paths, output, as_of_date(as_of), load_rule_set(rules),
                             load_members(partnership), jobs, password, redact, framework,
                             force, logframe)
    bad = any(s.status is FileStatus.REJECTED for s in data.submissions)
    raise typer.Exit(1 if bad or data.severity_counts()["error"] else 0)


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
    write_template(TEMPLATES[kind], output, load_rule_set(rules))
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

    rule_set, day = load_rule_set(rules), as_of_date(as_of)
    result = read_all([existing([path])[0]], rule_set, day, None, 1, password,
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
                                 as_of_date(as_of), load_rule_set(None),
                                 load_members(root / "partnership.toml"),
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
    day = as_of_date(as_of) if as_of else None
    members = load_members(partnership)
    if agency and members is not None:  # an alias ('NP') names its member
        agency = members.canonical_agency(agency) or agency
    try:
        data, consolidated = load_report_data(existing([workbook])[0], load_rule_set(rules), day,
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
        data = select(data, agency)  # one agency: its returns' errors only
        written = write_report(data, kind, output, fmt=fmt.lower() if fmt else None,
                               templates=templates, inputs=[workbook], force=force)
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
