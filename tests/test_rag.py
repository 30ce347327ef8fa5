from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlperf.model import Action, Status
from xlperf.rag import RulesError, compute_rag, contradicts, load_rules, rank
from xlperf.values import DateValue, Rag

RULES = load_rules()
AS_OF = date(2025, 10, 14)


def day(d: date) -> DateValue:
    return DateValue(d, d, "day")


def action(due: DateValue | None, progress: float | None = None,
           status: Status | None = None) -> Action:
    return Action(text="Train staff", due=due, progress=progress, status=status)


def test_overdue_and_not_complete_is_red() -> None:
    assert compute_rag(action(day(date(2025, 9, 30)), 60), AS_OF, RULES) is Rag.RED


def test_complete_is_complete_in_brag_and_green_in_rag_mode(tmp_path) -> None:
    done = action(day(date(2025, 9, 30)), 100)
    assert compute_rag(done, AS_OF, RULES) is Rag.COMPLETE
    rules_file = tmp_path / "rules.toml"
    rules_file.write_text('mode = "rag"\n')
    assert compute_rag(done, AS_OF, load_rules(rules_file)) is Rag.GREEN
    assert compute_rag(action(None, status=Status.COMPLETE), AS_OF, RULES) is Rag.COMPLETE


def test_due_soon_and_behind_is_amber_and_ahead_is_green() -> None:
    soon = day(AS_OF + timedelta(days=30))
    assert compute_rag(action(soon, 50), AS_OF, RULES) is Rag.AMBER
    assert compute_rag(action(soon, 80), AS_OF, RULES) is Rag.GREEN
    assert compute_rag(action(day(AS_OF + timedelta(days=31)), 0), AS_OF, RULES) is Rag.GREEN


def test_due_quarter_counts_from_its_last_day() -> None:
    q2 = DateValue(date(2025, 7, 1), date(2025, 9, 30), "quarter")
    assert compute_rag(action(q2, 10), date(2025, 9, 30), RULES) is Rag.AMBER
    assert compute_rag(action(q2, 10), date(2025, 10, 1), RULES) is Rag.RED


def test_no_due_date_is_not_rated() -> None:
    assert compute_rag(action(None, 10), AS_OF, RULES) is None


def test_reported_green_but_overdue_contradicts() -> None:
    late = action(day(date(2025, 9, 30)), 60)
    assert contradicts(Rag.GREEN, late, AS_OF)
    assert not contradicts(Rag.RED, late, AS_OF)
    assert not contradicts(Rag.GREEN, action(day(date(2025, 12, 1)), 60), AS_OF)


def test_bad_rules_file_says_what_is_wrong(tmp_path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('mode = "traffic"\n')
    with pytest.raises(RulesError, match="mode must be"):
        load_rules(bad)
    bad.write_text('[vocabulary]\nbehind = "Purple"\n')
    with pytest.raises(RulesError):
        load_rules(bad)


@given(st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.floats(0, 99),
       st.integers(0, 400), st.integers(1, 400))
def test_rag_never_improves_as_the_as_of_date_moves_on(due: date, progress: float,
                                                       before: int, step: int) -> None:
    a = action(day(due), progress)
    early = compute_rag(a, due - timedelta(days=before), RULES)
    late = compute_rag(a, due - timedelta(days=before) + timedelta(days=step), RULES)
    assert early is not None and late is not None
    assert rank(late) <= rank(early)


def test_a_cancelled_action_is_not_rated_even_when_overdue() -> None:
    from xlperf.values import parse_date

    due = parse_date("30/06/2025").value
    late = Action(text="Old plan", owner="Team", due=due, status=Status.CANCELLED, progress=20)
    assert compute_rag(late, date(2025, 10, 14), load_rules()) is None
    late.status = Status.IN_PROGRESS
    assert compute_rag(late, date(2025, 10, 14), load_rules()) is Rag.RED
