"""The steps behind the commands and the Excel buttons: options checked (a misuse is a
:class:`UsageError`, exit 2), files read (with a progress bar on a terminal), and the
main job, :func:`run_consolidation`, from a folder of returns to the partnership
workbook.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from xlperf.batch import read_many, skipped_result, walk
from xlperf.console import err, plural, print_summary
from xlperf.consolidate import Consolidation, FileResult, consolidate
from xlperf.indicators import IndicatorSpec
from xlperf.issues import Issue
from xlperf.model import Logframe, Partnership
from xlperf.partnership import PartnershipError, load_partnership
from xlperf.rag import RagRules, RulesError, load_rules
from xlperf.values import parse_date


class UsageError(Exception):
    """The command was misused (exit 2)."""


def as_of_date(text: str | None) -> date:
    if not text:
        return date.today()
    parsed = parse_date(text)
    if parsed.value is None or parsed.value.precision != "day":
        raise UsageError(f"--as-of '{text}' is not a date; use dd/mm/yyyy.")
    return parsed.value.start


def load_rule_set(path: Path | None) -> RagRules:
    try:
        return load_rules(path)
    except RulesError as exc:
        raise UsageError(str(exc)) from exc


def load_members(path: Path | None) -> Partnership | None:
    if path is None:
        return None
    try:
        return load_partnership(path)
    except PartnershipError as exc:
        raise UsageError(str(exc)) from exc


def existing(paths: list[Path]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"Not found: {', '.join(missing)}")
    return paths


def progress_bar(total: int, label: str) -> Progress | None:
    if not err.is_terminal or total < 2:
        return None
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.description}"), console=err, transient=True)


def read_all(paths: list[Path], rules: RagRules, as_of: date,
              partnership: Partnership | None, jobs: int, password: str | None,
              exclude: tuple[Path, ...] = (), redact: bool = False, logframes: bool = False
              ) -> list[FileResult]:
    files, skipped = walk(existing(paths), exclude)
    results = [skipped_result(p) for p in skipped]
    bar = progress_bar(len(files), "Reading")
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


def run_consolidation(paths: list[Path], output: Path, as_of: date, rules: RagRules,
                      partnership: Partnership | None, jobs: int = 1,
                      password: str | None = None, redact: bool = False,
                      framework: Path | None = None, force: bool = False,
                      logframe: Path | None = None) -> Consolidation:
    from xlperf.write.atomic import OutputError, check_output
    from xlperf.write.partnership_workbook import write_partnership_workbook

    files, skipped = walk(existing(paths))
    try:
        check_output(output, files, force=force)
    except OutputError as exc:
        raise UsageError(str(exc)) from exc
    if not files:
        what = f" ({plural(len(skipped), 'file')} skipped: not spreadsheets)" if skipped else ""
        raise UsageError(f"No spreadsheets found in {', '.join(str(p) for p in paths)}"
                         f"{what}: nothing to consolidate, nothing written.")
    # the framework and the logframe first: a wrong file fails before the long read
    planned = load_framework(framework, rules, as_of) if framework is not None else None
    chosen = load_logframe(logframe, rules, as_of) if logframe is not None else None
    results = read_all(paths, rules, as_of, partnership, jobs, password, exclude=(output,),
                        redact=redact)
    data = consolidate(results, as_of, rules, partnership)
    data.root = common_root(paths)
    if planned is not None:
        data.framework, problems, links = planned
        data.issues.extend(problems)
        data.check_units()
        data.check_results_chain(links, str(framework))
    if chosen is not None:
        data.issues.extend(chosen[1])
        data.check_logframe(chosen[0])
    write_partnership_workbook(data, output)
    print_summary(data, output)
    return data


def load_framework(path: Path, rules: RagRules, as_of: date
               ) -> tuple[dict[str, IndicatorSpec], list[Issue],
                          list[tuple[str, str, list[str], str, int]]]:
    from xlperf.extract import read_framework, template_marker
    from xlperf.read import UnreadableFile, read_workbook

    try:
        book = read_workbook(existing([path])[0])
    except UnreadableFile as exc:
        raise UsageError(str(exc)) from exc
    marker = template_marker(book)
    if marker is None or marker[0] != "indicator-framework":
        raise UsageError(f"--framework {path.name} is not an indicator framework; make one "
                         "with 'xlperf template indicator-framework -o FILE'.")
    found = read_framework(book, rules, as_of)
    return found.specs, found.issues, found.links


def load_logframe(path: Path, rules: RagRules, as_of: date) -> tuple[Logframe, list[Issue]]:
    """The logframe in ``path`` (the first, when the workbook holds one per sheet)."""
    from xlperf.logframe import read_logframe
    from xlperf.read import UnreadableFile, read_workbook

    try:
        book = read_workbook(existing([path])[0])
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


def common_root(paths: list[Path]) -> str:
    """The folder file names are shown relative to (the inputs' common folder)."""
    import os

    folders = [str(p.resolve() if p.is_dir() else p.resolve().parent) for p in paths]
    root = os.path.commonpath(folders) if folders else ""
    return str(Path(root)) + os.sep if root else ""
