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
    for number, pin in enumerate(rules.pins, start=1):
        label = f"{pin.support_school_id} -> {pin.need_school_id} ({pin.area})"
        need = need_of.get((pin.need_school_id, pin.area))
        offer = offer_of.get((pin.support_school_id, pin.area))
        if need is None:
            problems.append(InputProblem("pins", f"pin {number} {label}: no such need"))
        elif offer is None:
            problems.append(InputProblem("pins", f"pin {number} {label}: no such offer"))
        elif (need, offer) not in arc_of:
            problems.append(
                InputProblem(
                    "pins",
                    f"pin {number} {label}: the rules do not allow this pair "
                    "(distance, phase, language, exclusion or the same school)",
                )
            )
        elif need in seen_needs:
            problems.append(InputProblem("pins", f"pin {number} {label}: need pinned twice"))
        else:
            seen_needs.add(need)
            arcs.append(arc_of[(need, offer)])
    pinned = np.array(arcs, dtype=np.int64)
    if pinned.size:
        offer_use = np.bincount(candidates.offer[pinned], minlength=len(indexed.offers))
        for offer in np.flatnonzero(offer_use > indexed.offer_capacity).tolist():
            o = indexed.offers[offer]
            problems.append(
                InputProblem("pins", f"pins use {o.school_id}'s {o.area} offer beyond its capacity")
            )
        school_use = np.bincount(
            indexed.offer_school[candidates.offer[pinned]], minlength=len(indexed.schools)
        )
        limit = np.where(indexed.capacity_total < 0, UNLIMITED, indexed.capacity_total)
        for school in np.flatnonzero(school_use > limit).tolist():
            problems.append(
                InputProblem(
                    "pins",
                    f"pins use {indexed.schools[school].school_id} beyond its capacity_total",
                )
            )
    if problems:
        raise InputErrors(problems)
    return pinned
