"""Each matching rule, one small instance at a time."""

from __future__ import annotations

import numpy as np
import pytest

from partnerlens.brokerage.engine import (
    InputErrors,
    Language,
    Need,
    Offer,
    Pair,
    Phase,
    Pin,
    Rules,
    School,
    match,
    phases_compatible,
    wgs84_to_bng,
)
from partnerlens.brokerage.engine.files import explanation_line


def school(school_id, phase=Phase.PRIMARY, km_east=0.0, **extra):
    return School(
        school_id=school_id,
        name=f"{school_id.title()} School",
        phase=phase,
        easting=400_000 + km_east * 1000,
        northing=300_000,
        pupils=extra.pop("pupils", 300),
        fsm_pct=extra.pop("fsm_pct", 20.0),
        **extra,
    )


def pairs(result):
    return sorted((m.need_school_id, m.area, m.support_school_id) for m in result.matches)


def test_all_through_pairs_with_primary_and_secondary_both_ways():
    for a, b in [(Phase.ALL_THROUGH, Phase.PRIMARY), (Phase.ALL_THROUGH, Phase.SECONDARY)]:
        assert phases_compatible(a, b, "maths") and phases_compatible(b, a, "maths")
    assert not phases_compatible(Phase.PRIMARY, Phase.SECONDARY, "maths")


def test_a_special_school_supports_any_phase_but_only_in_send():
    for phase in Phase:
        assert phases_compatible(phase, Phase.SPECIAL, "send")
    assert not phases_compatible(Phase.PRIMARY, Phase.SPECIAL, "maths")
    assert not phases_compatible(Phase.SPECIAL, Phase.PRIMARY, "send")


def test_nursery_and_primary_pair_only_in_early_years():
    assert phases_compatible(Phase.NURSERY, Phase.PRIMARY, "early_years")
    assert phases_compatible(Phase.PRIMARY, Phase.NURSERY, "early_years")
    assert not phases_compatible(Phase.NURSERY, Phase.PRIMARY, "leadership")
    assert not phases_compatible(Phase.POST_16, Phase.SECONDARY, "maths")


def test_the_grid_conversion_agrees_with_the_real_geocoded_school_list():
    # demo/data's EduBase file holds each school's WGS84 lat/lon and its BNG point from
    # pyproj (EPSG:4326 -> 27700), rounded to the metre.
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "demo/data/edubase_2017_geocoded"
    with (path / "schools_geocoded.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lat = [float(r["lat"]) for r in rows]
    lon = [float(r["lon"]) for r in rows]
    easting, northing = wgs84_to_bng(lat, lon)
    error = np.hypot(
        easting - [float(r["easting"]) for r in rows],
        northing - [float(r["northing"]) for r in rows],
    )
    assert len(rows) > 5000 and error.max() < 1.5


def test_an_unmet_need_says_why():
    schools = [
        school("lonely", km_east=0),
        school("far", km_east=60),
        school("sec", Phase.SECONDARY, km_east=1),
        school("banned", km_east=2),
        school("busy", km_east=80),
        school("first", km_east=81),
        school("second", km_east=82),
    ]
    needs = [
        Need("lonely", "governance", 2),  # nobody offers governance
        Need("lonely", "maths", 2),  # only "far" offers maths, 60 km away
        Need("lonely", "english", 2),  # only a secondary offers english
        Need("lonely", "science", 2),  # the only science offer is excluded
        Need("first", "leadership", 3),
        Need("second", "leadership", 2),  # "busy" has room for one: severity 3 wins
    ]
    offers = [
        Offer("far", "maths", 3, 1),
        Offer("sec", "english", 3, 1),
        Offer("banned", "science", 3, 1),
        Offer("busy", "leadership", 2, 1),
    ]
    rules = Rules(exclusions=(Pair("banned", "lonely", "science"),))
    result = match(schools, needs, offers, rules)
    assert pairs(result) == [("first", "leadership", "busy")]
    why = {(u.school_id, u.area): (u.reason.value, u.params) for u in result.unmet}
    assert why[("lonely", "governance")] == ("no_offer", {"area": "governance"})
    assert why[("lonely", "maths")] == (
        "out_of_range",
        {"area": "maths", "nearest_km": 60.0, "limit_km": 25.0},
    )
    assert why[("lonely", "english")] == ("incompatible", {"area": "english"})
    assert why[("lonely", "science")] == ("excluded", {"area": "science"})
    assert why[("second", "leadership")] == ("capacity", {"area": "leadership", "count": 1})
    assert result.totals.by_reason == {
        "no_offer": 1,
        "out_of_range": 1,
        "incompatible": 1,
        "excluded": 1,
        "capacity": 1,
    }


def test_the_supporters_own_max_km_and_capacity_total_hold():
    schools = [
        school("sup", km_east=0, max_km=5.0, capacity_total=1),
        school("near", km_east=4),
        school("mid", km_east=6),
    ]
    needs = [Need("near", "maths", 1), Need("near", "english", 3), Need("mid", "maths", 3)]
    offers = [Offer("sup", "maths", 3, 5), Offer("sup", "english", 1, 5)]
    result = match(schools, needs, offers, Rules(max_km=25))
    # "mid" is beyond sup's own 5 km; capacity_total 1 leaves room for the severity-3 need.
    assert pairs(result) == [("near", "english", "sup")]


def test_welsh_and_english_medium_schools_do_not_pair_but_bilingual_does():
    schools = [
        school("cymraeg", language=Language.WELSH),
        school("english", km_east=1, language=Language.ENGLISH),
        school("dwyieithog", km_east=2, language=Language.BILINGUAL),
    ]
    needs = [Need("cymraeg", "maths", 2)]
    offers = [Offer("english", "maths", 3, 1), Offer("dwyieithog", "maths", 1, 1)]
    assert pairs(match(schools, needs, offers)) == [("cymraeg", "maths", "dwyieithog")]


def test_an_existing_relationship_tips_an_otherwise_equal_choice():
    schools = [school("need"), school("west", km_east=-3), school("east", km_east=3)]
    needs = [Need("need", "maths", 2)]
    offers = [Offer("west", "maths", 2, 1), Offer("east", "maths", 2, 1)]
    for friend in ("west", "east"):
        result = match(schools, needs, offers, Rules(relationships=(Pair(friend, "need"),)))
        assert pairs(result) == [("need", "maths", friend)]
        assert result.matches[0].explanation["existing_relationship"] is True
        assert result.matches[0].explanation["score"]["relationship"] == 100


def test_the_explanation_carries_need_evidence_distance_context_and_score():
    schools = [school("need", fsm_pct=30.0), school("help", km_east=5, pupils=600)]
    result = match(schools, [Need("need", "maths", 3)], [Offer("help", "maths", 3, 2)])
    explanation = result.matches[0].explanation
    assert explanation["need"]["severity"] == 3 and explanation["support"]["strength"] == 3
    assert explanation["distance_km"] == 5.0 and explanation["limit_km"] == 25.0
    assert explanation["context"] == {
        "need_pupils": 300,
        "support_pupils": 600,
        "need_fsm_pct": 30.0,
        "support_fsm_pct": 20.0,
    }
    assert explanation["score"] == {
        "strength": 400,
        "closeness": 240,
        "pupils": 50,
        "fsm": 60,
        "relationship": 0,
        "total": 750,
        "maximum": 1000,
    }
    assert explanation_line(explanation) == (
        "severity=3; strength=3; km=5/25; pupils=300/600; fsm_pct=30/20; relationship=no; "
        "pinned=no; score=750/1000 (strength=400 closeness=240 pupils=50 fsm=60 relationship=0)"
    )


def test_pins_that_break_a_rule_or_capacity_are_refused_with_reasons():
    schools = [
        school("a"),
        school("b", km_east=1),
        school("c", km_east=2),
        school("far", km_east=99),
    ]
    needs = [Need("a", "maths", 1), Need("c", "maths", 1), Need("far", "maths", 1)]
    offers = [Offer("b", "maths", 2, 1)]
    rules = Rules(
        pins=(
            Pin("a", "maths", "b"),
            Pin("c", "maths", "b"),
            Pin("far", "maths", "b"),
            Pin("a", "english", "b"),
        )
    )
    with pytest.raises(InputErrors) as raised:
        match(schools, needs, offers, rules)
    assert [(p.reason, p.params) for p in raised.value.problems] == [
        ("pin.not_allowed", {"support": "b", "need": "far", "area": "maths"}),
        ("pin.no_need", {"support": "b", "need": "a", "area": "english"}),
        ("pin.offer_capacity", {"support": "b", "area": "maths"}),
    ]
    assert str(raised.value.problems[1]) == (
        "pins: The pin of b supporting a (English and literacy): no such need."
    )


def test_unknown_ids_and_areas_in_engine_input_are_named():
    with pytest.raises(InputErrors) as raised:
        match(
            [school("a")],
            [Need("ghost", "maths", 1), Need("a", "finance", 1)],
            [Offer("a", "maths", 1, 1)],
        )
    assert [str(p) for p in raised.value.problems] == [
        "needs item 1: unknown school_id 'ghost'",
        "needs item 2: unknown area 'finance'",
    ]


def test_an_empty_instance_is_not_an_error():
    result = match([], [], [])
    assert result.matches == [] and result.unmet == [] and result.totals.needs == 0
