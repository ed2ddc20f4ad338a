"""A suggested review team: one lead reviewer and ``k`` peer reviewers for a host.

Eligible: free of conflict (the ``conflicts_of`` function returns no code), with availability
left (> 0), trained as a peer at least (a lead must be trained as a lead). Among eligible
teams the choice is exact (OR-Tools CP-SAT, solved in stages):

1. most focus areas covered (an area counts once, by the lead or any peer);
2. then the fewest reviews done in total (spreading the load);
3. then the earliest reviewers in the pool's order: the lead is the earliest one that still
   allows an optimal team, then each peer in turn (a deterministic tie-break that does not
   depend on the solver's search).

When no team can be formed the result carries a code naming why: ``no_lead`` (no eligible
reviewer trained as lead), ``too_few_free`` (fewer than k + 1 eligible reviewers).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

# training levels, ordered
UNTRAINED = 0
PEER_TRAINED = 1
LEAD_TRAINED = 2

LEAD = "lead"
PEER = "peer"

# why a member is there
COVERS = "covers"  # covers at least one focus area (the areas are listed)
LIGHT_LOAD = "light_load"  # reviews done at or below the eligible pool's median

# why there is no team
OK = "ok"
NO_LEAD = "no_lead"
TOO_FEW_FREE = "too_few_free"

# why a reviewer was left out before the choice (besides their conflict codes)
NOT_AVAILABLE = "not_available"
NOT_TRAINED = "not_trained"


@dataclass(frozen=True)
class Candidate:
    id: object
    areas: frozenset = field(default_factory=frozenset)
    training: int = PEER_TRAINED
    reviews_done: int = 0
    availability: int = 1  # reviews they can still take this period
    employer: object = None


@dataclass(frozen=True)
class Member:
    reviewer: object
    role: str  # LEAD or PEER
    covers: tuple  # focus areas this member brings, in focus order
    reasons: tuple[str, ...]  # LEAD, COVERS, LIGHT_LOAD


@dataclass(frozen=True)
class Team:
    code: str  # OK, NO_LEAD or TOO_FEW_FREE
    members: tuple[Member, ...] = ()  # the lead first, then the peers in pool order
    covered: tuple = ()  # focus areas covered, in focus order
    uncovered: tuple = ()
    load: int = 0  # total reviews done by the team
    excluded: tuple[tuple[object, tuple[str, ...]], ...] = ()  # (reviewer, codes) left out


def eligible(
    pool: Sequence[Candidate], conflicts_of: Callable[[Candidate], Sequence[str]]
) -> tuple[list[Candidate], list[tuple[object, tuple[str, ...]]]]:
    """The reviewers who may serve, and those left out with why (conflict codes first)."""
    kept, excluded = [], []
    for cand in pool:
        codes = tuple(conflicts_of(cand))
        if cand.availability <= 0:
            codes += (NOT_AVAILABLE,)
        if cand.training < PEER_TRAINED:
            codes += (NOT_TRAINED,)
        if codes:
            excluded.append((cand.id, codes))
        else:
            kept.append(cand)
    return kept, excluded


def _solve(model: cp_model.CpModel) -> cp_model.CpSolver | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 10.0
    status = solver.solve(model)
    return solver if status == cp_model.OPTIMAL else None


def suggest_team(
    focus: Sequence,
    pool: Sequence[Candidate],
    conflicts_of: Callable[[Candidate], Sequence[str]],
    *,
    peers: int = 3,
) -> Team:
    """The best team of one lead and ``peers`` peer reviewers (see the module docstring)."""
    cands, excluded = eligible(pool, conflicts_of)
    excluded_t = tuple(excluded)
    if not any(c.training >= LEAD_TRAINED for c in cands):
        return Team(NO_LEAD, excluded=excluded_t)
    if len(cands) < peers + 1:
        return Team(TOO_FEW_FREE, excluded=excluded_t)

    focus = list(dict.fromkeys(focus))
    model = cp_model.CpModel()
    lead = [
        model.new_bool_var(f"l{i}") if c.training >= LEAD_TRAINED else model.new_constant(0)
        for i, c in enumerate(cands)
    ]
    peer = [model.new_bool_var(f"p{i}") for i in range(len(cands))]
    for i in range(len(cands)):
        model.add(lead[i] + peer[i] <= 1)
    model.add(sum(lead) == 1)
    model.add(sum(peer) == peers)
    covered = []
    for a, area in enumerate(focus):
        cov = model.new_bool_var(f"c{a}")
        bringers = [lead[i] + peer[i] for i, c in enumerate(cands) if area in c.areas]
        model.add(cov <= sum(bringers)) if bringers else model.add(cov == 0)
        covered.append(cov)
    load = sum(c.reviews_done * (lead[i] + peer[i]) for i, c in enumerate(cands))

    model.maximize(sum(covered))
    solver = _solve(model)
    if solver is None:  # cannot happen with the checks above; kept as a guard
        return Team(TOO_FEW_FREE, excluded=excluded_t)
    model.add(sum(covered) == round(solver.objective_value))
    model.minimize(load)
    solver = _solve(model)
    model.add(load == round(solver.objective_value))
    model.clear_objective()

    # Tie-break: fix the earliest lead that still allows an optimal team, then the earliest
    # peers one at a time. Each step is a tiny feasibility solve under an assumption.
    def allows(literal) -> bool:
        model.clear_assumptions()
        model.add_assumption(literal)
        return _solve(model) is not None

    for i in range(len(cands)):
        if cands[i].training >= LEAD_TRAINED and allows(lead[i]):
            model.add(lead[i] == 1)
            break
        model.add(lead[i] == 0)
    chosen = 0
    for i in range(len(cands)):
        if chosen < peers and allows(peer[i]):
            model.add(peer[i] == 1)
            chosen += 1
        else:
            model.add(peer[i] == 0)
    model.clear_assumptions()
    solver = _solve(model)

    median_load = statistics.median(c.reviews_done for c in cands)
    members = []
    team_areas: set = set()
    lead_idx = [i for i in range(len(cands)) if solver.value(lead[i])]
    peer_idx = [i for i in range(len(cands)) if solver.value(peer[i])]
    for i, role in [(j, LEAD) for j in lead_idx] + [(j, PEER) for j in peer_idx]:
        c = cands[i]
        brings = tuple(a for a in focus if a in c.areas)
        team_areas.update(brings)
        reasons = ((LEAD,) if role == LEAD else ()) + ((COVERS,) if brings else ())
        if c.reviews_done <= median_load:
            reasons += (LIGHT_LOAD,)
        members.append(Member(c.id, role, brings, reasons))
    return Team(
        OK,
        members=tuple(members),
        covered=tuple(a for a in focus if a in team_areas),
        uncovered=tuple(a for a in focus if a not in team_areas),
        load=sum(cands[i].reviews_done for i in lead_idx + peer_idx),
        excluded=excluded_t,
    )
