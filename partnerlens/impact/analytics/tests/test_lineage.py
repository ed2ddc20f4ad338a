"""A school's series across conversion and amalgamation (``analytics.lineage``), pure."""

from __future__ import annotations

import math

import pytest

from partnerlens.impact.analytics import lineage

NAN = math.nan


def test_both_spellings_of_a_link_give_the_same_predecessor():
    from_successor_row = lineage.predecessor_map([(200, 100, "Predecessor")])
    from_predecessor_row = lineage.predecessor_map([(100, 200, "Successor")])
    assert from_successor_row == from_predecessor_row == {200: frozenset({100})}


@pytest.mark.parametrize(
    "link_type",
    ["Sixth Form Centre Link", "Successor - Split School", "Other", "Closure", "Expansion"],
)
def test_links_that_do_not_carry_the_pupils_on_are_not_followed(link_type):
    assert lineage.predecessor_map([(100, 200, link_type), (200, 100, link_type)]) == {}


def test_a_converter_academy_continues_its_predecessors_years():
    preds = lineage.predecessor_map([(100, 200, "Successor")])
    observed = {100: {2016: (60.0, 30.0), 2017: (62.0, 31.0)}, 200: {2018: (70.0, 29.0)}}
    series = lineage.continued(200, observed, preds)
    assert [(p.year, p.value, p.via) for p in series] == [
        (2016, 60.0, (100,)),
        (2017, 62.0, (100,)),
        (2018, 70.0, ()),
    ]
    assert series[-1].own and not series[0].own


def test_a_year_published_under_both_urns_keeps_the_successors_figure():
    preds = {200: frozenset({100})}
    observed = {100: {2017: (50.0, 20.0)}, 200: {2017: (55.0, 21.0)}}
    [point] = lineage.continued(200, observed, preds)
    assert (point.value, point.cohort, point.via) == (55.0, 21.0, ())


def test_an_amalgamation_takes_the_cohort_weighted_mean():
    preds = lineage.predecessor_map(
        [(300, 100, "Predecessor - amalgamated"), (300, 200, "Predecessor - amalgamated")]
    )
    observed = {100: {2016: (40.0, 10.0)}, 200: {2016: (80.0, 30.0)}, 300: {2017: (65.0, 41.0)}}
    first, second = lineage.continued(300, observed, preds)
    assert first.value == pytest.approx((40 * 10 + 80 * 30) / 40)
    assert first.cohort == 40.0
    assert first.via == (100, 200)
    assert second.own


def test_an_amalgamation_with_an_unknown_cohort_takes_the_plain_mean():
    preds = {300: frozenset({100, 200})}
    observed = {100: {2016: (40.0, NAN)}, 200: {2016: (80.0, 30.0)}}
    [point] = lineage.continued(300, observed, preds)
    assert point.value == pytest.approx(60.0)
    assert math.isnan(point.cohort)


def test_a_chain_of_links_is_followed_and_a_cycle_stops():
    preds = lineage.predecessor_map(
        [(200, 100, "Predecessor"), (300, 200, "Predecessor"), (100, 300, "Predecessor")]
    )
    observed = {100: {2015: (1.0, 5.0)}, 200: {2016: (2.0, 5.0)}, 300: {2017: (3.0, 5.0)}}
    series = lineage.continued(300, observed, preds)
    assert [(p.year, p.via) for p in series] == [(2015, (100,)), (2016, (200,)), (2017, ())]
    assert lineage.lineage(300, preds) == {100, 200, 300}


def test_a_school_without_links_is_its_own_series():
    observed = {5: {2018: (1.5, 12.0)}}
    assert lineage.continued(5, observed, {}) == [lineage.Point(2018, 1.5, 12.0)]
    assert lineage.continued(6, observed, {}) == []
