"""The pure rules of "what moved": academic years around a start date, pairing schools,
and the direction of a change."""

from __future__ import annotations

import math
from datetime import date

from partnerlens.actions import movement


def test_a_year_that_spans_the_start_is_neither_before_nor_after():
    periods = ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    assert movement.periods_around(periods, date(2024, 1, 10)) == ("2022-23", "2024-25")


def test_a_start_on_the_first_of_september_counts_that_year_as_after():
    assert movement.periods_around(["2022-23", "2023-24"], date(2023, 9, 1)) == (
        "2022-23",
        "2023-24",
    )


def test_no_year_after_yet_is_said():
    before, after = movement.periods_around(["2020-21", "not a year"], date(2023, 1, 1))
    assert (before, after) == ("2020-21", None)


def test_only_schools_with_a_figure_in_both_years_are_averaged():
    rows = [
        (1, "2022-23", 10.0),
        (1, "2024-25", 8.0),
        (2, "2022-23", 6.0),
        (2, "2024-25", 5.0),
        (3, "2022-23", 50.0),  # no figure after: left out
        (4, "2024-25", None),
    ]
    before, after, n = movement.paired_means(rows, "2022-23", "2024-25")
    assert (before, after, n) == (8.0, 6.5, 2)


def test_no_pairs_give_no_numbers():
    before, after, n = movement.paired_means([(1, "2022-23", 3.0)], "2022-23", "2024-25")
    assert math.isnan(before) and math.isnan(after) and n == 0


def test_a_fall_in_absence_is_in_the_direction_hoped_for():
    fell = movement.compare(8.0, 6.5, lower_is_better=True)
    assert fell.direction == movement.DOWN and fell.better is True and fell.change == -1.5
    rose = movement.compare(3.1, 3.4)
    assert rose.direction == movement.UP and rose.better is True
    worse = movement.compare(3.4, 3.1)
    assert worse.direction == movement.DOWN and worse.better is False


def test_a_missing_figure_says_why_and_gives_no_direction():
    assert movement.compare(None, 3.0).direction == movement.NO_BEFORE
    assert movement.compare(3.0, None).direction == movement.NO_AFTER
    hidden = movement.compare(3.0, None, missing=movement.HIDDEN)
    assert hidden.direction == movement.HIDDEN and hidden.better is None and hidden.change is None
    assert movement.compare(3.0, 3.0).direction == movement.LEVEL
