"""The core never imports a spreadsheet or document library; every code is catalogued."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from xlperf.cli import app
from xlperf.issues import CATALOGUE, catalogue_markdown

SRC = Path(__file__).resolve().parents[1] / "src" / "xlperf"
CORE = ["model", "values", "periods", "issues", "cells", "grid", "schema", "rag", "check",
        "tables", "headers", "extract", "consolidate", "partnership", "figures", "matrix",
        "logframe", "results_chain", "indicators", "privacy"]
BLOCKED = ["openpyxl", "python_calamine", "xlsxwriter", "docx", "xlwings", "pandas"]


def test_core_imports_with_spreadsheet_libraries_blocked() -> None:
    code = (
        "import sys\n"
        f"for name in {BLOCKED!r}:\n"
        "    sys.modules[name] = None\n"
        f"for mod in {CORE!r}:\n"
        "    __import__('xlperf.' + mod)\n"
        "print('core ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "core ok" in result.stdout


def test_every_issue_code_used_in_the_source_is_in_the_catalogue() -> None:
    used: set[str] = set()
    pattern = re.compile(r"""(?:issue|add)\(\s*\n?\s*["']([a-z0-9]+(?:-[a-z0-9]+)+)["']""")
    for path in SRC.rglob("*.py"):
        used |= set(pattern.findall(path.read_text()))
    problems = {"percent-out-of-range", "date-unreadable", "date-impossible", "date-month-first",
                "date-ambiguous-year", "rag-unknown", "number-unreadable", "period-unreadable"}
    missing = (used | problems) - set(CATALOGUE)
    assert not missing, f"codes used but not catalogued: {sorted(missing)}"
    assert len(used) > 20


def test_the_issue_codes_page_is_generated_from_the_catalogue() -> None:
    page = (SRC.parents[1] / "docs" / "issue-codes.md").read_text()
    assert page == catalogue_markdown(), "regenerate: xlperf codes --markdown > docs/issue-codes.md"
    for code in CATALOGUE:
        assert f"`{code}`" in page


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    commands = ["check", "consolidate", "rag", "template", "demo", "codes", "report", "serve"]
    for name in commands:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert "Example: xlperf " + name in " ".join(result.output.split()), name


def test_the_readme_lists_every_command() -> None:
    import click
    import typer

    group = typer.main.get_command(app)
    names = group.list_commands(click.Context(group))
    readme = (SRC.parents[1] / "README.md").read_text()
    assert "serve" in names
    for name in names:
        assert f"| `xlperf {name}" in readme, f"README's command table lacks xlperf {name}"
