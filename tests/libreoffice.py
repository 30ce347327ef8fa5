"""LibreOffice headless as a real client: open, recalculate, convert."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")


def convert(path: Path, to: str, outdir: Path) -> list[Path]:
    """Convert with LibreOffice headless; returns the files it wrote."""
    assert SOFFICE is not None
    profile = outdir / "lo-profile"
    before = set(outdir.iterdir()) if outdir.exists() else set()
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", to, "--outdir", str(outdir), str(path)],
                   check=True, capture_output=True, timeout=240)
    return sorted(p for p in set(outdir.iterdir()) - before if p.name != "lo-profile")


def sheets_as_csv(path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet, recalculated by LibreOffice, as rows of text (ISO dates)."""
    spec = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1"
    out: dict[str, list[list[str]]] = {}
    for file in convert(path, spec, outdir):
        if file.suffix == ".csv":
            prefix = path.stem + "-"
            sheet = file.stem[len(prefix):] if file.stem.startswith(prefix) else file.stem
            with file.open(newline="", encoding="utf-8") as f:
                out[sheet] = list(csv.reader(f))
    return out
