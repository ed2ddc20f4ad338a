"""Choose which candidate pairs to use: the optimal min-cost flow, and a greedy baseline.

The flow network (one unit of flow = one need met):

    source -> need (cap 1) -> offer (cap 1 per arc) -> supporting school -> sink
                 `-------------------- bypass (cost 0) ---------------------'

- need -> offer arcs are the candidate pairs; an offer node's outgoing capacity is the offer's
  `capacity`, a school node's outgoing capacity its `capacity_total`, so both always hold;
- a need has one unit of supply, so it is met at most once; the bypass carries needs left unmet.

Lexicographic objective, solved exactly in one run: each candidate arc costs
-(severity * BIG + quality) with BIG = 1 + the sum over needs of the best quality any of its
arcs could earn. Every assignment's total quality Q lies in [0, BIG), and total severity S is an
integer, so S1 > S2 implies S1 * BIG + Q1 >= (S2 + 1) * BIG > S2 * BIG + Q2: the minimum cost
maximises S first and, among assignments with that S, maximises Q. Costs are integers, so
OR-Tools' cost-scaling push-relabel solver returns an exact optimum, with no tolerance to
tune.
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from .candidates import Candidates, Indexed

UNLIMITED = np.iinfo(np.int32).max


class SolverFailed(RuntimeError):
    """The solver stopped short of an optimum; the argument is OR-Tools' status code."""


def _remaining_capacity(
    indexed: Indexed, candidates: Candidates, pinned: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    offer_left = indexed.offer_capacity.copy()
    school_left = np.where(indexed.capacity_total < 0, UNLIMITED, indexed.capacity_total)
    np.subtract.at(offer_left, candidates.offer[pinned], 1)
    np.subtract.at(school_left, indexed.offer_school[candidates.offer[pinned]], 1)
    return offer_left, school_left


def _free_arcs(
    indexed: Indexed, candidates: Candidates, pinned: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arcs still usable once the pins hold their places, with the capacities left."""
    offer_left, school_left = _remaining_capacity(indexed, candidates, pinned)
    need_pinned = np.zeros(len(indexed.needs), dtype=bool)
    need_pinned[candidates.need[pinned]] = True
    usable = (
        ~need_pinned[candidates.need]
        & (offer_left[candidates.offer] > 0)
        & (school_left[indexed.offer_school[candidates.offer]] > 0)
    )
    return np.flatnonzero(usable), offer_left, school_left


def solve_optimal(indexed: Indexed, candidates: Candidates, pinned: np.ndarray) -> np.ndarray:
    """Indices of the candidate arcs to use (pins included): lexicographically optimal."""
    arcs, offer_left, school_left = _free_arcs(indexed, candidates, pinned)
    if arcs.size == 0:
        return np.sort(pinned)
    arc_need = candidates.need[arcs]
    arc_offer = candidates.offer[arcs]
    needs, need_node = np.unique(arc_need, return_inverse=True)
    offers, offer_node = np.unique(arc_offer, return_inverse=True)
    supporters, supporter_node = np.unique(indexed.offer_school[offers], return_inverse=True)
    first_need, first_offer = 2, 2 + needs.size
    first_supporter = first_offer + offers.size

    best = np.zeros(needs.size, dtype=np.int64)
    np.maximum.at(best, need_node, candidates.quality[arcs])
    big = int(best.sum()) + 1
    gain = indexed.need_severity[arc_need] * big + candidates.quality[arcs]

    offer_cap = offer_left[offers]
    # A school with no capacity_total can still never support more than its offers add up to.
    offer_sum = np.zeros(supporters.size, dtype=np.int64)
    np.add.at(offer_sum, supporter_node, offer_cap)
    school_cap = np.minimum(school_left[supporters], offer_sum)

    source, sink = 0, 1
    tails = np.concatenate(
        [
            np.full(needs.size, source),
            first_need + need_node,
            first_offer + np.arange(offers.size),
            first_supporter + np.arange(supporters.size),
            [source],
        ]
    )
    heads = np.concatenate(
        [
            first_need + np.arange(needs.size),
            first_offer + offer_node,
            first_supporter + supporter_node,
            np.full(supporters.size, sink),
            [sink],
        ]
    )
    capacities = np.concatenate(
        [np.ones(needs.size + arcs.size, dtype=np.int64), offer_cap, school_cap, [needs.size]]
    )
    costs = np.concatenate(
        [
            np.zeros(needs.size, dtype=np.int64),
            -gain,
            np.zeros(offers.size + supporters.size + 1, dtype=np.int64),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arc_ids = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    flow.set_nodes_supplies(
        np.array([source, sink], dtype=np.int32),
        np.array([needs.size, -needs.size], dtype=np.int64),
    )
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise SolverFailed(status)
    arc_ids = np.asarray(arc_ids, dtype=np.int32)
    pair_flows = np.asarray(flow.flows(arc_ids[needs.size : needs.size + arcs.size]))
    return np.sort(np.concatenate([pinned, arcs[pair_flows > 0]]))


def solve_greedy(indexed: Indexed, candidates: Candidates, pinned: np.ndarray) -> np.ndarray:
    """Baseline a broker might do by hand: most severe needs first, each to the nearest
    supporter that still has room (in its offer and overall). Not optimal; used to measure
    what the optimal solve gains."""
    arcs, offer_left, school_left = _free_arcs(indexed, candidates, pinned)
    order = np.lexsort(
        (
            candidates.distance_km[arcs],
            candidates.need[arcs],
            -indexed.need_severity[candidates.need[arcs]],
        )
    )
    met = np.zeros(len(indexed.needs), dtype=bool)
    chosen = list(pinned)
    offer_left, school_left = offer_left.tolist(), school_left.tolist()
    offer_school = indexed.offer_school.tolist()
    for arc, need, offer in zip(
        arcs[order].tolist(),
        candidates.need[arcs][order].tolist(),
        candidates.offer[arcs][order].tolist(),
        strict=True,
    ):
        school = offer_school[offer]
        if met[need] or offer_left[offer] <= 0 or school_left[school] <= 0:
            continue
        met[need] = True
        offer_left[offer] -= 1
        school_left[school] -= 1
        chosen.append(arc)
    return np.sort(np.array(chosen, dtype=np.int64))
