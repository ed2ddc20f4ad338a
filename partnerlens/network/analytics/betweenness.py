# ruff: noqa: RUF002  (mathematical notation)
"""Betweenness: exact for a small graph, a pivot-sampled estimate with its standard error for a
large one (Brandes & Pich 2007).

Paths are shortest in steps on the undirected graph of all ties (a tie is a tie, whatever its
level), and each unordered pair of organisations counts once, like networkx's
``betweenness_centrality(normalized=False)``. With δ_s(v) the dependency of v on pivot s (the
share of shortest paths from s through v, halved as each pair is reached from both ends),
b(v) = Σ_s δ_s(v). Drawing k pivots uniformly without replacement from the n organisations,

    b̂(v) = (n/k) Σ_{s∈S} δ_s(v),     SE(v) = n · sqrt( (1 − k/n) · σ̂²(v) / k )

where σ̂²(v) is the variance of δ_s(v) across pivots, estimated by batch means (the pivots are
split into ``BATCHES`` groups, one library call each). b̂ is unbiased; with k = n it is exact and
its error 0. The error is a standard error, not a bound: b̂ ± 1.96·SE holds b in about 95% of
nodes, less for nodes whose betweenness rests on a few rare pivots (see docs/methods.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph
import numpy as np

EXACT, PIVOTS = "exact", "pivots"
# Exact costs one breadth-first search per organisation: n·(n + m) steps. Beyond this budget
# (about a second here) we sample.
EXACT_BUDGET = 50_000_000
DEFAULT_PIVOTS = 1024
BATCHES = 32


@dataclass(frozen=True)
class Betweenness:
    estimate: np.ndarray  # float64 per node, unnormalised (pairs)
    error: np.ndarray  # float64 per node, standard error (0 when exact)
    method: str  # EXACT or PIVOTS
    pivots: int  # sources used (n when exact)


def _graph(n: int, u: np.ndarray, v: np.ndarray) -> igraph.Graph:
    return igraph.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)


def betweenness(
    n: int,
    u: np.ndarray,
    v: np.ndarray,
    *,
    pivots: int | None = None,
    seed: int = 0,
    exact_budget: int = EXACT_BUDGET,
) -> Betweenness:
    """From ``weighted_pairs`` (weights unused). ``pivots=None``: exact within the budget,
    else DEFAULT_PIVOTS; a number >= n is exact."""
    g = _graph(n, u, v)
    if pivots is None:
        pivots = n if n * (n + len(u)) <= exact_budget else DEFAULT_PIVOTS
    if pivots >= n:
        exact = np.asarray(g.betweenness(directed=False), dtype=np.float64)
        return Betweenness(exact, np.zeros(n), EXACT, n)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(n, size=pivots, replace=False)
    batches = [b for b in np.array_split(chosen, min(BATCHES, pivots)) if len(b)]
    sums = np.array(
        [g.betweenness(directed=False, sources=b.tolist()) for b in batches], dtype=np.float64
    )
    sizes = np.array([len(b) for b in batches], dtype=np.float64)
    mean = sums.sum(axis=0) / pivots
    estimate = n * mean
    if len(batches) > 1:
        # Batch means: a batch of m pivots has variance m·σ², whatever the m.
        spread = ((sums - sizes[:, None] * mean) ** 2).sum(axis=0)
        variance = spread / pivots * len(batches) / (len(batches) - 1)
    else:
        variance = np.full(n, np.inf)
    error = n * np.sqrt((1 - pivots / n) * variance / pivots)
    return Betweenness(estimate, error, PIVOTS, pivots)
