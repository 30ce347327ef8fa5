"""Benchmark: consolidating N returns against the floor of reading and writing them.

    python bench/bench_consolidate.py [N] [--jobs J]

The baseline, measured in the same run on the same files: read every sheet's values
with python-calamine, then write the same number of output rows with xlsxwriter. The
target is xlperf consolidate taking at most 1.5 times the baseline. Machines here are
noisy, so the ratio is what to report, not the seconds.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import xlsxwriter
from python_calamine import CalamineWorkbook

from xlperf.batch import read_many, walk
from xlperf.consolidate import consolidate
from xlperf.rag import load_rules
from xlperf.schema import MONITORING_RETURN
from xlperf.write.partnership_workbook import write_partnership_workbook
from xlperf.write.templates import Fill, write_template

AS_OF = date(2025, 10, 14)


def make_returns(folder: Path, n: int) -> list[Path]:
    """N returns from the template, one agency each: 12 actions and 8 figures apiece."""
    rules = load_rules()
    template = folder / "template.xlsx"
    paths = []
    for i in range(n):
        fill = Fill(
            forms={"agency": f"Agency {i:05d}", "period": "2025/26 Q2", "submitted_by": "SPOC",
                   "submitted_on": date(2025, 10, 3), "progress": "Steady progress."},
            tables={"Actions": [{"ref": f"{a}", "action": f"Action {a}", "owner": "Team",
                                 "strand": "Protect", "due": date(2026, 1, 1 + a),
                                 "status": "In progress", "progress": 5 * a,
                                 "reported_rag": "Green"} for a in range(1, 13)],
                    "Indicators": [{"indicator": f"Indicator {k}", "value": k * 3,
                                    "target": 10} for k in range(8)]})
        write_template(MONITORING_RETURN, template, rules, fill)
        path = folder / f"return_{i:05d}.xlsx"
        shutil.copy(template, path)
        paths.append(path)
    template.unlink()
    return paths


def baseline(paths: list[Path], out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    rows: list[list[object]] = []
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows.extend(book.get_sheet_by_name(name).to_python())
    wb = xlsxwriter.Workbook(str(out))
    sheet = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write(r, c, value if isinstance(value, int | float) else str(value))
    wb.close()
    return time.perf_counter() - start, len(rows)


def xlperf_run(folder: Path, out: Path, jobs: int) -> tuple[float, int]:
    rules = load_rules()
    start = time.perf_counter()
    files, _ = walk([folder])
    data = consolidate(list(read_many(files, rules, AS_OF, None, jobs)), AS_OF, rules)
    write_partnership_workbook(data, out)
    return time.perf_counter() - start, len(data.actions) + len(data.indicators)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "returns"
        folder.mkdir()
        paths = make_returns(folder, args.n)
        base, cells = baseline(paths, Path(tmp) / "baseline.xlsx")
        ours, rows = xlperf_run(folder, Path(tmp) / "ours.xlsx", args.jobs)
    print(f"{args.n} returns: baseline (calamine read + xlsxwriter write, {cells} rows) "
          f"{base:.2f} s; xlperf consolidate (jobs={args.jobs}, {rows} rows out) {ours:.2f} s; "
          f"ratio {ours / base:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
