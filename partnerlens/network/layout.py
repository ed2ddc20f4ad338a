"""Where each organisation sits in the network picture: a Fruchterman–Reingold force layout
(igraph's "fr"), seeded so the same network is drawn the same way every time, scaled to 0..1.

Deeper ties pull harder (the pair's weight is its level, ``graph.weighted_pairs``); an
organisation with no tie is pushed out towards the rim, where the picture shows it alone.
"""

from __future__ import annotations

import random

import igraph
import numpy as np

SEED = 15  # the number: any fixed value keeps a picture stable between snapshots
ITERATIONS = 500
# Past this many ties, the shallow ones (networking, or no level: weight 1) are left out of
# the layout as the picture leaves them out (``charts.DRAWN_SHALLOW``): every pair of a large
# local-authority partnership would otherwise pull all its schools into one ball.
SHALLOW_LIMIT = 300


def force_layout(n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, *, seed: int = SEED):
    """(x, y) per node in 0..1, from ``weighted_pairs``' output."""
    if n == 0:
        return np.empty(0), np.empty(0)
    unit = np.random.default_rng(seed).random((n, 2))
    if n == 1 or not len(u):
        return unit[:, 0], unit[:, 1]
    # Spread the start over a square of side sqrt(n), as igraph's own random start is: its
    # grid (used from 1,000 nodes) then has work for every cell. Squeezed into 0..1, every
    # node shares one cell and 3,000 nodes take seconds instead of a fifth of one.
    start = (unit - 0.5) * np.sqrt(n)
    if len(u) > SHALLOW_LIMIT and (w > 1).any():
        deep = w > 1
        u, v, w = u[deep], v[deep], w[deep]
    g = igraph.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)
    # igraph draws from Python's random module (grid moves, coincident nodes): a private,
    # seeded generator keeps the result fixed without touching anybody else's.
    before = igraph.set_random_number_generator(random.Random(seed))
    try:
        coords = np.asarray(
            g.layout_fruchterman_reingold(
                weights=list(map(float, w)), niter=ITERATIONS, seed=start.tolist()
            ).coords,
            dtype=np.float64,
        )
    finally:
        igraph.set_random_number_generator(before or random)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    scaled = (coords - low) / span
    return scaled[:, 0], scaled[:, 1]
