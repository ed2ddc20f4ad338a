"""How old outcome data are: periods as the importers store them, whole years, the warning."""

from __future__ import annotations

from datetime import date

import pytest

from partnerlens.brokerage.outcome_age import outcome_age, outcome_periods, parse_period


@pytest.mark.parametrize(
    ("text", "ends", "label"),
    [
        ("2018-19", date(2019, 8, 31), "2018/19"),
        ("2022/23", date(2023, 8, 31), "2022/23"),
        ("1999-2000", date(2000, 8, 31), "1999/00"),
        ("2019", date(2019, 12, 31), "2019"),
        ("2025-03-01", date(2025, 3, 1), "2025-03-01"),
    ],
)
def test_periods_are_read_as_they_are_stored(text, ends, label):
    period = parse_period(text)
    assert (period.ends, period.label) == (ends, label)


@pytest.mark.parametrize("text", ["", "spring", "2025-13-40", "19-20"])
def test_an_unreadable_period_is_left_out(text):
    assert parse_period(text) is None


def test_the_age_counts_whole_years_from_the_end_of_the_period():
    assert outcome_age(["2022-23"], today=date(2026, 12, 5)).years == 3
    assert outcome_age(["2022-23"], today=date(2026, 8, 30)).years == 2
    assert outcome_age(["2022-23"], today=date(2026, 8, 31)).years == 3


def test_the_oldest_period_sets_the_warning():
    age = outcome_age(["2018-19", "2023-24", "x"], today=date(2026, 12, 5), stale_after=2)
    assert (age.oldest.label, age.newest.label, age.years) == ("2018/19", "2023/24", 7)
    assert age.stale and not age.single
    fresh = outcome_age(["2024-25"], today=date(2026, 12, 5), stale_after=2)
    assert fresh.years == 1 and not fresh.stale and fresh.single
    assert outcome_age(["nonsense"], today=date(2026, 12, 5)) is None


def test_only_outcome_data_sources_count():
    sources = [
        {"source": "outcome_data", "date": "2018-19"},
        {"source": "broker", "date": "2026-12-01"},
        {"source": "outcome_data", "date": ""},
    ]
    assert outcome_periods(sources) == {"2018-19"}
