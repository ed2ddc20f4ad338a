"""An independent statement of the matching rules and an exact MILP, for checking the engine.

Nothing here calls the engine's solver or candidate search: pairs are enumerated by brute force,
the phase rule is a literal table, match quality is recomputed from its documented formula and
the optimum comes from SciPy's HiGHS MILP, solved in two stages (severity, then quality with
severity held at its optimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

ANY = "*"
# (need phase, support phase, area or ANY) that may pair, as docs/brokerage.md states it.
ALLOWED = {
    *(
        (p, p, ANY)
        for p in ("primary", "secondary", "all-through", "special", "nursery", "post-16")
    ),
    ("primary", "all-through", ANY),
    ("secondary", "all-through", ANY),
    ("all-through", "primary", ANY),
    ("all-through", "secondary", ANY),
    *(
        (p, "special", "send")
        for p in ("primary", "secondary", "all-through", "nursery", "post-16")
    ),
    ("nursery", "primary", "early_years"),
    ("primary", "nursery", "early_years"),
}


def may_pair(need_phase: str, support_phase: str, area: str) -> bool:
    return (need_phase, support_phase, ANY) in ALLOWED or (
        need_phase,
        support_phase,
        area,
    ) in ALLOWED


def languages_pair(a, b) -> bool:
    return {a, b} != {"english", "welsh"}


def quality(strength, distance, max_km, pupils_a, pupils_b, fsm_a, fsm_b, related) -> int:
    def half_up(x):
        return math.floor(x + 0.5)

    ratio = abs(math.log(max(pupils_a, 1) / max(pupils_b, 1)))
    return (
        half_up(400 * strength / 3)
        + half_up(300 * (1 - distance / max_km))
        + half_up(100 * min(1.0, max(0.0, 1 - ratio / math.log(4))))
        + half_up(100 * min(1.0, max(0.0, 1 - abs(fsm_a - fsm_b) / 25)))
        + (100 if related else 0)
    )


def _pair_hit(pairs, a, b, area) -> bool:
    return any(
        {p.school_a, p.school_b} == {a, b} and (p.area is None or p.area == area) for p in pairs
    )


@dataclass
class Arc:
    need: int
    offer: int
    need_school: str
    support_school: str
    area: str
    severity: int
    distance: float
    quality: int


def allowed_arcs(schools, needs, offers, max_km, exclusions=(), relationships=()) -> list[Arc]:
    by_id = {s.school_id: s for s in schools}
    arcs = []
    for i, need in enumerate(needs):
        a = by_id[need.school_id]
        for j, offer in enumerate(offers):
            b = by_id[offer.school_id]
            if offer.area != need.area or a.school_id == b.school_id:
                continue
            distance = math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000
            limit = max_km if b.max_km is None else min(max_km, b.max_km)
            if distance > limit:
                continue
            if not may_pair(a.phase.value, b.phase.value, need.area):
                continue
            la = a.language.value if a.language else None
            lb = b.language.value if b.language else None
            if not languages_pair(la, lb):
                continue
            if _pair_hit(exclusions, a.school_id, b.school_id, need.area):
                continue
            related = _pair_hit(relationships, a.school_id, b.school_id, need.area)
            q = quality(
                offer.strength, distance, max_km, a.pupils, b.pupils, a.fsm_pct, b.fsm_pct, related
            )
            arcs.append(Arc(i, j, a.school_id, b.school_id, need.area, need.severity, distance, q))
    return arcs


def exact_optimum(schools, needs, offers, arcs: list[Arc], pinned=()) -> tuple[float, float]:
    """(max total severity, then max total quality at that severity) by two MILP solves."""
    if not arcs:
        return 0.0, 0.0
    n = len(arcs)
    rows, upper = [], []
    for i in range(len(needs)):
        rows.append([1.0 if arc.need == i else 0.0 for arc in arcs])
        upper.append(1)
    for j, offer in enumerate(offers):
        rows.append([1.0 if arc.offer == j else 0.0 for arc in arcs])
        upper.append(offer.capacity)
    for school in schools:
        if school.capacity_total is not None:
            rows.append([1.0 if arc.support_school == school.school_id else 0.0 for arc in arcs])
            upper.append(school.capacity_total)
    constraints = [LinearConstraint(np.array(rows), -np.inf, np.array(upper, dtype=float))]
    lower = np.zeros(n)
    for k in pinned:
        lower[k] = 1
    bounds = Bounds(lower, np.ones(n))
    severity = np.array([arc.severity for arc in arcs], dtype=float)
    qual = np.array([arc.quality for arc in arcs], dtype=float)
    options = {"mip_rel_gap": 0.0}
    first = milp(
        -severity, constraints=constraints, integrality=np.ones(n), bounds=bounds, options=options
    )
    assert first.success, first.message
    best_severity = round(-first.fun)
    constraints.append(LinearConstraint(severity[None, :], best_severity - 0.5, np.inf))
    second = milp(
        -qual, constraints=constraints, integrality=np.ones(n), bounds=bounds, options=options
    )
    assert second.success, second.message
    return float(best_severity), float(-second.fun)


def assert_rules_hold(
    result, schools, needs, offers, max_km, exclusions=(), pins=(), check_unmet=True
):
    """Every rule of issue 5 on the engine's output, checked from the inputs alone."""
    by_id = {s.school_id: s for s in schools}
    need_of = {(n.school_id, n.area): n for n in needs}
    offer_of = {(o.school_id, o.area): o for o in offers}
    met = [(m.need_school_id, m.area) for m in result.matches]
    assert len(met) == len(set(met)), "a need was met twice"
    per_offer, per_school = {}, {}
    for m in result.matches:
        need = need_of[(m.need_school_id, m.area)]
        offer = offer_of[(m.support_school_id, m.area)]
        a, b = by_id[m.need_school_id], by_id[m.support_school_id]
        assert a.school_id != b.school_id, "a school supported itself"
        distance = math.hypot(a.easting - b.easting, a.northing - b.northing) / 1000
        limit = max_km if b.max_km is None else min(max_km, b.max_km)
        assert distance <= limit, f"{m} is {distance} km apart, limit {limit}"
        assert abs(distance - m.distance_km) < 1e-9
        assert may_pair(a.phase.value, b.phase.value, m.area), f"phases do not pair: {m}"
        assert not _pair_hit(exclusions, a.school_id, b.school_id, m.area), f"excluded: {m}"
        assert m.severity == need.severity and m.strength == offer.strength
        per_offer[(b.school_id, m.area)] = per_offer.get((b.school_id, m.area), 0) + 1
        per_school[b.school_id] = per_school.get(b.school_id, 0) + 1
        assert m.explanation["score"]["total"] == m.score
    for key, used in per_offer.items():
        assert used <= offer_of[key].capacity, f"offer {key} over capacity"
    for school_id, used in per_school.items():
        limit = by_id[school_id].capacity_total
        assert limit is None or used <= limit, f"{school_id} over capacity_total"
    for pin in pins:
        assert any(
            (m.need_school_id, m.area, m.support_school_id)
            == (pin.need_school_id, pin.area, pin.support_school_id)
            for m in result.matches
        ), f"pin {pin} not used"
    if not check_unmet:
        return
    unmet = {(u.school_id, u.area) for u in result.unmet}
    assert unmet | set(met) == set(need_of) and not unmet & set(met)
