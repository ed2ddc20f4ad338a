"""The picture's force layout: fixed by its seed, scaled to the unit square."""

from __future__ import annotations

import numpy as np

from partnerlens.network.layout import force_layout


def ring(n: int):
    u = np.arange(n)
    return u, (u + 1) % n, np.ones(n)


def test_the_same_network_is_laid_out_the_same_way_every_time():
    u, v, w = ring(1200)  # past 1,000 nodes igraph uses its grid
    first, again = force_layout(1200, u, v, w), force_layout(1200, u, v, w)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    other = force_layout(1200, u, v, w, seed=2)
    assert not np.array_equal(first[0], other[0])


def test_positions_fill_the_unit_square():
    x, y = force_layout(30, *ring(30))
    assert x.min() == 0 and x.max() == 1 and y.min() == 0 and y.max() == 1


def test_tied_organisations_sit_closer_than_untied_ones():
    # Two triangles and nobody between them: each triangle keeps together.
    u, v = np.array([0, 1, 0, 3, 4, 3]), np.array([1, 2, 2, 4, 5, 5])
    x, y = force_layout(6, u, v, np.ones(6))
    points = np.column_stack([x, y])
    within = np.linalg.norm(points[0] - points[1])
    across = np.linalg.norm(points[0] - points[3])
    assert within < across


def test_no_ties_or_one_organisation_still_get_places():
    x, y = force_layout(3, np.empty(0, int), np.empty(0, int), np.empty(0))
    assert len(x) == len(y) == 3 and ((0 <= x) & (x <= 1)).all()
    assert force_layout(0, np.empty(0), np.empty(0), np.empty(0))[0].size == 0


def test_many_shallow_ties_do_not_pull_the_deep_groups_together():
    # Two trusts of five (collaboration, weight 4) inside a 40-school clique of networking
    # ties (weight 1): the layout follows the trusts, so each trust sits closer together
    # than the schools of the two trusts are to each other.
    n = 40
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    trusts = [range(0, 5), range(5, 10)]
    weight = {(a, b): 4.0 for t in trusts for a in t for b in t if a < b}
    u = np.array([a for a, _b in pairs])
    v = np.array([b for _a, b in pairs])
    w = np.array([weight.get(p, 1.0) for p in pairs])
    x, y = force_layout(n, u, v, w)
    points = np.column_stack([x, y])

    def spread(members):
        block = points[list(members)]
        return np.linalg.norm(block - block.mean(axis=0), axis=1).mean()

    between = np.linalg.norm(points[:5].mean(axis=0) - points[5:10].mean(axis=0))
    assert spread(trusts[0]) < between and spread(trusts[1]) < between
