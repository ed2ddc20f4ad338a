"""The engine's assignment is as good as an independent exact MILP, on generated instances."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerlens.brokerage.engine import (
    Language,
    Need,
    Offer,
    Pair,
    Phase,
    Pin,
    Rules,
    School,
    match,
)

from .reference import allowed_arcs, assert_rules_hold, exact_optimum, quality

AREAS = ("maths", "send", "early_years", "leadership")
PHASES = list(Phase)
PHASE_P = [0.35, 0.25, 0.1, 0.12, 0.1, 0.08]


def generated(seed: int, n_schools: int | None = None, box_km: float = 30.0):
    """A random instance crowded enough that capacity, distance and phase all bite."""
    rng = np.random.default_rng(seed)
    n = n_schools or int(rng.integers(6, 36))
    schools = []
    for i in range(n):
        schools.append(
            School(
                school_id=f"s{i}",
                name=f"School {i}",
                phase=PHASES[rng.choice(len(PHASES), p=PHASE_P)],
                easting=400_000 + rng.uniform(0, box_km * 1000),
                northing=300_000 + rng.uniform(0, box_km * 1000),
                pupils=int(rng.integers(0, 1600)),
                fsm_pct=round(float(rng.uniform(0, 60)), 1),
                capacity_total=int(rng.integers(0, 4)) if rng.random() < 0.4 else None,
                max_km=float(rng.choice([5.0, 10.0, 40.0])) if rng.random() < 0.3 else None,
                language=(None if rng.random() < 0.7 else list(Language)[rng.integers(3)]),
            )
        )
    needs, offers = [], []
    for school in schools:
        for area in AREAS:
            roll = rng.random()
            if roll < 0.3:
                needs.append(Need(school.school_id, area, int(rng.integers(1, 4))))
            elif roll < 0.5:
                offers.append(
                    Offer(school.school_id, area, int(rng.integers(1, 4)), int(rng.integers(0, 3)))
                )
    ids = [s.school_id for s in schools]

    def random_pairs(count):
        pairs = []
        for _ in range(count):
            a, b = rng.choice(ids, size=2, replace=False)
            area = None if rng.random() < 0.5 else str(rng.choice(AREAS))
            pairs.append(Pair(str(a), str(b), area))
        return tuple(pairs)

    rules = Rules(
        max_km=float(rng.choice([8.0, 12.0, 20.0])),
        areas=AREAS,
        exclusions=random_pairs(int(rng.integers(0, 4))),
        relationships=random_pairs(int(rng.integers(0, 6))),
    )
    return schools, needs, offers, rules


def check_against_milp(schools, needs, offers, rules, pinned_arcs=()):
    result = match(schools, needs, offers, rules)
    assert_rules_hold(result, schools, needs, offers, rules.max_km, rules.exclusions, rules.pins)
    arcs = allowed_arcs(schools, needs, offers, rules.max_km, rules.exclusions, rules.relationships)
    best_severity, best_quality = exact_optimum(schools, needs, offers, arcs, pinned_arcs)
    assert result.totals.severity_met == pytest.approx(best_severity, abs=1e-6)
    assert result.totals.quality_met == pytest.approx(best_quality, abs=1e-6)
    assert result.totals.candidate_pairs == len(arcs)
    # Every proposed pair's score is the documented quality formula, recomputed here.
    scores = {(a.need_school, a.area, a.support_school): a.quality for a in arcs}
    for m in result.matches:
        assert m.score == scores[(m.need_school_id, m.area, m.support_school_id)]
    return result, arcs


@pytest.mark.parametrize("seed", range(40))
def test_it_meets_as_much_severity_and_quality_as_an_exact_milp(seed):
    check_against_milp(*generated(seed))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(2, 45), box=st.sampled_from([5.0, 30.0]))
def test_it_matches_the_milp_on_any_generated_instance(seed, n, box):
    check_against_milp(*generated(seed, n, box))


@pytest.mark.parametrize("seed", range(12))
def test_it_keeps_pins_and_is_optimal_around_them(seed):
    schools, needs, offers, rules = generated(1000 + seed, 30, 15.0)
    arcs = allowed_arcs(schools, needs, offers, rules.max_km, rules.exclusions, rules.relationships)
    # Pin the weakest allowed pair of some offer with room, which the optimum would avoid.
    usable = [a for a in arcs if offers[a.offer].capacity > 0]
    if not usable:
        pytest.skip("no allowed pair to pin in this instance")
    by_id = {s.school_id: s for s in schools}
    usable = [a for a in usable if by_id[a.support_school].capacity_total != 0]
    if not usable:
        pytest.skip("no allowed pair with capacity_total to pin in this instance")
    weakest = min(usable, key=lambda a: (a.quality, a.severity))
    pin = Pin(weakest.need_school, weakest.area, weakest.support_school)
    rules = Rules(
        max_km=rules.max_km,
        areas=rules.areas,
        exclusions=rules.exclusions,
        relationships=rules.relationships,
        pins=(pin,),
    )
    result, _ = check_against_milp(schools, needs, offers, rules, [arcs.index(weakest)])
    pinned = [m for m in result.matches if m.explanation["pinned"]]
    assert [(m.need_school_id, m.support_school_id) for m in pinned] == [
        (pin.need_school_id, pin.support_school_id)
    ]


def test_quality_never_buys_a_need_met():
    # One supporter with room for one: a severity-3 need far away beats a severity-2 need next
    # door with a perfect context match, because severity is maximised first.
    schools = [
        School("sup", "Supporter", Phase.PRIMARY, 400_000, 300_000, 300, 20, max_km=None),
        School("near", "Near", Phase.PRIMARY, 400_100, 300_000, 300, 20),
        School("far", "Far", Phase.PRIMARY, 424_000, 300_000, 2000, 70),
    ]
    needs = [Need("near", "maths", 2), Need("far", "maths", 3)]
    offers = [Offer("sup", "maths", 1, 1)]
    result = match(schools, needs, offers, Rules(max_km=25))
    assert [(m.need_school_id, m.severity) for m in result.matches] == [("far", 3)]
    assert result.unmet[0].school_id == "near" and result.unmet[0].reason == "capacity"


def test_optimal_is_never_worse_than_greedy():
    for seed in range(15):
        schools, needs, offers, rules = generated(500 + seed, 40, 20.0)
        best = match(schools, needs, offers, rules).totals
        greedy = match(schools, needs, offers, rules, method="greedy")
        assert_rules_hold(greedy, schools, needs, offers, rules.max_km, rules.exclusions)
        assert best.severity_met >= greedy.totals.severity_met
        if best.severity_met == greedy.totals.severity_met:
            assert best.quality_met >= greedy.totals.quality_met


def test_quality_formula_of_the_reference_matches_a_worked_example():
    # strength 2 -> 267; 5 of 25 km -> 240; 200 vs 400 pupils -> 50; FSM 10 vs 20 -> 60.
    assert quality(2, 5.0, 25.0, 200, 400, 10.0, 20.0, False) == 267 + 240 + 50 + 60
