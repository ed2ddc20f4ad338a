"""Conflicts of interest: one code per rule, in a fixed order, empty when free."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerlens.reviews.analytics import conflicts as co

ON = dt.date(2026, 12, 6)
HOST = co.Party(id="hillside", groups=frozenset({"oak-trust"}))
FREE = co.Party(id="ana", school="valley", employer="valley", groups=frozenset({"elm-trust"}))


def test_a_reviewer_from_elsewhere_is_free():
    assert co.conflicts(FREE, HOST, on=ON) == ()


def test_a_reviewer_from_the_host_school_is_conflicted():
    own = co.Party(id="ben", school="hillside")
    assert co.conflicts(own, HOST, on=ON) == (co.OWN_SCHOOL,)


def test_a_reviewer_employed_by_the_host_is_line_managed_by_it():
    employed = co.Party(id="cat", employer="hillside")
    assert co.conflicts(employed, HOST, on=ON) == (co.LINE_MANAGEMENT,)


def test_a_known_line_management_link_is_a_conflict():
    links = {("ana", "hillside")}
    assert co.conflicts(FREE, HOST, on=ON, line_management=links) == (co.LINE_MANAGEMENT,)
    assert co.conflicts(FREE, HOST, on=ON, line_management={("ana", "other")}) == ()


def test_sharing_a_trust_or_federation_is_a_conflict():
    same = co.Party(id="dan", school="brook", groups=frozenset({"fed-9", "oak-trust"}))
    assert co.conflicts(same, HOST, on=ON) == (co.SAME_TRUST,)


def test_being_employed_by_the_hosts_trust_is_a_conflict():
    central = co.Party(id="eve", employer="oak-trust")
    assert co.conflicts(central, HOST, on=ON) == (co.SAME_TRUST,)


@pytest.mark.parametrize(
    ("reviewed_on", "conflicted"),
    [
        (dt.date(2026, 1, 10), True),
        (dt.date(2024, 12, 7), True),  # a day inside the 24 months
        (dt.date(2024, 12, 6), False),  # exactly 24 months before
        (dt.date(2023, 5, 1), False),
        (dt.date(2027, 3, 1), True),  # an already planned review is too close as well
    ],
)
def test_a_review_of_the_same_host_within_24_months_is_a_conflict(reviewed_on, conflicted):
    past = [co.PastReview("ana", "hillside", reviewed_on)]
    expected = (co.RECENT_REVIEW,) if conflicted else ()
    assert co.conflicts(FREE, HOST, on=ON, past_reviews=past) == expected


def test_recent_reviews_of_other_hosts_or_by_others_do_not_count():
    past = [co.PastReview("ana", "brook", ON), co.PastReview("ben", "hillside", ON)]
    assert co.conflicts(FREE, HOST, on=ON, past_reviews=past) == ()


def test_the_window_can_be_shortened():
    past = [co.PastReview("ana", "hillside", dt.date(2025, 6, 1))]
    assert co.conflicts(FREE, HOST, on=ON, past_reviews=past, months=12) == ()
    assert co.conflicts(FREE, HOST, on=ON, past_reviews=past, months=24) == (co.RECENT_REVIEW,)


def test_every_rule_at_once_lists_every_code_in_order():
    everything = co.Party(
        id="fay", school="hillside", employer="hillside", groups=frozenset({"oak-trust"})
    )
    past = [co.PastReview("fay", "hillside", dt.date(2026, 3, 1))]
    assert co.conflicts(everything, HOST, on=ON, past_reviews=past) == co.CODES


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert co.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert co.months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert co.months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
