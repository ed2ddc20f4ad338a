"""Seeded random networks for the reference tests: several components, isolates, asymmetric
answers with ratings, support ties, memberships, and ties that ended before the test day."""

from __future__ import annotations

import numpy as np

from partnerlens.network.analytics import graph
from partnerlens.network.analytics.graph import Memberships, Network, Ties

ON = graph.day("2025-03-01")


def network(seed: int, n: int = 60, partnerships: int = 8) -> Network:
    rng = np.random.default_rng(seed)
    # Two blocks that never meet, and the last few organisations with no tie: components.
    block = (np.arange(n) >= n // 2).astype(int)
    lonely = np.arange(n) >= n - 4
    part_rows, node_rows = [], []
    for p in range(partnerships):
        pool = np.flatnonzero((block == p % 2) & ~lonely)
        members = rng.choice(pool, size=rng.integers(3, 9), replace=False)
        part_rows += [p] * len(members)
        node_rows += list(members)
    part = np.array(part_rows)
    nodes = np.array(node_rows)
    answered = rng.random(len(nodes)) < 0.7
    memberships = Memberships.build(part, nodes, asked=True, answered=answered, start="2020-01-01")
    src, dst, where = [], [], []
    for p in range(partnerships):
        members = nodes[(part == p) & answered]
        everyone = nodes[part == p]
        for a in members:
            for b in everyone:
                if a != b and rng.random() < 0.6:
                    src.append(a)
                    dst.append(b)
                    where.append(p)
    k = len(src)
    trust = np.where(rng.random(k) < 0.8, rng.integers(1, 6, k), np.nan)
    value = np.where(rng.random(k) < 0.8, rng.integers(1, 6, k), np.nan)
    # A quarter of the answers ended before ON: they count for history only.
    end = np.where(rng.random(k) < 0.25, np.datetime64("2024-06-01"), np.datetime64("NaT"))
    answers = Ties.build(
        src,
        dst,
        level=rng.integers(1, 5, k),
        source=graph.RELATIONSHIP,
        partnership=where,
        trust=trust,
        value=value,
        start="2021-01-01",
        end=end,
    )
    s = rng.choice(np.flatnonzero(~lonely), size=(6, 2))
    s = s[block[s[:, 0]] == block[s[:, 1]]]
    support = Ties.build(s[:, 0], s[:, 1], level=3, source=graph.SUPPORT, start="2022-01-01")
    ptype = rng.integers(0, 3, partnerships)
    ties = Ties.concat(answers, support, graph.membership_ties(memberships))
    area = rng.integers(0, 4, n)
    kind = np.where(rng.random(n) < 0.85, graph.SCHOOL, graph.OTHER)
    return Network.build(
        1000 + np.arange(n),
        ties,
        memberships,
        area=area,
        kind=kind,
        partnership_type=ptype,
    )
