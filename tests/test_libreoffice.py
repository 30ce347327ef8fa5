"""What xlperf writes opens in LibreOffice, and the template's RAG formula agrees with xlperf."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tests.libreoffice import convert, needs_libreoffice, sheets_as_csv
from xlperf.extract import read_return
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.write.templates import Fill, write_template

AS_OF = date(2025, 10, 14)
RULES = load_rules()


def _cases() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for days in (-400, -1, 0, 1, 15, 30, 31, 90):
        for progress in (None, 0, 50, 74, 75, 100):
            for status in ("In progress", "Complete", "Cancelled", None):
                rows.append({"action": f"Case {len(rows) + 1}", "owner": "Team",
                             "due": AS_OF + timedelta(days=days), "progress": progress,
                             "status": status})
    rows.append({"action": "No due date", "owner": "Team", "progress": 10})
    return rows


@needs_libreoffice
def test_template_rag_formula_recalculated_by_libreoffice_equals_xlperf(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    write_template(TEMPLATES["action-plan"], path, RULES, Fill(tables={"Actions": _cases()}),
                   as_of=AS_OF)
    ours = read_return(read_workbook(path), RULES, AS_OF).ret
    assert ours is not None
    expected = {a.text: (a.computed_rag.value if a.computed_rag else "") for a in ours.actions}
    rows = sheets_as_csv(path, tmp_path)["Actions"]
    header = rows[0]
    got = {r[header.index("Action")]: r[header.index("Computed RAG")] for r in rows[1:]
           if r[header.index("Action")]}
    assert got == expected
    assert set(got.values()) == {"Red", "Amber", "Green", "Complete", ""}


@needs_libreoffice
def test_partnership_workbook_and_templates_open_in_libreoffice(tmp_path: Path) -> None:
    from tests.conftest import EXAMPLES
    from xlperf.partnership import load_partnership
    from xlperf.pipeline import run_consolidation

    out = tmp_path / "partnership.xlsx"
    run_consolidation([EXAMPLES / "returns"], out, AS_OF, RULES,
                      load_partnership(EXAMPLES / "partnership.toml"))
    pdf = convert(out, "pdf", tmp_path)
    assert [p.suffix for p in pdf] == [".pdf"] and pdf[0].stat().st_size > 10_000
    sheets = sheets_as_csv(out, tmp_path / "csv")
    assert {"Summary", "Actions", "Indicators", "Narrative", "Submissions", "Issues"} <= set(sheets)
    root = Path(__file__).resolve().parents[1] / "workbook_templates"
    for template in root.glob("*.xlsx"):
        assert convert(template, "pdf", tmp_path / template.stem)


@needs_libreoffice
def test_rag_updated_plans_recalculated_by_libreoffice_equal_xlperf_on_the_examples(
        tmp_path: Path) -> None:
    """Every example return, rated with `xlperf rag`: where the template's own formula is
    kept (real due dates) LibreOffice's recalculated result equals xlperf's rule."""
    from tests.conftest import EXAMPLES
    from xlperf.batch import read_one
    from xlperf.write.rag_copy import write_rag

    compared = 0
    for source in sorted((EXAMPLES / "returns").glob("*.xlsx")):
        result = read_one(source, RULES, AS_OF, None)
        assert result.reading is not None and result.reading.ret is not None
        out = tmp_path / source.name
        write_rag(source, result.reading, out, AS_OF, RULES)
        actions = sheets_as_csv(out, tmp_path / source.stem)["Actions"]
        col = actions[0].index("Computed RAG")
        got = {int(a.source.row): actions[a.source.row - 1][col]  # type: ignore[union-attr]
               for a in result.reading.ret.actions}
        want = {int(a.source.row): a.computed_rag.value if a.computed_rag else ""  # type: ignore[union-attr]
                for a in result.reading.ret.actions}
        assert got == want, source.name
        compared += len(got)
    assert compared == 30  # every action of all 13 example returns
