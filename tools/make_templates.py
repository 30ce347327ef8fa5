"""Regenerate the committed templates in workbook_templates/ (a test checks they are current).

    python tools/make_templates.py
"""

from __future__ import annotations

from pathlib import Path

from xlperf.rag import load_rules
from xlperf.schema import TEMPLATES
from xlperf.write.templates import write_template

OUT = Path(__file__).resolve().parents[1] / "workbook_templates"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for kind, template in TEMPLATES.items():
        write_template(template, OUT / f"{kind}.xlsx", load_rules())
        print(f"Wrote {OUT / f'{kind}.xlsx'}")


if __name__ == "__main__":
    main()
