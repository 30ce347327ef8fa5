"""Write a report file: the format from the name (or given), checked, written atomically."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from xlperf.report import FORMATS, KINDS
from xlperf.report.data import ReportData
from xlperf.write.atomic import OutputError, atomic_path, check_output

SUFFIXES = {"docx": (".docx",), "md": (".md",), "html": (".html", ".htm")}


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format asked for, or the one the file name says."""
    if fmt:
        if fmt not in FORMATS:
            raise OutputError(f"Unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
        return fmt
    suffix = path.suffix.lower()
    found = next((f for f, names in SUFFIXES.items() if suffix in names), None)
    if found is None:
        raise OutputError(f"{path.name}: reports are written as .docx, .md or .html; name "
                          f"the output like {path.stem}.docx, or give --format.")
    return found


def write_report(data: ReportData, kind: str, path: Path, *, fmt: str | None = None,
                 templates: Path | None = None, inputs: Sequence[Path] = (),
                 produced: date | None = None, force: bool = False) -> str:
    """Write the report; returns the format written. Raises OutputError (where it cannot
    be written) and TemplateProblem (a template that cannot be filled)."""
    if kind not in KINDS:
        raise OutputError(f"Unknown report kind '{kind}'; choose one of: {', '.join(KINDS)}.")
    fmt = format_for(path, fmt)
    check_output(path, list(inputs), suffixes=SUFFIXES[fmt], force=force)
    with atomic_path(path) as tmp:
        if fmt == "docx":
            from xlperf.report.docx import write_docx

            write_docx(data, kind, tmp, templates, produced)
        else:
            from xlperf.report.render import render

            tmp.write_text(render(data, kind, fmt, templates, produced), encoding="utf-8")
    return fmt
