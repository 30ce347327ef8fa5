"""Reading many files: walk folders, read each file once, optionally in parallel processes.

Streams: each worker reads one file, checks it and returns only the small
models and issues, never the grids, so memory stays flat however many returns
there are. One bad file never stops a batch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from xlperf.consolidate import FileResult
from xlperf.extract import (
    is_xlperf_output,
    read_return,
    template_marker,
)
from xlperf.issues import Where
from xlperf.logframe import check_planning_workbook, read_logframe
from xlperf.model import Partnership
from xlperf.rag import RagRules
from xlperf.read import UnreadableFile, is_lock_or_system_file, read_workbook
from xlperf.schema import INDICATOR_FRAMEWORK, PLANNING_KINDS, TEMPLATES

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".htm", ".html", ".xltx"}


@dataclass(frozen=True)
class Skip:
    """A file seen while walking that is not read, and why."""

    path: Path
    reason: str


def walk(paths: Iterable[Path], exclude: Iterable[Path] = ()) -> tuple[list[Path], list[Skip]]:
    """(files to read, files skipped with their reason), each file once, in a stable order.

    Folders are walked recursively. Lock and system files are skipped; so are files that
    are not spreadsheets by their name (a return sent as a PDF is listed, not lost), and
    ``exclude`` (the output being written).
    """
    files: list[Path] = []
    skipped: list[Skip] = []
    seen = {p.resolve() for p in exclude}
    for path in paths:
        candidates = sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()) \
            if path.is_dir() else [path]
        for p in candidates:
            key = p.resolve()
            if key in seen:
                continue
            seen.add(key)
            if is_lock_or_system_file(p):
                skipped.append(Skip(p, _lock_reason(p)))
            elif path.is_dir() and p.suffix.lower() not in SPREADSHEET_SUFFIXES:
                skipped.append(Skip(p, f"not a spreadsheet file ({p.suffix or 'no extension'}); "
                                       "if it is a return, ask for the Excel file"))
            else:
                files.append(p)
    return files, skipped


def _lock_reason(path: Path) -> str:
    if path.name.startswith(("~$", ".~lock.")):
        return "a lock file Excel or LibreOffice leaves while a workbook is open; it holds no data"
    return "a system file, not a return"


def read_one(path: Path, rules: RagRules, as_of: date, partnership: Partnership | None,
             password: str | None = None, redact: bool = False, logframes: bool = False
             ) -> FileResult:
    """Read and check one file; an unreadable file becomes a result with one clear issue.

    ``logframes`` (for `xlperf check`) also reads another workbook as a logframe and adds
    the logframe's checks when it holds one.
    """
    where = Where.of(path)
    try:
        modified = datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        modified = None
    try:
        book = read_workbook(path, password=password)
    except UnreadableFile as exc:
        if exc.code == "lock-file":  # a lock file under an ordinary name: nothing lost
            return skipped_result(Skip(path, str(exc)))
        return FileResult(str(path), issues=[where.issue("file-unreadable", reason=str(exc))],
                          modified=modified, sha256=_sha256(path))
    marker = template_marker(book)
    if marker is not None and marker[0] in PLANNING_KINDS:
        template = TEMPLATES[marker[0]]
        problems, read_as_logframes = check_planning_workbook(book, marker[0], rules, as_of)
        how = (" (give it to consolidate with --framework)"
               if marker[0] == INDICATOR_FRAMEWORK.kind else "")
        return FileResult(str(path), skipped=True, sha256=book.sha256, issues=[
            where.issue("planning-workbook", name=path.name,
                        what=_article(template.title.lower()), how=how), *problems],
                          logframes=read_as_logframes)
    if is_xlperf_output(book):
        return skipped_result(Skip(path, "a workbook xlperf wrote (a consolidated partnership "
                                         "workbook), not an agency return"))
    reading = read_return(book, rules, as_of, partnership, redact)
    result = FileResult(str(path), reading=reading, sha256=book.sha256, modified=modified)
    if logframes:
        found = read_logframe(book, rules, as_of)
        result.logframes = found.logframes
        if found.logframes:  # read as a logframe, its issues are the logframe's own
            reading.issues = [i for i in reading.issues if i.code.startswith("file-")]
        seen = {(i.sheet, i.cell, i.code, i.message) for i in reading.issues}
        result.issues += [i for i in found.issues
                          if (i.sheet, i.cell, i.code, i.message) not in seen]
    return result


def _article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def skipped_result(skip: Skip) -> FileResult:
    quoted = f"'{skip.path.name}' is "
    reason = skip.reason[len(quoted):] if skip.reason.startswith(quoted) else skip.reason
    message = f"{skip.path.name}: {reason}"
    return FileResult(str(skip.path), skipped=True, issues=[
        Where.of(skip.path).issue("file-skipped", reason=message)])


def read_many(files: Sequence[Path], rules: RagRules, as_of: date,
              partnership: Partnership | None, jobs: int = 1, password: str | None = None,
              progress: Callable[[Path], None] | None = None, redact: bool = False,
              logframes: bool = False) -> Iterator[FileResult]:
    """Read files one at a time, or ``jobs`` at a time in worker processes."""
    if jobs <= 1 or len(files) < 2:
        for path in files:
            yield read_one(path, rules, as_of, partnership, password, redact, logframes)
            if progress:
                progress(path)
        return
    # imported here: Pyodide (xlwings Lite) has no processes, and never gets this far
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        n = len(files)
        results = pool.map(read_one, files, [rules] * n, [as_of] * n, [partnership] * n,
                           [password] * n, [redact] * n, [logframes] * n,
                           chunksize=max(1, n // (jobs * 8)))
        for path, result in zip(files, results, strict=True):
            if progress:
                progress(path)
            yield result


def default_jobs() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


def _sha256(path: Path) -> str:
    import hashlib

    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
