"""Index the instance as arrays, find every allowed (need, offer) pair, and score it.

Pairs are found per area with a k-d tree over the offering schools, so the work grows with
the number of pairs within the distance limit, never with schools squared.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .model import InputErrors, InputProblem, Language, Need, Offer, Rules, School
from .phases import Phase, phases_compatible

PHASES = tuple(Phase)
LANGUAGES = (None, *tuple(Language))

# How far a need got towards having a candidate; the highest stage reached explains an unmet
# need (see model.UnmetReason, same order).
STAGE_NO_OFFER, STAGE_OUT_OF_RANGE, STAGE_INCOMPATIBLE, STAGE_EXCLUDED, STAGE_CANDIDATE = range(5)


@dataclass
class Indexed:
    """The instance as arrays; schools, needs and offers keep their input order."""

    schools: Sequence[School]
    needs: Sequence[Need]
    offers: Sequence[Offer]
    areas: tuple[str, ...]
    school_index: dict[str, int]
    easting: np.ndarray
    northing: np.ndarray
    phase: np.ndarray
    language: np.ndarray
    pupils: np.ndarray
    fsm: np.ndarray
    capacity_total: np.ndarray  # -1 where not limited
    max_km: np.ndarray  # the school's own travel limit, inf where not given
    need_school: np.ndarray
    need_area: np.ndarray
    need_severity: np.ndarray
    offer_school: np.ndarray
    offer_area: np.ndarray
    offer_strength: np.ndarray
    offer_capacity: np.ndarray


@dataclass
class Candidates:
    """Allowed pairs, as parallel arrays (one entry per need-to-offer arc)."""

    need: np.ndarray
    offer: np.ndarray
    distance_km: np.ndarray
    related: np.ndarray  # bool: an existing relationship
    points: np.ndarray  # (pairs, 5) int: strength, closeness, pupils, fsm, relationship
    quality: np.ndarray  # row sums of points
    stage: np.ndarray  # per need: highest stage reached
    nearest_km: np.ndarray  # per need: nearest other school offering its area (inf if none)


def index_instance(
    schools: Sequence[School], needs: Sequence[Need], offers: Sequence[Offer], rules: Rules
) -> Indexed:
    """Check cross-references and build arrays; raise InputErrors naming every problem."""
    problems: list[InputProblem] = []
    school_index: dict[str, int] = {}
    for position, school in enumerate(schools):
        if school.school_id in school_index:
            values = {"school_id": school.school_id}
            problems.append(InputProblem("schools", "input.school_twice", params=values))
        school_index[school.school_id] = position
        if not isinstance(school.phase, Phase):
            where, values = f"schools item {position + 1}", {"phase": school.phase}
            problems.append(InputProblem(where, "input.not_a_phase", params=values))
    area_index = {area: i for i, area in enumerate(rules.areas)}
    if rules.max_km <= 0:
        problems.append(InputProblem("rules", "input.limit_not_positive"))

    def check_rows(kind: str, rows: Sequence[Need] | Sequence[Offer]) -> None:
        seen: set[tuple[str, str]] = set()
        for position, row in enumerate(rows, start=1):
            where = f"{kind} item {position}"
            values = {"school_id": row.school_id, "area_id": row.area}
            if row.school_id not in school_index:
                problems.append(InputProblem(where, "input.unknown_school", params=values))
            if row.area not in area_index:
                problems.append(InputProblem(where, "input.unknown_area", params=values))
            if (row.school_id, row.area) in seen:
                problems.append(InputProblem(where, "input.listed_twice", params=values))
            seen.add((row.school_id, row.area))
            level = row.severity if kind == "needs" else row.strength
            if level not in (1, 2, 3):
                name = "severity" if kind == "needs" else "strength"
                values = {"name": name, "level": level}
                problems.append(InputProblem(where, "input.level_not_1_to_3", params=values))
            if kind == "offers" and row.capacity < 0:
                values = {"capacity": row.capacity}
                problems.append(InputProblem(where, "input.capacity_below_zero", params=values))

    check_rows("needs", needs)
    check_rows("offers", offers)
    for pin in rules.pins:
        for school_id in (pin.need_school_id, pin.support_school_id):
            if school_id not in school_index:
                values = {"school_id": school_id}
                problems.append(InputProblem("pins", "input.unknown_school", params=values))
        if pin.area not in area_index:
            values = {"area_id": pin.area}
            problems.append(InputProblem("pins", "input.unknown_area", params=values))
    for kind, pairs in (("exclusions", rules.exclusions), ("relationships", rules.relationships)):
        for pair in pairs:
            for school_id in (pair.school_a, pair.school_b):
                if school_id not in school_index:
                    values = {"school_id": school_id}
                    problems.append(InputProblem(kind, "input.unknown_school", params=values))
            if pair.area is not None and pair.area not in area_index:
                values = {"area_id": pair.area}
                problems.append(InputProblem(kind, "input.unknown_area", params=values))
    if problems:
        raise InputErrors(problems)

    def ints(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.int64)

    def floats(values) -> np.ndarray:
        return np.fromiter(values, dtype=np.float64)

    phase_code = {phase: i for i, phase in enumerate(PHASES)}
    language_code = {language: i for i, language in enumerate(LANGUAGES)}
    return Indexed(
        schools=schools,
        needs=needs,
        offers=offers,
        areas=rules.areas,
        school_index=school_index,
        easting=floats(s.easting for s in schools),
        northing=floats(s.northing for s in schools),
        phase=ints(phase_code[s.phase] for s in schools),
        language=ints(language_code[s.language] for s in schools),
        pupils=floats(s.pupils for s in schools),
        fsm=floats(s.fsm_pct for s in schools),
        capacity_total=ints(-1 if s.capacity_total is None else s.capacity_total for s in schools),
        max_km=floats(np.inf if s.max_km is None else s.max_km for s in schools),
        need_school=ints(school_index[n.school_id] for n in needs),
        need_area=ints(area_index[n.area] for n in needs),
        need_severity=ints(n.severity for n in needs),
        offer_school=ints(school_index[o.school_id] for o in offers),
        offer_area=ints(area_index[o.area] for o in offers),
        offer_strength=ints(o.strength for o in offers),
        offer_capacity=ints(o.capacity for o in offers),
    )


def _compatibility(areas: tuple[str, ...]) -> np.ndarray:
    """[area, need phase, support phase] -> may pair."""
    return np.array(
        [[[phases_compatible(n, s, area) for s in PHASES] for n in PHASES] for area in areas],
        dtype=bool,
    )


def _language_compatibility() -> np.ndarray:
    # Only an English-medium and a Welsh-medium school never pair: bilingual schools and
    # schools with no recorded language pair with anyone (our decision, documented).
    table = np.ones((len(LANGUAGES), len(LANGUAGES)), dtype=bool)
    english, welsh = LANGUAGES.index(Language.ENGLISH), LANGUAGES.index(Language.WELSH)
    table[english, welsh] = table[welsh, english] = False
    return table


def _pair_keys(indexed: Indexed, pairs, n_areas: int) -> tuple[np.ndarray, np.ndarray]:
    """Encode unordered school pairs as int keys: (all-area keys, per-area keys)."""
    n = len(indexed.schools)
    area_index = {area: i for i, area in enumerate(indexed.areas)}
    every, per_area = [], []
    for pair in pairs:
        a, b = indexed.school_index[pair.school_a], indexed.school_index[pair.school_b]
        for x, y in ((a, b), (b, a)):
            if pair.area is None:
                every.append(x * n + y)
            else:
                per_area.append((x * n + y) * n_areas + area_index[pair.area])
    return np.array(every, dtype=np.int64), np.array(per_area, dtype=np.int64)


def _in_pairs(keys: tuple[np.ndarray, np.ndarray], school_pair: np.ndarray, area: int, n_areas):
    every, per_area = keys
    hit = np.isin(school_pair, every) if every.size else np.zeros(school_pair.shape, bool)
    if per_area.size:
        hit |= np.isin(school_pair * n_areas + area, per_area)
    return hit


def score_points(
    strength: np.ndarray,
    distance_km: np.ndarray,
    max_km: float,
    pupils_need: np.ndarray,
    pupils_support: np.ndarray,
    fsm_need: np.ndarray,
    fsm_support: np.ndarray,
    related: np.ndarray,
    weights,
) -> np.ndarray:
    """Match-quality points per component, each rounded half up: shape (pairs, 5)."""

    def half_up(values):
        return np.floor(values + 0.5).astype(np.int64)

    size_ratio = np.abs(np.log(np.maximum(pupils_need, 1) / np.maximum(pupils_support, 1)))
    return np.column_stack(
        [
            half_up(weights.strength * strength / 3),
            half_up(weights.closeness * (1 - distance_km / max_km)),
            half_up(weights.pupils * np.clip(1 - size_ratio / np.log(4), 0, 1)),
            half_up(weights.fsm * np.clip(1 - np.abs(fsm_need - fsm_support) / 25, 0, 1)),
            np.where(related, weights.relationship, 0).astype(np.int64),
        ]
    )


def find_candidates(
    indexed: Indexed, rules: Rules, progress: Callable[[str], None] | None = None
) -> Candidates:
    n_areas = len(indexed.areas)
    n_schools = len(indexed.schools)
    compatible = _compatibility(indexed.areas)
    language_ok = _language_compatibility()
    excluded_keys = _pair_keys(indexed, rules.exclusions, n_areas)
    related_keys = _pair_keys(indexed, rules.relationships, n_areas)
    m = len(indexed.needs)
    stage = np.full(m, STAGE_NO_OFFER, dtype=np.int64)
    nearest_km = np.full(m, np.inf)
    radius_m = rules.max_km * 1000.0 * (1 + 1e-9)  # the exact test is below, on our distance
    parts: list[tuple[np.ndarray, ...]] = []
    points = np.column_stack([indexed.easting, indexed.northing]) if n_schools else None

    for area in range(n_areas):
        need_ids = np.flatnonzero(indexed.need_area == area)
        offer_ids = np.flatnonzero(indexed.offer_area == area)
        if need_ids.size and offer_ids.size:
            need_schools = indexed.need_school[need_ids]
            offer_schools = indexed.offer_school[offer_ids]
            offer_tree = cKDTree(points[offer_schools])
            # Nearest other school offering the area, for explaining unmet needs.
            k = min(2, offer_ids.size)
            dist, nearest = offer_tree.query(points[need_schools], k=k)
            dist, nearest = dist.reshape(len(need_ids), k), nearest.reshape(len(need_ids), k)
            is_self = offer_schools[nearest] == need_schools[:, None]
            dist = np.where(is_self, np.inf, dist)
            nearest_km[need_ids] = dist.min(axis=1) / 1000.0
            stage[need_ids] = np.where(np.isfinite(nearest_km[need_ids]), STAGE_OUT_OF_RANGE, 0)

            pairs = cKDTree(points[need_schools]).sparse_distance_matrix(
                offer_tree, radius_m, output_type="ndarray"
            )
            local_need, local_offer = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
            need, offer = need_ids[local_need], offer_ids[local_offer]
            a, b = indexed.need_school[need], indexed.offer_school[offer]
            keep = a != b  # a school never supports itself
            need, offer, a, b = need[keep], offer[keep], a[keep], b[keep]
            d = (
                np.hypot(
                    indexed.easting[a] - indexed.easting[b],
                    indexed.northing[a] - indexed.northing[b],
                )
                / 1000.0
            )
            in_range = d <= np.minimum(rules.max_km, indexed.max_km[b])
            ok_phase = (
                compatible[area, indexed.phase[a], indexed.phase[b]]
                & language_ok[indexed.language[a], indexed.language[b]]
            )
            school_pair = a * n_schools + b
            excluded = _in_pairs(excluded_keys, school_pair, area, n_areas)
            pair_stage = np.where(
                in_range,
                np.where(
                    ok_phase,
                    np.where(excluded, STAGE_EXCLUDED, STAGE_CANDIDATE),
                    STAGE_INCOMPATIBLE,
                ),
                STAGE_OUT_OF_RANGE,
            )
            np.maximum.at(stage, need, pair_stage)
            chosen = pair_stage == STAGE_CANDIDATE
            need, offer, a, b, d = need[chosen], offer[chosen], a[chosen], b[chosen], d[chosen]
            related = _in_pairs(related_keys, school_pair[chosen], area, n_areas)
            parts.append((need, offer, d, related))
        elif need_ids.size:
            stage[need_ids] = STAGE_NO_OFFER
        if progress:
            progress(f"candidates {indexed.areas[area]}")

    if parts:
        need, offer, d, related = (np.concatenate(column) for column in zip(*parts, strict=True))
    else:
        need = offer = np.zeros(0, dtype=np.int64)
        d, related = np.zeros(0), np.zeros(0, dtype=bool)
    a, b = indexed.need_school[need], indexed.offer_school[offer]
    points_table = score_points(
        indexed.offer_strength[offer],
        d,
        rules.max_km,
        indexed.pupils[a],
        indexed.pupils[b],
        indexed.fsm[a],
        indexed.fsm[b],
        related,
        rules.weights,
    )
    return Candidates(
        need=need,
        offer=offer,
        distance_km=d,
        related=related,
        points=points_table,
        quality=points_table.sum(axis=1),
        stage=stage,
        nearest_km=nearest_km,
    )
