"""The engine's entry point: `match(schools, needs, offers, rules)` -> Result."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from .candidates import Candidates, Indexed, find_candidates, index_instance
from .explain import explain_matches, explain_unmet
from .model import InputErrors, InputProblem, Need, Offer, Result, Rules, School, Totals
from .solver import UNLIMITED, solve_greedy, solve_optimal


def progress_steps(rules: Rules) -> int:
    """How many times `match` calls its progress callback (for sizing a progress bar)."""
    return len(rules.areas) + 2


def match(
    schools: Sequence[School],
    needs: Sequence[Need],
    offers: Sequence[Offer],
    rules: Rules | None = None,
    *,
    method: str = "optimal",
    progress: Callable[[str], None] | None = None,
) -> Result:
    """Assign needs to supporting offers.

    `method="optimal"` (the default) maximises total severity met, then match quality, exactly;
    `method="greedy"` is the nearest-available baseline, for comparison only.
    Raises InputErrors listing every problem with the input (unknown ids, bad pins...).
    """
    rules = rules or Rules()
    indexed = index_instance(schools, needs, offers, rules)
    candidates = find_candidates(indexed, rules, progress)
    pinned = _resolve_pins(indexed, candidates, rules)
    solve = {"optimal": solve_optimal, "greedy": solve_greedy}[method]
    chosen = solve(indexed, candidates, pinned)
    if progress:
        progress("solve")
    matches = explain_matches(indexed, candidates, chosen, set(pinned.tolist()), rules)
    unmet = explain_unmet(indexed, candidates, chosen, rules)
    if progress:
        progress("explain")
    totals = Totals(
        needs=len(needs),
        needs_met=len(matches),
        severity_total=int(indexed.need_severity.sum()),
        severity_met=sum(m.severity for m in matches),
        quality_met=sum(m.score for m in matches),
        candidate_pairs=int(candidates.need.size),
        by_reason=dict(Counter(u.reason.value for u in unmet)),
    )
    return Result(matches=matches, unmet=unmet, totals=totals)


def _resolve_pins(indexed: Indexed, candidates: Candidates, rules: Rules) -> np.ndarray:
    """Candidate-arc index of each pin; a pin must be a pair the rules allow, within capacity."""
    if not rules.pins:
        return np.zeros(0, dtype=np.int64)
    arc_of: dict[tuple[int, int], int] = {}
    need_of = {(n.school_id, n.area): i for i, n in enumerate(indexed.needs)}
    offer_of = {(o.school_id, o.area): i for i, o in enumerate(indexed.offers)}
    pin_needs = [need_of.get((pin.need_school_id, pin.area), -1) for pin in rules.pins]
    pinned_needs = np.isin(candidates.need, pin_needs)
    for arc in np.flatnonzero(pinned_needs).tolist():
        arc_of[(int(candidates.need[arc]), int(candidates.offer[arc]))] = arc
    problems, arcs, seen_needs = [], [], set()
    for pin in rules.pins:
        values = {"support": pin.support_school_id, "need": pin.need_school_id, "area": pin.area}
        need = need_of.get((pin.need_school_id, pin.area))
        offer = offer_of.get((pin.support_school_id, pin.area))
        code = None
        if need is None:
            code = "pin.no_need"
        elif offer is None:
            code = "pin.no_offer"
        elif (need, offer) not in arc_of:
            code = "pin.not_allowed"  # distance, phase, language, exclusion or the same school
        elif need in seen_needs:
            code = "pin.twice"
        else:
            seen_needs.add(need)
            arcs.append(arc_of[(need, offer)])
        if code:
            problems.append(InputProblem("pins", code, params=values))
    pinned = np.array(arcs, dtype=np.int64)
    if pinned.size:
        offer_use = np.bincount(candidates.offer[pinned], minlength=len(indexed.offers))
        for offer in np.flatnonzero(offer_use > indexed.offer_capacity).tolist():
            o = indexed.offers[offer]
            values = {"support": o.school_id, "area": o.area}
            problems.append(InputProblem("pins", "pin.offer_capacity", params=values))
        school_use = np.bincount(
            indexed.offer_school[candidates.offer[pinned]], minlength=len(indexed.schools)
        )
        limit = np.where(indexed.capacity_total < 0, UNLIMITED, indexed.capacity_total)
        for school in np.flatnonzero(school_use > limit).tolist():
            values = {"support": indexed.schools[school].school_id}
            problems.append(InputProblem("pins", "pin.school_capacity", params=values))
    if problems:
        raise InputErrors(problems)
    return pinned
