# ruff: noqa: RUF002  (mathematical notation)
"""Per-partnership measures from its members' relationship answers about each other, each with
the response rate beside it (non-response biases density and centralization; Kossinets 2006,
Smith & Moody 2013).

Only answers (``ties.answered``) given in this partnership between two of its current members
count; an answer repeated keeps its deepest level.

- density: the share of member pairs that either side named (undirected);
  arc_density: answers given / n(n−1) (directed; at most the response rate);
- ties_returned: of the answers naming a member who also answered, the share answered back (a
  silent member cannot return a tie, so those answers are left out);
- depth: how many answers at each continuum level (index 0..4);
- core–periphery: Borgatti & Everett (1999). Continuous coreness c minimises
  Σ_{i≠j} (a_ij − c_i c_j)² over the undirected 0/1 pattern (the damped fixed point of
  c_i = Σ_j a_ij c_j / Σ_{j≠i} c_j², scaled to max 1); the discrete core is the prefix of the
  members ordered by coreness whose ideal pattern (core–core 1, periphery–periphery 0,
  core–periphery ignored, as B&E advise) correlates best with a. Needs 4 members (two pairs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import LEVEL_CODES, RELATIONSHIP, Network

BORGATTI_EVERETT = "borgatti_everett_1999"
TOO_SMALL = "too_small"  # fewer than 4 members: no split to fit
NO_PATTERN = "no_pattern"  # all pairs tied or none: nothing to correlate


@dataclass(frozen=True)
class CorePeriphery:
    coreness: np.ndarray  # float64 per member, 0..1
    core: np.ndarray  # bool per member
    fit: float  # Pearson correlation with the ideal pattern, NaN when not fitted
    method: str  # BORGATTI_EVERETT, TOO_SMALL or NO_PATTERN


@dataclass(frozen=True)
class PartnershipMeasures:
    partnership: int  # index
    members: np.ndarray  # int32 node indexes, sorted
    asked: int
    answered: int
    response_rate: float  # answered / asked, NaN when nobody was asked
    density: float
    arc_density: float
    ties_returned: float  # NaN when no answer names an answering member
    arcs_between_answerers: int
    depth: np.ndarray  # int64 answers per level, len(LEVEL_CODES)
    core_periphery: CorePeriphery


DAMPING = 0.3
# A star has no finite optimum (the centre's c grows, the leaves' shrink for ever); by this
# many steps its scaled leaves are at about 0.02 and the order is long settled.
ITERATIONS = 1_000
TOLERANCE = 1e-10


def coreness(stack: np.ndarray) -> np.ndarray:
    """Continuous coreness for a stack of same-size symmetric 0/1 matrices (b × n × n)."""
    a = np.asarray(stack, dtype=np.float64)
    # Start from the best rank-one fit with the diagonal (the leading eigenvector): close to the
    # answer, so the fixed point needs few steps.
    values, vectors = np.linalg.eigh(a)
    c = np.abs(vectors[..., -1]) * np.sqrt(np.maximum(values[..., -1], 0.0))[:, None]
    for _ in range(ITERATIONS):
        norm = (c**2).sum(axis=1, keepdims=True) - c**2
        step = np.divide(np.einsum("bij,bj->bi", a, c), norm, out=np.zeros_like(c), where=norm > 0)
        # The plain fixed point maps t·c to step/t, so it swings between two scales for ever:
        # damping settles the scale (and every other direction) geometrically.
        new = DAMPING * c + (1 - DAMPING) * step
        done = np.abs(new - c).max(initial=0.0) < TOLERANCE
        c = new
        if done:
            break
    top = c.max(axis=1, keepdims=True, initial=0.0)
    return np.divide(c, top, out=np.zeros_like(c), where=top > 0)


def core_periphery(adjacency: np.ndarray, fitted: np.ndarray | None = None) -> CorePeriphery:
    """Borgatti–Everett on a symmetric 0/1 matrix (zero diagonal); ``fitted``: its coreness
    when already computed with others of its size."""
    a = np.asarray(adjacency, dtype=np.float64)
    n = len(a)
    c = coreness(a[None])[0] if fitted is None else fitted
    if n < 4:
        return CorePeriphery(c, np.zeros(n, bool), float("nan"), TOO_SMALL)
    order = np.argsort(-c, kind="stable")
    s = a[np.ix_(order, order)]
    k = np.arange(2, n - 1)  # core sizes with >= 1 core pair and >= 1 periphery pair
    core_ties = np.cumsum(np.tril(s, -1).sum(axis=1))[k - 1]
    periphery_ties = np.cumsum(np.triu(s, 1).sum(axis=1)[::-1])[::-1][k]
    core_pairs, periphery_pairs = k * (k - 1) / 2, (n - k) * (n - k - 1) / 2
    pairs = core_pairs + periphery_pairs
    mean = (core_ties + periphery_ties) / pairs
    share = core_pairs / pairs
    var = mean - mean**2  # 0/1 values
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = (
            (core_ties / core_pairs - periphery_ties / periphery_pairs)
            * np.sqrt(share * (1 - share))
            / np.sqrt(var)
        )
    rho = np.where(var > 0, rho, np.nan)
    if not np.isfinite(rho).any():
        return CorePeriphery(c, np.zeros(n, bool), float("nan"), NO_PATTERN)
    best = int(np.nanargmax(rho))
    core = np.zeros(n, bool)
    core[order[: k[best]]] = True
    return CorePeriphery(c, core, float(rho[best]), BORGATTI_EVERETT)


def _figures(nodes, asked, answered, i, j, level) -> tuple[dict, np.ndarray]:
    """One partnership's figures but core–periphery, and its undirected 0/1 pattern."""
    n = len(nodes)
    keep = i != j
    i, j, level = i[keep], j[keep], level[keep]
    arcs = np.full((n, n), -1, dtype=np.int8)
    np.maximum.at(arcs, (i, j), level)
    named = arcs >= 0
    pairs = n * (n - 1)
    either = named | named.T
    between = named & answered[None, :]
    n_between = int(between.sum())
    n_asked = int(asked.sum())
    n_answered = int((answered & asked).sum())
    figures = {
        "members": nodes,
        "asked": n_asked,
        "answered": n_answered,
        "response_rate": n_answered / n_asked if n_asked else float("nan"),
        "density": float(either.sum() / pairs) if pairs else float("nan"),
        "arc_density": float(named.sum() / pairs) if pairs else float("nan"),
        "ties_returned": float((between & named.T).sum() / n_between)
        if n_between
        else float("nan"),
        "arcs_between_answerers": n_between,
        "depth": np.bincount(arcs[named], minlength=len(LEVEL_CODES)).astype(np.int64),
    }
    return figures, either.astype(np.float64)


def _local(nodes: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Each id's position in the sorted ``nodes``, -1 when it is not there."""
    at = np.minimum(np.searchsorted(nodes, ids), len(nodes) - 1)
    return np.where(nodes[at] == ids, at, -1)


def measures(network: Network, on=None) -> list[PartnershipMeasures]:
    """Every partnership with at least one member (on ``on``, or as given when None)."""
    net = network if on is None else network.at(on)
    m, t = net.memberships, net.ties
    t = t.take(t.answered & (t.source == RELATIONSHIP) & (t.partnership >= 0))
    by_tie = np.argsort(t.partnership, kind="stable")
    tie_part = t.partnership[by_tie]
    by_member = np.lexsort((m.node, m.partnership))
    member_part = m.partnership[by_member]
    indexes, figures, patterns = [], [], []
    for p in np.unique(member_part):
        lo, hi = np.searchsorted(member_part, [p, p + 1])
        rows = by_member[lo:hi]
        nodes = np.unique(m.node[rows])
        # A member listed twice (two dated spells) counts once, asked or answered if ever.
        asked = np.zeros(len(nodes), bool)
        answered = np.zeros(len(nodes), bool)
        where = np.searchsorted(nodes, m.node[rows])
        np.logical_or.at(asked, where, m.asked[rows])
        np.logical_or.at(answered, where, m.answered[rows])
        lo, hi = np.searchsorted(tie_part, [p, p + 1])
        ties = by_tie[lo:hi]
        i, j = _local(nodes, t.src[ties]), _local(nodes, t.dst[ties])
        inside = (i >= 0) & (j >= 0)
        one, pattern = _figures(nodes, asked, answered, i[inside], j[inside], t.level[ties][inside])
        indexes.append(int(p))
        figures.append(one)
        patterns.append(pattern)
    # Coreness for all partnerships of one size at once: one stacked fixed point, not thousands.
    fitted: list[np.ndarray | None] = [None] * len(patterns)
    by_size: dict[int, list[int]] = {}
    for k, pattern in enumerate(patterns):
        by_size.setdefault(len(pattern), []).append(k)
    for group in by_size.values():
        for k, c in zip(group, coreness(np.stack([patterns[k] for k in group])), strict=True):
            fitted[k] = c
    return [
        PartnershipMeasures(partnership=p, core_periphery=core_periphery(pattern, c), **one)
        for p, one, pattern, c in zip(indexes, figures, patterns, fitted, strict=True)
    ]


def mismatched_pairs(network: Network, gap: int = 2) -> np.ndarray:
    """Pairs whose two answers about each other differ by ``gap`` levels or more, e.g. one side's
    collaboration against the other's networking: rows (a, b, level a gave, level b gave)."""
    t = network.ties.take(network.ties.answered & (network.ties.src != network.ties.dst))
    n = network.n_nodes
    key = t.src.astype(np.int64) * n + t.dst
    order = np.lexsort((-t.level, key))
    key, level = key[order], t.level[order]
    first = np.concatenate([[True], key[1:] != key[:-1]]) if len(key) else np.zeros(0, bool)
    key, level = key[first], level[first]
    a, b = key // n, key % n
    back = b * n + a
    at = np.searchsorted(key, back)
    at = np.minimum(at, max(len(key) - 1, 0))
    found = (key[at] == back) & (a < b) if len(key) else np.zeros(0, bool)
    other = level[at]
    wide = found & (np.abs(level.astype(int) - other) >= gap)
    return np.column_stack([a[wide], b[wide], level[wide], other[wide]]).astype(np.int64)
