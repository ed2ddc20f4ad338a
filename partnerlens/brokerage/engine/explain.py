"""Explanations: why each pair was proposed, and why each unmet need went unmet.

Codes and values only: the web pages and the command word them (brokerage/codes.py).
"""

from __future__ import annotations

import numpy as np

from .candidates import (
    STAGE_CANDIDATE,
    STAGE_EXCLUDED,
    STAGE_INCOMPATIBLE,
    STAGE_NO_OFFER,
    STAGE_OUT_OF_RANGE,
    Candidates,
    Indexed,
)
from .model import Match, Rules, Unmet, UnmetReason

COMPONENTS = ("strength", "closeness", "pupils", "fsm", "relationship")

_REASON_BY_STAGE = {
    STAGE_NO_OFFER: UnmetReason.NO_OFFER,
    STAGE_OUT_OF_RANGE: UnmetReason.OUT_OF_RANGE,
    STAGE_INCOMPATIBLE: UnmetReason.INCOMPATIBLE,
    STAGE_EXCLUDED: UnmetReason.EXCLUDED,
    STAGE_CANDIDATE: UnmetReason.CAPACITY,
}


def explain_matches(
    indexed: Indexed, candidates: Candidates, chosen: np.ndarray, pinned: set[int], rules: Rules
) -> list[Match]:
    matches = []
    weights = rules.weights
    for arc in chosen.tolist():
        need = indexed.needs[candidates.need[arc]]
        offer = indexed.offers[candidates.offer[arc]]
        needing = indexed.schools[indexed.need_school[candidates.need[arc]]]
        supporting = indexed.schools[indexed.offer_school[candidates.offer[arc]]]
        distance = float(candidates.distance_km[arc])
        points = dict(zip(COMPONENTS, candidates.points[arc].tolist(), strict=True))
        score = int(candidates.quality[arc])
        limit = rules.max_km if supporting.max_km is None else min(rules.max_km, supporting.max_km)
        explanation = {
            "need": {
                "school_id": needing.school_id,
                "school_name": needing.name,
                "phase": needing.phase.value,
                "area": need.area,
                "severity": need.severity,
            },
            "support": {
                "school_id": supporting.school_id,
                "school_name": supporting.name,
                "phase": supporting.phase.value,
                "area": offer.area,
                "strength": offer.strength,
                "capacity": offer.capacity,
                "capacity_total": supporting.capacity_total,
            },
            "distance_km": round(distance, 2),
            "limit_km": limit,
            "context": {
                "need_pupils": needing.pupils,
                "support_pupils": supporting.pupils,
                "need_fsm_pct": needing.fsm_pct,
                "support_fsm_pct": supporting.fsm_pct,
            },
            "existing_relationship": bool(candidates.related[arc]),
            "pinned": arc in pinned,
            "score": {**points, "total": score, "maximum": weights.maximum},
        }
        matches.append(
            Match(
                need_school_id=need.school_id,
                area=need.area,
                support_school_id=offer.school_id,
                distance_km=distance,
                severity=need.severity,
                strength=offer.strength,
                score=score,
                explanation=explanation,
            )
        )
    return matches


def explain_unmet(
    indexed: Indexed, candidates: Candidates, chosen: np.ndarray, rules: Rules
) -> list[Unmet]:
    met = np.zeros(len(indexed.needs), dtype=bool)
    met[candidates.need[chosen]] = True
    candidate_count = np.bincount(candidates.need, minlength=len(indexed.needs))
    unmet = []
    for position in np.flatnonzero(~met).tolist():
        need = indexed.needs[position]
        reason = _REASON_BY_STAGE[int(candidates.stage[position])]
        nearest = float(candidates.nearest_km[position])
        params: dict = {"area": need.area}
        if reason is UnmetReason.OUT_OF_RANGE:
            params |= {"nearest_km": round(nearest, 1), "limit_km": rules.max_km}
        elif reason is UnmetReason.CAPACITY:
            params["count"] = int(candidate_count[position])
        unmet.append(Unmet(need.school_id, need.area, need.severity, reason, params))
    return unmet
