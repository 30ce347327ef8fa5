"""Indicator maths, checked against figures worked out by hand."""

from __future__ import annotations

from xlperf.indicators import (
    Direction,
    Figure,
    IndicatorSpec,
    RagBands,
    Target,
    Unit,
    summarise,
    target_between,
)
from xlperf.values import DateValue, Rag

FY25 = DateValue.of_fy(2025)  # April 2025 to March 2026
Q1, Q2, Q3 = (DateValue.of_quarter(2025, q) for q in (1, 2, 3))
Q4_PREV = DateValue.of_quarter(2024, 4)  # January to March 2025


def test_a_yearly_target_is_taken_pro_rata_by_months() -> None:
    spec = IndicatorSpec("Staff trained", targets=(Target(120, FY25),))
    assert target_between(spec, Q1.start, Q1.end) == 30  # 120 x 3/12
    figures = [Figure("Council", Q1, 28), Figure("Council", Q2, 35)]
    s = summarise(spec, figures, Q2)
    assert (s.actual, s.target, s.target_to_date, s.year_to_date) == (35, 30, 60, 63)
    assert s.percent_of_target == 105.0  # 63 / 60
    assert s.change_from_last == 7
    assert s.rag is Rag.GREEN


def test_a_target_over_two_years_and_one_for_the_quarter() -> None:
    two_years = DateValue(FY25.start, DateValue.of_fy(2026).end, "fy")
    spec = IndicatorSpec("Referrals", targets=(Target(240, two_years),))
    assert target_between(spec, Q1.start, Q1.end) == 30  # 240 x 3/24
    quarterly = IndicatorSpec("Referrals", targets=(Target(12, Q3),))
    assert target_between(quarterly, Q3.start, Q3.end) == 12
    assert target_between(quarterly, Q2.start, Q2.end) is None


def test_year_to_date_restarts_in_april() -> None:
    spec = IndicatorSpec("NRM referrals", baseline=8)
    figures = [Figure("Police", Q4_PREV, 10), Figure("Police", Q1, 7)]
    s = summarise(spec, figures, Q1)
    assert s.year_to_date == 7  # not 17: January to March belongs to 2024/25
    assert s.change_from_last == -3  # 7 - 10, across the year boundary
    assert s.change_from_baseline == -1


def test_a_proportion_across_agencies_is_pooled_not_averaged() -> None:
    spec = IndicatorSpec("Staff trained (share)", unit=Unit.PROPORTION,
                         targets=(Target(0.5, FY25),))
    figures = [Figure("A", Q2, numerator=30, denominator=40),  # 75%
               Figure("B", Q2, numerator=10, denominator=60)]  # 16.7%
    s = summarise(spec, figures, Q2)
    assert s.actual == 0.4  # 40 / 100, not the mean of 75% and 16.7% (45.8%)
    assert s.target_to_date == 0.5  # a rate is not pro-rated
    assert s.rag is Rag.AMBER  # 0.4 is 20% short of 0.5
    assert not s.may_double_count
    only_a = summarise(spec, figures, Q2, agency="A")
    assert only_a.actual == 0.75 and only_a.rag is Rag.GREEN


def test_counts_summed_across_agencies_say_they_may_double_count() -> None:
    spec = IndicatorSpec("Victims referred")
    s = summarise(spec, [Figure("Police", Q2, 9), Figure("Haven", Q2, 11)], Q2)
    assert s.actual == 20 and s.may_double_count and s.agencies == ["Haven", "Police"]


def test_lower_is_better_and_configurable_bands() -> None:
    spec = IndicatorSpec("Days to first support", Unit.COUNT, Direction.LOWER,
                         (Target(10, Q2),))

    def rag(value: float, bands: RagBands | None = None) -> Rag | None:
        return summarise(spec, [Figure("A", Q2, value)], Q2, bands=bands).rag
    assert rag(9) is Rag.GREEN  # better than target
    assert rag(11.2) is Rag.GREEN  # 12% over: within 15%
    assert rag(12.5) is Rag.AMBER  # 25% over
    assert rag(14) is Rag.RED  # 40% over
    assert rag(11.2, RagBands(green_within=0.10, amber_within=0.20)) is Rag.AMBER


def test_a_qualitative_indicator_carries_its_reported_rating_only() -> None:
    spec = IndicatorSpec("Quality of campaign feedback", unit=Unit.RATING)
    s = summarise(spec, [Figure("Council", Q2, rating=Rag.AMBER)], Q2)
    assert s.rag is Rag.AMBER and s.actual is None
