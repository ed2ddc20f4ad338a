"""Comparison families chosen from the directory: outside the partnership, stored with their
inputs and distances, and the same every time the same data are used."""

from __future__ import annotations

import pandas as pd
import pytest

from partnerlens.directory.models import Membership, Organisation, OutcomeMeasure
from partnerlens.impact.analytics.families import FAMILY_SIZE, WEIGHTS
from partnerlens.impact.families import choose_families, comparison_ids, superseded
from partnerlens.impact.models import FamilyMember, FamilySchool
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return ew.build(treated=6, comparison=90)


def _choose(world, schools=None):
    return choose_families(world["partnership"], ew.MEASURE, schools or world["treated"], ew.START)


def test_each_school_gets_fifty_schools_none_of_them_in_the_partnership(world):
    # A member school left out of the analysis is still kept out of every family.
    group = _choose(world, world["treated"][:4])
    members = set(group.members.values_list("member_id", flat=True))
    assert members.isdisjoint(world["treated"])
    assert members <= set(world["others"])
    for school in group.schools.all():
        assert (school.status, school.size) == ("matched", FAMILY_SIZE)
        ranks = list(group.members.filter(school=school.school).values_list("rank", flat=True))
        assert ranks == list(range(1, FAMILY_SIZE + 1))
    assert group.schools.count() == 4


def test_a_school_that_left_the_partnership_may_be_a_comparison_school(world):
    left = world["treated"][5]
    Membership.objects.filter(organisation_id=left).update(left="2020-01-01")
    group = _choose(world, world["treated"][:5])
    pool = set(comparison_ids(group))
    assert left not in world["treated"][:5] and pool.isdisjoint(world["treated"][:5])
    assert group.pool == len(world["others"]) + 1


def test_choosing_again_on_the_same_data_gives_the_same_families(world):
    first, second = _choose(world), _choose(world)
    assert first.pk != second.pk

    def rows(group):
        return list(
            group.members.order_by("school_id", "rank").values_list(
                "school_id", "member_id", "rank", "distance", "inputs"
            )
        )

    assert rows(first) == rows(second) and len(rows(first)) == 6 * FAMILY_SIZE
    assert first.balance == second.balance


def test_the_inputs_their_years_and_distances_are_stored(world):
    group = _choose(world)
    assert (group.prior_from, group.prior_to, group.context_year) == (
        ew.START - 3,
        ew.START - 1,
        ew.START - 1,
    )
    assert group.weights == WEIGHTS and group.family_size == FAMILY_SIZE
    nearest = group.members.order_by("school_id", "rank").first()
    # The prior outcome stored is the mean of the three years before the start.
    values = OutcomeMeasure.objects.filter(
        organisation_id=nearest.member_id,
        measure=ew.MEASURE,
        period__in=[ew.period(y) for y in range(ew.START - 3, ew.START)],
    ).values_list("value", flat=True)
    assert nearest.inputs["prior"] == pytest.approx(sum(values) / 3, abs=1e-3)
    assert set(nearest.inputs) == {"phase", "prior", "fsm", "eal", "sen", "pupils"}
    distances = list(
        group.members.filter(school_id=nearest.school_id).values_list("distance", flat=True)
    )
    assert distances == sorted(distances) and distances[0] > 0
    assert {row["covariate"] for row in group.balance} == set(WEIGHTS)


def test_the_families_balance_prior_outcome_better_than_the_whole_pool(world):
    group = _choose(world)
    prior = next(row for row in group.balance if row["covariate"] == "prior")
    assert abs(prior["smd_after"]) <= abs(prior["smd_before"]) + 1e-9


def test_a_school_without_census_figures_gets_no_family_and_says_why(world):
    missing = world["treated"][0]
    OutcomeMeasure.objects.filter(organisation_id=missing, measure="census.eal_pct").delete()
    group = _choose(world)
    school = FamilySchool.objects.get(group=group, school_id=missing)
    assert (school.status, school.size) == ("missing_covariates", 0)
    assert school.inputs["eal"] is None
    assert not FamilyMember.objects.filter(group=group, school_id=missing).exists()
    assert group.schools.filter(status="matched").count() == 5


def test_schools_known_only_from_performance_tables_are_placed_by_key_stage(world):
    # No census rows and no phase: the KS2 table's own context columns stand in.
    school = world["schools"][10]
    OutcomeMeasure.objects.filter(organisation=school, measure__startswith="census.").delete()
    school.phase = ""
    school.save(update_fields=["phase"])
    for code, value in (
        ("ks2.disadvantaged_pct", 30.0),
        ("ks2.eal_pct", 12.0),
        ("ks2.sen_support_pct", 11.0),
        ("ks2.ehcp_pct", 2.0),
        ("ks2.roll", 410.0),
    ):
        OutcomeMeasure.objects.create(
            organisation=school, measure=code, period=ew.period(ew.START - 1), value=value
        )
    group = _choose(world)
    stored = FamilyMember.objects.filter(group=group, member=school).values_list(
        "inputs", flat=True
    )
    assert stored, "the school was left out of every family"
    assert stored[0] == {
        "phase": "primary",
        "prior": stored[0]["prior"],
        "fsm": 30.0,
        "eal": 12.0,
        "sen": 13.0,
        "pupils": 410.0,
    }


def test_the_tables_taken_from_the_census_read_equal_a_read_of_their_own(world):
    # The tables' context columns are taken from the rows the census context read (one read
    # of the national table per estimate): they must be what a read of their own gives, the
    # latest up to the year, ties to the first code, a school without a URN read apart.
    from partnerlens.impact import families, panel

    year = ew.START - 1
    later, no_urn, tie = world["schools"][10], world["schools"][11], world["schools"][12]
    no_urn.urn = None
    no_urn.save(update_fields=["urn"])
    rows = [
        (later, "ks2.eal_pct", year - 2, 5.0),
        (later, "ks2.eal_pct", year, 7.0),
        (later, "ks2.eal_pct", year + 1, 99.0),  # after the year: never used
        (later, "ks2.roll", year - 1, 300.0),
        (no_urn, "ks2.disadvantaged_pct", year, 41.0),
        (no_urn, "ks4.roll", year - 1, 900.0),
        (tie, "ks2.sen_support_pct", year, 10.0),
        (tie, "ks2.ehcp_pct", year, 1.0),
        (tie, "ks4.sen_support_pct", year, 20.0),
        (tie, "ks4.ehcp_pct", year - 1, 3.0),
    ]
    OutcomeMeasure.objects.bulk_create(
        OutcomeMeasure(organisation=school, measure=code, period=ew.period(y), value=value)
        for school, code, y, value in rows
    )
    ids = [school.pk for school in world["schools"]]
    context, figures = panel.context_and_figures(ids, year)
    for stages in (("ks2.",), ("ks4.",), ("ks2.", "ks4.")):
        taken = families._tables_read(context.set_index("school"), figures, year, stages)
        read = families.table_context(ids, year, stages)
        pd.testing.assert_frame_equal(taken.sort_index(), read.sort_index())
    both = families._tables_read(context.set_index("school"), figures, year, ("ks2.", "ks4."))
    assert both.loc[later.pk, "eal"] == 7.0 and both.loc[later.pk, "pupils"] == 300.0
    assert both.loc[no_urn.pk, "fsm"] == 41.0 and both.loc[no_urn.pk, "pupils"] == 900.0
    assert both.loc[tie.pk, "sen"] == 11.0


def test_closed_schools_and_predecessors_carried_by_a_successor_are_never_comparison_schools(
    world,
):
    closed, predecessor = world["others"][:2]
    Organisation.objects.filter(pk=closed).update(status="Closed")
    carried = Organisation.objects.get(pk=predecessor).urn
    panel = pd.DataFrame(
        {"school": [world["others"][2]], "year": [ew.START - 2], "value": [1.0], "cohort": [30.0]}
    ).assign(via=str(carried))
    assert superseded(panel) == {closed, predecessor}
    group = _choose(world)
    assert set(comparison_ids(group)).isdisjoint({closed})
    assert group.pool == len(world["others"]) - 1
