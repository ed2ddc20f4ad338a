"""The audit rule on real DfE 2018/19 rows, imported with the project's own importer."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from partnerlens.brokerage.models import AreaAssessment
from partnerlens.brokerage.services.profiles import derive_assessments
from partnerlens.directory.models import Membership, Organisation, Partnership

DATA = Path(__file__).resolve().parents[3] / "demo" / "data" / "dfe_performance_2018-19"
ABSENCE = DATA / "england_abs_london_northwest.csv"
KS4 = DATA / "england_ks4provisional_london_northwest.csv"


def rows(path):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def rank(values, value):
    return (sum(v < value for v in values) + sum(v == value for v in values) / 2) / len(values)


@pytest.fixture(scope="module")
def published():
    absence = [r for r in rows(ABSENCE) if number(r["PERCTOT"]) is not None]
    ks4 = [r for r in rows(KS4) if r["RECTYPE"] in ("1", "2")]
    return absence, ks4


@pytest.fixture
def imported(db, published, make_user):
    call_command("import_data", str(ABSENCE), str(KS4))
    absence, ks4 = published
    # The schools the tests look at, all in one partnership.
    worst = max(absence, key=lambda r: (number(r["PPERSABS10"]) or 0, number(r["PERCTOT"])))
    best = min(absence, key=lambda r: (number(r["PPERSABS10"]) or 99, number(r["PERCTOT"])))
    floor = next(
        r
        for r in ks4
        if number(r["P8MEA"]) is not None and number(r["P8MEA"]) < -0.5 and number(r["P8CIUPP"]) < 0
    )
    well_above = next(
        r
        for r in ks4
        if number(r["P8MEA"]) is not None and number(r["P8CILOW"]) > 0 and number(r["P8MEA"]) > 0.5
    )
    chosen = {"worst": worst, "best": best, "floor": floor, "well_above": well_above}
    partnership = Partnership.objects.create(name="London and North West", kind="la_partnership")
    for row in chosen.values():
        organisation = Organisation.objects.get(urn=int(row["URN"]))
        Membership.objects.get_or_create(partnership=partnership, organisation=organisation)
    broker = make_user("broker")
    derive_assessments(partnership, actor=broker)
    return partnership, chosen, absence


def levels(partnership, row, area):
    found = AreaAssessment.objects.filter(
        partnership=partnership, organisation__urn=int(row["URN"]), area=area
    ).first()
    return (found.need_level, found.expertise_level) if found else (0, 0)


def test_the_worst_attendance_in_the_file_is_an_urgent_need(imported):
    partnership, chosen, absence = imported
    worst = chosen["worst"]
    persistent = [number(r["PPERSABS10"]) for r in absence if number(r["PPERSABS10"]) is not None]
    assert rank(persistent, number(worst["PPERSABS10"])) > 0.97
    assert levels(partnership, worst, "behaviour_attendance") == (3, 0)


def test_the_best_attendance_in_the_file_is_expertise(imported):
    partnership, chosen, _absence = imported
    assert levels(partnership, chosen["best"], "behaviour_attendance") == (0, 2)


def test_a_school_below_the_progress8_floor_needs_curriculum_and_leadership_support(imported):
    partnership, chosen, _absence = imported
    floor = chosen["floor"]
    assert levels(partnership, floor, "curriculum") == (3, 0)
    assert levels(partnership, floor, "leadership") == (2, 0)
    row = AreaAssessment.objects.get(
        partnership=partnership, organisation__urn=int(floor["URN"]), area="curriculum"
    )
    assert row.sources[0]["code"] == "evidence.p8_well_below"
    assert row.sources[0]["params"]["p8"] == pytest.approx(number(floor["P8MEA"]))
    assert row.sources[0]["date"] == "2018-19"


def test_a_school_well_above_on_progress8_shows_curriculum_expertise(imported):
    partnership, chosen, _absence = imported
    assert levels(partnership, chosen["well_above"], "curriculum") == (0, 2)


def test_deriving_twice_changes_nothing(imported, make_user):
    partnership, _chosen, _absence = imported
    assert derive_assessments(partnership, actor=make_user("again")) == 0
