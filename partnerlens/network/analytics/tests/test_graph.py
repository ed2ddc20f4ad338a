"""The input: slicing by date, membership ties, validation; and core–periphery's fit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import least_squares

from partnerlens.network.analytics import (
    betweenness,
    graph,
    organisations,
    partnerships,
    structural_holes,
    system,
)
from partnerlens.network.analytics.graph import Memberships, Network, NetworkError, Ties
from partnerlens.network.analytics.tests.generated import ON, network


def test_a_tie_is_active_from_its_start_until_the_day_before_its_end():
    ties = Ties.build(
        [0, 0, 1],
        [1, 2, 2],
        start=["2024-01-01", None, "2024-01-01"],
        end=["2024-07-01", None, None],
    )
    net = Network.build([1, 2, 3], ties)
    assert len(net.at("2023-12-31").ties) == 1  # only the undated, open one
    assert len(net.at("2024-01-01").ties) == 3
    assert len(net.at("2024-06-30").ties) == 3
    assert len(net.at("2024-07-01").ties) == 2


def test_membership_ties_join_every_pair_over_the_time_both_were_members():
    members = Memberships.build(
        [0, 0, 0, 1, 1],
        [0, 1, 2, 2, 3],
        start=["2020-01-01", "2021-01-01", "2020-01-01", "2022-01-01", "2022-01-01"],
        end=[None, "2023-01-01", "2020-06-01", None, None],
    )
    ties = graph.membership_ties(members, level_by_type=[4, 1], partnership_type=[1, 0])
    got = sorted(
        zip(
            ties.src.tolist(),
            ties.dst.tolist(),
            ties.start.astype(str).tolist(),
            ties.end.astype(str).tolist(),
            ties.level.tolist(),
            strict=True,
        )
    )
    # 1–2 never overlapped (2 left before 1 joined): no tie.
    assert got == [
        (0, 1, "2021-01-01", "2023-01-01", 1),
        (0, 2, "2020-01-01", "2020-06-01", 1),
        (2, 3, "2022-01-01", "NaT", 4),
    ]
    assert not ties.answered.any()
    assert (ties.source == graph.MEMBERSHIP).all()


def test_a_tie_to_an_organisation_that_is_not_there_is_refused():
    with pytest.raises(NetworkError):
        Network.build([1, 2], Ties.build([0], [2]))
    with pytest.raises(NetworkError):
        Network.build([1, 2], Ties.build([0], [1]), area=[1])


def test_mismatched_pairs_match_a_loop_over_the_answers():
    now = network(4).at(ON)
    t = now.ties
    deepest = {}
    for a, b, level in zip(
        t.src[t.answered].tolist(),
        t.dst[t.answered].tolist(),
        t.level[t.answered].tolist(),
        strict=True,
    ):
        deepest[a, b] = max(level, deepest.get((a, b), -1))
    expected = sorted(
        [a, b, la, deepest[b, a]]
        for (a, b), la in deepest.items()
        if a < b and (b, a) in deepest and abs(la - deepest[b, a]) >= 2
    )
    got = partnerships.mismatched_pairs(now).tolist()
    assert got == expected
    assert got  # the generator makes some


def test_a_perfect_core_and_periphery_is_found_with_a_perfect_fit():
    # Members 0-2 all tied to each other and to everyone; 3-6 tied only to the core.
    a = np.zeros((7, 7))
    a[:3, :] = a[:, :3] = 1
    np.fill_diagonal(a, 0)
    cp = partnerships.core_periphery(a)
    assert cp.core.tolist() == [True] * 3 + [False] * 4
    assert cp.fit == pytest.approx(1.0)
    assert np.allclose(cp.coreness[:3], 1.0)
    assert (cp.coreness[3:] < 1).all()


def test_coreness_is_the_least_squares_fit_of_the_ties_off_the_diagonal():
    rng = np.random.default_rng(5)
    a = (rng.random((12, 12)) < 0.4).astype(float)
    a = np.triu(a, 1)
    a = a + a.T
    cp = partnerships.core_periphery(a)
    off = ~np.eye(12, dtype=bool)

    def residual(c):
        return (a - np.outer(c, c))[off]

    tight = {"xtol": 1e-15, "ftol": 1e-15, "gtol": 1e-15}
    best = least_squares(residual, a.sum(axis=1) / 12, **tight).x
    best = np.abs(best) / np.abs(best).max()
    assert np.allclose(cp.coreness, best, atol=1e-6)


def test_all_or_nothing_gives_no_pattern_to_fit():
    assert partnerships.core_periphery(np.zeros((5, 5))).method == partnerships.NO_PATTERN
    full = np.ones((5, 5)) - np.eye(5)
    assert partnerships.core_periphery(full).method == partnerships.NO_PATTERN


def test_a_network_without_ties_has_every_organisation_isolated_and_alone():
    members = Memberships.build([0], [1], answered=True)
    net = Network.build([7, 8, 9], Ties.build([], []), members)
    u, v, w = graph.weighted_pairs(3, net.ties)
    assert np.isnan(structural_holes.structural_holes(3, u, v, w).constraint).all()
    assert betweenness.betweenness(3, u, v).estimate.tolist() == [0, 0, 0]
    assert system.components(3, u, v).sizes.tolist() == [1, 1, 1]
    result = organisations.measures(net, "2025-01-01")
    assert (result.isolation == organisations.NO_TIE).all()
    assert result.partnerships.tolist() == [0, 1, 0]
    (alone,) = partnerships.measures(net)
    assert alone.response_rate == 1.0
    assert np.isnan(alone.density)
    assert alone.core_periphery.method == partnerships.TOO_SMALL
    assert partnerships.mismatched_pairs(net).shape == (0, 4)


def test_a_network_without_organisations_has_no_measures_and_no_error():
    net = Network.build([], Ties.build([], []))
    u, v, w = graph.weighted_pairs(0, net.ties)
    assert structural_holes.structural_holes(0, u, v, w).constraint.shape == (0,)
    assert betweenness.betweenness(0, u, v).estimate.shape == (0,)
    assert system.components(0, u, v).count == 0
    assert organisations.measures(net, "2025-01-01").isolation.shape == (0,)
    assert partnerships.measures(net) == []
