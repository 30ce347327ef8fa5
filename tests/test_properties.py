"""Invariants, with hypothesis: order does not matter, runs repeat, templates round-trip."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES
from xlperf.batch import read_many, walk
from xlperf.cells import is_placeholder
from xlperf.consolidate import Consolidation, consolidate
from xlperf.extract import read_return
from xlperf.model import Status, Strand
from xlperf.rag import load_rules
from xlperf.read import read_workbook
from xlperf.schema import TEMPLATES
from xlperf.values import Rag
from xlperf.write.templates import Fill, write_template

RULES = load_rules()
AS_OF = date(2025, 10, 14)
FILES, _ = walk([EXAMPLES / "returns"])
RESULTS = list(read_many(FILES, RULES, AS_OF, None))


def _fingerprint(data: Consolidation) -> tuple[object, ...]:
    return (
        sorted((r.agency, r.period, r.item.model_dump_json()) for r in data.actions),
        sorted((r.agency, r.period, r.item.model_dump_json()) for r in data.indicators),
        sorted((s.file, s.status.value, s.rows_in, s.rows_out) for s in data.submissions),
        sorted(i.model_dump_json() for i in data.issues),
        {k: dict(v) for k, v in data.rag_counts("strand").items()},
    )


EXPECTED = _fingerprint(consolidate(RESULTS, AS_OF, RULES))


@settings(max_examples=30, deadline=None)
@given(st.permutations(RESULTS))
def test_consolidation_does_not_depend_on_file_order(order: list) -> None:  # type: ignore[type-arg]
    assert _fingerprint(consolidate(order, AS_OF, RULES)) == EXPECTED


def test_consolidation_is_idempotent(tmp_path: Path) -> None:
    """Run it again, even with the last output in the folder: the same workbook values."""
    from python_calamine import CalamineWorkbook

    from xlperf.pipeline import run_consolidation

    folder = tmp_path / "returns"
    folder.mkdir()
    for path in FILES:
        (folder / path.name).write_bytes(path.read_bytes())
    first = folder / "partnership.xlsx"
    run_consolidation([folder], first, AS_OF, RULES, None)
    second = folder / "partnership_again.xlsx"
    run_consolidation([folder], second, AS_OF, RULES, None)  # first is in the folder now

    def values(path: Path) -> dict[str, list[list[object]]]:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names
                  if n != "Submissions"}
        sheets["Issues"] = [r for r in sheets["Issues"] if "file-skipped" not in r]
        return sheets

    assert values(first) == values(second)
    skipped = [r for r in CalamineWorkbook.from_path(str(second)).get_sheet_by_name(
        "Submissions").to_python() if r[3] == "skipped"]
    assert [r[2] for r in skipped] == ["partnership.xlsx"]  # its own output, listed


text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
               ).filter(lambda t: t.strip() == t and t.strip() and not t.isspace())
safe_text = text.filter(lambda t: not is_placeholder(t))
actions = st.lists(st.fixed_dictionaries({
    "ref": st.from_regex(r"[1-9]\.[1-9]", fullmatch=True),
    "action": safe_text,
    "owner": st.sampled_from(["Police", "Council", "NHS Trust", "Haven Pathways"]),
    "strand": st.sampled_from([s.value for s in Strand]),
    "due": st.dates(date(2024, 1, 1), date(2027, 12, 31)),
    "status": st.sampled_from([s.value for s in Status]),
    "progress": st.integers(0, 100),
    "reported_rag": st.sampled_from(["Red", "Amber", "Green", "Complete"]),
    "comment": safe_text,
}), min_size=1, max_size=5, unique_by=lambda a: a["ref"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actions)
def test_a_template_written_then_read_gives_back_the_same_actions(rows: list[dict]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        write_template(TEMPLATES["action-plan"], path, RULES, Fill(tables={"Actions": rows}))
        reading = read_return(read_workbook(path), RULES, AS_OF)
    assert reading.ret is not None
    got = [(a.ref, a.text, a.owner, a.strand.value if a.strand else None, a.due.start
            if a.due else None, a.status.value if a.status else None, a.progress,
            a.reported_rag, a.comment) for a in reading.ret.actions]
    want = [(r["ref"], r["action"], r["owner"], r["strand"], r["due"], r["status"],
             r["progress"], Rag(r["reported_rag"]), r["comment"]) for r in rows]
    assert got == want
