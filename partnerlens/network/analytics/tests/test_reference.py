"""Every measure against a reference computation (networkx, or a plain loop over the ties) on
seeded generated networks with isolates, several components, asymmetric answers and weights."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pytest

from partnerlens.network.analytics import (
    betweenness,
    graph,
    organisations,
    partnerships,
    structural_holes,
    system,
)
from partnerlens.network.analytics.tests.generated import ON, network

SEEDS = (1, 2, 3)


def reference_graph(net: graph.Network) -> nx.Graph:
    """The weighted graph built tie by tie: deepest level per pair, a level-less tie as 1."""
    G = nx.Graph()
    G.add_nodes_from(range(net.n_nodes))
    t = net.ties
    for a, b, level in zip(t.src.tolist(), t.dst.tolist(), t.level.tolist(), strict=True):
        if a == b:
            continue
        w = max(level, 1)
        if not G.has_edge(a, b) or G[a][b]["weight"] < w:
            G.add_edge(a, b, weight=w)
    return G


def as_array(values: dict, n: int) -> np.ndarray:
    return np.array([values[i] for i in range(n)], dtype=float)


@pytest.fixture(params=SEEDS)
def today(request):
    full = network(request.param)
    return full, full.at(ON)


def test_the_generated_networks_have_isolates_and_several_components(today):
    _, now = today
    G = reference_graph(now)
    assert nx.number_connected_components(G) >= 3
    assert any(d == 0 for _, d in G.degree())


def test_weighted_pairs_fold_the_ties_like_the_tie_by_tie_graph(today):
    _, now = today
    u, v, w = graph.weighted_pairs(now.n_nodes, now.ties)
    G = reference_graph(now)
    assert len(u) == G.number_of_edges()
    assert all(
        G[a][b]["weight"] == c for a, b, c in zip(u.tolist(), v.tolist(), w.tolist(), strict=True)
    )


def test_constraint_and_effective_size_match_networkx(today):
    _, now = today
    n = now.n_nodes
    holes = structural_holes.structural_holes(n, *graph.weighted_pairs(n, now.ties))
    G = reference_graph(now)
    expected_constraint = as_array(nx.constraint(G, weight="weight"), n)
    # nodes=... takes networkx's tie-by-tie path: its sparse path divides by the wrong maximum
    # for weighted graphs (networkx PR #8906).
    expected_size = as_array(nx.effective_size(G, nodes=list(G), weight="weight"), n)
    assert np.allclose(holes.constraint, expected_constraint, equal_nan=True)
    assert np.allclose(holes.effective_size, expected_size, equal_nan=True)
    assert np.isnan(holes.constraint).any()  # the isolates


def test_unweighted_effective_size_is_borgattis_simplification(today):
    _, now = today
    n = now.n_nodes
    u, v, _ = graph.weighted_pairs(n, now.ties)
    holes = structural_holes.structural_holes(n, u, v, np.ones(len(u)))
    G = nx.Graph(zip(u.tolist(), v.tolist(), strict=True))
    G.add_nodes_from(range(n))
    assert np.allclose(holes.effective_size, as_array(nx.effective_size(G), n), equal_nan=True)


def test_exact_betweenness_matches_networkx(today):
    _, now = today
    n = now.n_nodes
    u, v, _ = graph.weighted_pairs(n, now.ties)
    result = betweenness.betweenness(n, u, v)
    G = reference_graph(now)
    assert result.method == betweenness.EXACT
    assert np.allclose(result.estimate, as_array(nx.betweenness_centrality(G, normalized=False), n))
    assert not result.error.any()


@functools.cache
def bigger_graph(seed: int = 7) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    G = nx.connected_watts_strogatz_graph(400, 6, 0.1, seed=seed)
    G.add_nodes_from(range(400, 410))  # isolates
    u, v = np.array(list(G.edges())).T
    exact = as_array(nx.betweenness_centrality(G, normalized=False), G.number_of_nodes())
    return G.number_of_nodes(), u, v, exact


def test_sampling_every_pivot_gives_the_exact_betweenness():
    n, u, v, exact = bigger_graph()
    result = betweenness.betweenness(n, u, v, pivots=n, exact_budget=0)
    assert np.allclose(result.estimate, exact)
    assert not result.error.any()


def test_the_sampled_betweenness_is_unbiased_and_its_error_is_its_spread_for_brokers():
    n, u, v, exact = bigger_graph()
    runs = [betweenness.betweenness(n, u, v, pivots=60, exact_budget=0, seed=s) for s in range(40)]
    assert {r.method for r in runs} == {betweenness.PIVOTS}
    estimates = np.array([r.estimate for r in runs])
    errors = np.array([r.error for r in runs])
    spread = estimates.std(axis=0)
    # Unbiased: the mean of 40 estimates lies within 3 of its standard errors of the truth.
    assert (
        np.abs(estimates.mean(axis=0) - exact) <= 3 * spread / np.sqrt(40) + 1e-9
    ).mean() >= 0.95
    # The stated error is the estimate's real spread for the brokers (top tenth); for
    # peripheral organisations it is optimistic (docs/methods.md).
    brokers = exact >= np.quantile(exact, 0.9)
    ratio = errors.mean(axis=0)[brokers] / spread[brokers]
    assert 0.75 <= np.median(ratio) <= 1.25


def test_the_sampled_betweenness_error_covers_the_exact_figure_for_nine_brokers_in_ten():
    n, u, v, exact = bigger_graph()
    result = betweenness.betweenness(n, u, v, pivots=120, exact_budget=0, seed=3)
    assert result.pivots == 120
    covered = np.abs(result.estimate - exact) <= 1.96 * result.error
    brokers = exact >= np.quantile(exact, 0.9)
    assert covered[brokers].mean() >= 0.9
    # Not vacuous: the errors are a small fraction of the brokers' figures.
    assert np.median(result.error[brokers] / exact[brokers]) < 0.2


def test_components_match_networkx(today):
    _, now = today
    n = now.n_nodes
    u, v, _ = graph.weighted_pairs(n, now.ties)
    result = system.components(n, u, v)
    G = reference_graph(now)
    expected = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    assert result.sizes.tolist() == expected
    for c in nx.connected_components(G):
        assert len({result.label[i] for i in c}) == 1
    assert result.sizes[result.label[max(nx.connected_components(G), key=len).pop()]] == max(
        expected
    )


def test_partnership_density_and_ties_returned_match_networkx(today):
    _, now = today
    t, m = now.ties, now.memberships
    results = partnerships.measures(now)
    assert results
    for result in results:
        p = result.partnership
        members = set(m.node[m.partnership == p].tolist())
        answerers = set(m.node[(m.partnership == p) & m.answered].tolist())
        rows = t.answered & (t.partnership == p)
        D = nx.DiGraph()
        D.add_nodes_from(members)
        D.add_edges_from(
            (a, b)
            for a, b in zip(t.src[rows].tolist(), t.dst[rows].tolist(), strict=True)
            if a in members and b in members and a != b
        )
        assert result.arc_density == pytest.approx(nx.density(D))
        assert result.density == pytest.approx(nx.density(D.to_undirected()))
        among = D.subgraph(answerers)
        if among.number_of_edges():
            assert result.ties_returned == pytest.approx(nx.overall_reciprocity(among))
        else:
            assert np.isnan(result.ties_returned)
        assert result.response_rate == pytest.approx(len(answerers) / len(members))
        assert result.depth.sum() == D.number_of_edges()


def test_organisation_counts_and_ratings_match_a_loop_over_the_ties(today):
    full, now = today
    n = now.n_nodes
    result = organisations.measures(full, ON)
    G = reference_graph(now)
    assert result.partners.tolist() == [G.degree(i) for i in range(n)]
    t = now.ties
    for i in range(n):
        mine = (t.src == i) | (t.dst == i)
        assert result.strongest_level[i] == (t.level[mine].max() if mine.any() else -1)
        given = t.trust[(t.src == i) & t.answered]
        given = given[np.isfinite(given)]
        received = t.value[(t.dst == i) & t.answered]
        received = received[np.isfinite(received)]
        assert result.trust.given_n[i] == len(given)
        assert result.value.received_n[i] == len(received)
        if len(given):
            assert result.trust.given[i] == pytest.approx(given.mean())
        if len(received):
            assert result.value.received[i] == pytest.approx(received.mean())
        m = now.memberships
        assert result.partnerships[i] == len(set(m.partnership[m.node == i].tolist()))
        kinds = set(full.partnership_type[m.partnership[m.node == i]].tolist())
        assert result.partnership_types[i] == len(kinds)


def test_isolation_codes_follow_the_strongest_level(today):
    full, _ = today
    result = organisations.measures(full, ON)
    level = result.strongest_level
    assert (result.isolation == organisations.NO_TIE).tolist() == (level < 0).tolist()
    deep = (level >= graph.DEEP).tolist()
    assert (result.isolation == organisations.CONNECTED).tolist() == deep
    # Some were isolated by ties that ended on the generator's 2024-06-01.
    ended = result.isolated_since == np.datetime64("2024-06-01")
    assert ended.any()
    assert (result.isolated_days[ended] == (ON - np.datetime64("2024-06-01")).astype(int)).all()


def test_isolated_schools_by_area_count_the_schools_of_each_area(today):
    full, _ = today
    result = organisations.measures(full, ON)
    areas = system.isolated_schools_by_area(full.area, full.kind, result.isolation)
    for k, code in enumerate(areas.area.tolist()):
        here = (full.area == code) & (full.kind == graph.SCHOOL)
        assert areas.schools[k] == here.sum()
        assert areas.no_tie[k] == (here & (result.isolation == organisations.NO_TIE)).sum()
        assert (
            areas.no_deep_tie[k] == (here & (result.isolation == organisations.NO_DEEP_TIE)).sum()
        )
