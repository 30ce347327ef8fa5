"""(Re)build the macro-enabled templates workbook_templates/*.xlsm (a test checks they are
current).

    python -m pip install pyOpenVBA   # only needed here, to make the VBA project
    python tools/make_xlsm.py

The VBA project is made on any OS, without Excel, in three steps:

1. xlperf writes the workbook (template, Control sheet, buttons) with no VBA;
2. pyOpenVBA gives that workbook a VBA project as Excel does for a first macro (a
   document module for the workbook and each sheet, named ThisWorkbook, Sheet1, ...)
   and adds the module src/xlperf/excel/vba/xlperf.bas as source code;
3. xlperf writes the workbook again with that vbaProject.bin embedded by xlsxwriter,
   which names the workbook and sheets the same way.

Check the result with: olevba workbook_templates/action-plan.xlsm
"""

from __future__ import annotations

import sys
import tempfile
import zipfile
from pathlib import Path

from xlperf.excel.control import CONTROLS, VBA_MODULE
from xlperf.excel.xlsm import vba_source, write_xlsm
from xlperf.rag import load_rules
from xlperf.schema import TEMPLATES

OUT = Path(__file__).resolve().parents[1] / "workbook_templates"


def vba_project(kind: str) -> bytes:
    """vbaProject.bin for the template ``kind``: its document modules and the xlperf module."""
    try:
        from pyopenvba import ExcelFile
    except ImportError:
        sys.exit("tools/make_xlsm.py needs pyOpenVBA: python -m pip install pyOpenVBA")
    with tempfile.TemporaryDirectory() as folder:
        plain, with_vba = Path(folder) / f"{kind}.xlsm", Path(folder) / "with_vba.xlsm"
        write_xlsm(TEMPLATES[kind], plain, load_rules(), None)
        with ExcelFile(plain) as book:
            book.add_vba_project().add_module(VBA_MODULE, vba_source())
            book.save(with_vba)
        with zipfile.ZipFile(with_vba) as package:
            return package.read("xl/vbaProject.bin")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for kind in CONTROLS:  # the templates that have buttons
        path = OUT / f"{kind}.xlsm"
        write_xlsm(TEMPLATES[kind], path, load_rules(), vba_project(kind))
        print(f"Wrote {path}")


if __name__ == "__main__":
    main()
