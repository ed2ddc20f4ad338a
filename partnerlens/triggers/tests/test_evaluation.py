"""The pure evaluation: tiers from thresholds, changes between the two latest periods,
categories, idempotency, recurring concerns and the heatmap's cells."""

from __future__ import annotations

from datetime import date

import pytest

from partnerlens.triggers import evaluation as engine
from partnerlens.triggers.evaluation import Observation as Obs

ABSENCE = {"universal": 0.5, "targeted": 1.0, "intensive": 2.0}


def rule(kind=engine.ATTENDANCE_FALL, thresholds=None, pk=7):
    return engine.Rule(pk, kind, ABSENCE if thresholds is None else thresholds)


@pytest.mark.parametrize(
    ("severity", "tier"),
    [(0.49, None), (0.5, "universal"), (0.99, "universal"), (1.0, "targeted"), (2.5, "intensive")],
)
def test_a_school_reaches_the_highest_tier_whose_threshold_it_meets(severity, tier):
    assert engine.tier_for(severity, ABSENCE) == tier


def test_a_tier_without_a_threshold_is_skipped():
    assert engine.tier_for(5.0, {"universal": None, "targeted": 3.0, "intensive": None}) == (
        "targeted"
    )
    assert engine.tier_for(5.0, {"universal": None, "targeted": None, "intensive": None}) is None


def test_rounding_does_not_keep_a_school_below_a_threshold_it_meets():
    # 5.3 - 5.0 is 0.2999999999999998 in floating point
    found = engine.evaluate(
        rule(thresholds={"universal": 0.3}), [Obs(1, "2018-19", 5.0), Obs(1, "2019-20", 5.3)]
    )
    assert [f.tier for f in found] == ["universal"]


def test_a_rise_in_absence_fires_and_a_fall_does_not():
    rows = [
        Obs(1, "2017-18", 4.0),
        Obs(1, "2018-19", 5.2),  # 1.2 points more absence
        Obs(2, "2017-18", 6.0),
        Obs(2, "2018-19", 4.0),  # attendance improved
    ]
    found = engine.evaluate(rule(), rows)
    assert [(f.school_id, f.tier, f.severity) for f in found] == [(1, "targeted", 1.2)]
    assert (found[0].period_before, found[0].period_now) == ("2017-18", "2018-19")
    assert (found[0].value_before, found[0].value_now) == (4.0, 5.2)


def test_only_the_two_latest_periods_are_compared_in_time_order():
    rows = [Obs(1, "2018-19", 9.0), Obs(1, "2016-17", 3.0), Obs(1, "2017-18", 8.5)]
    found = engine.evaluate(rule(), rows)
    assert [(f.period_before, f.period_now, f.tier) for f in found] == [
        ("2017-18", "2018-19", "universal")
    ]


def test_a_missing_figure_is_passed_over_not_read_as_zero():
    rows = [Obs(1, "2016-17", 5.0), Obs(1, "2017-18", 5.1), Obs(1, "2018-19", None)]
    found = engine.evaluate(rule(), rows)
    assert found == []  # 2016-17 -> 2017-18 is 0.1; the blank year is not a fall to 0


def test_a_single_year_raises_nothing():
    assert engine.evaluate(rule(), [Obs(1, "2018-19", 30.0)]) == []


def test_a_drop_in_progress_fires_on_a_fall_not_a_rise():
    progress = rule(engine.PROGRESS_DROP, {"universal": 0.25, "targeted": 0.5})
    rows = [
        Obs(1, "2017-18", 0.2),
        Obs(1, "2018-19", -0.4),
        Obs(2, "2017-18", -0.4),
        Obs(2, "2018-19", 0.2),
    ]
    found = engine.evaluate(progress, rows)
    assert [(f.school_id, f.tier) for f in found] == [(1, "targeted")]
    assert found[0].severity == pytest.approx(0.6)


def test_a_theme_drop_reports_the_theme_that_fell_furthest():
    theme = rule(engine.THEME_DROP, {"universal": 0.3})
    rows = [
        Obs(1, "2026-03-31", 3.0, measure="purpose"),
        Obs(1, "2026-10-31", 2.8, measure="purpose"),
        Obs(1, "2026-03-31", 3.2, measure="practice"),
        Obs(1, "2026-10-31", 2.5, measure="practice"),
    ]
    found = engine.evaluate(theme, rows)
    assert [(f.measure, f.severity) for f in found] == [("practice", pytest.approx(0.7))]


def test_a_welsh_category_fires_at_amber_and_red():
    category = rule(engine.WALES_CATEGORY, {"targeted": 3, "intensive": 4})
    rows = [
        Obs(1, "2018-19", text="Green"),
        Obs(1, "2019-20", text="Amber"),
        Obs(2, "2019-20", text="Red"),
        Obs(3, "2019-20", text="Yellow"),
    ]
    found = engine.evaluate(category, rows)
    assert [(f.school_id, f.tier, f.text_before, f.text_now) for f in found] == [
        (1, "targeted", "Green", "Amber"),
        (2, "intensive", "", "Red"),
    ]


def test_a_review_judgement_reads_the_latest_known_judgement():
    review = rule(engine.REVIEW_JUDGEMENT, {"targeted": 3, "intensive": 4})
    rows = [
        Obs(1, "2024-01-01", text="Good"),
        Obs(1, "2025-01-01", text="Requires improvement"),
        Obs(2, "2025-01-01", text="Not yet inspected"),
    ]
    found = engine.evaluate(review, rows)
    assert [(f.school_id, f.tier, f.severity) for f in found] == [(1, "targeted", 3.0)]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown"):
        engine.evaluate(rule("weather"), [])


def test_the_same_data_never_raise_the_same_trigger_twice():
    rows = [
        Obs(1, "2017-18", 4.0),
        Obs(1, "2018-19", 6.5),
        Obs(2, "2017-18", 4.0),
        Obs(2, "2018-19", 5.0),
    ]
    first = engine.evaluate(rule(), rows)
    assert len(engine.unseen(first, [])) == 2
    raised = [f.key for f in first]
    again = engine.evaluate(rule(), rows)
    assert engine.unseen(again, raised) == []
    # a new year is new data: school 1 fires again, for the new comparison only
    later = engine.evaluate(rule(), [*rows, Obs(1, "2019-20", 7.5)])
    fresh = engine.unseen(later, raised)
    assert [(f.school_id, f.period_before, f.period_now) for f in fresh] == [
        (1, "2018-19", "2019-20")
    ]


def test_duplicate_findings_in_one_batch_are_kept_once():
    finding = engine.evaluate(rule(), [Obs(1, "2017-18", 4.0), Obs(1, "2018-19", 6.5)])[0]
    assert engine.unseen([finding, finding], []) == [finding]


def test_a_school_is_a_recurring_concern_only_in_more_than_one_period():
    fired = [(1, "2017-18"), (1, "2018-19"), (2, "2018-19"), (2, "2018-19"), (3, "2016-17")]
    assert engine.recurring(fired) == {1: ["2017-18", "2018-19"]}


def test_only_open_triggers_past_their_deadline_are_overdue():
    today = date(2026, 12, 6)
    assert engine.overdue(date(2026, 12, 5), "open", today)
    assert not engine.overdue(date(2026, 12, 6), "open", today)
    assert not engine.overdue(date(2026, 12, 1), "acknowledged", today)
    assert not engine.overdue(date(2026, 12, 1), "resolved", today)


def test_a_heatmap_cell_shows_the_highest_unresolved_tier_and_every_trigger():
    cells = engine.heatmap(
        [
            (1, 7, "intensive", "resolved", False),
            (1, 7, "universal", "open", True),
            (1, 7, "targeted", "acknowledged", False),
            (2, 7, "targeted", "resolved", False),
        ]
    )
    assert cells[(1, 7)] == engine.Cell("targeted", 3, True)
    assert cells[(2, 7)] == engine.Cell(None, 1, False)
