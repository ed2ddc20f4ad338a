"""What the data allow: "not enough data" below the thresholds (a sentence, no number, never
a 500), small cohorts held back or pooled, and a whole estimate from the real DfE files."""

from __future__ import annotations

import glob

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from partnerlens.directory.models import (
    Membership,
    OutcomeMeasure,
    Partnership,
    PartnershipKind,
    PartnershipRole,
    Role,
)
from partnerlens.impact.estimates import EstimateError, create_estimate
from partnerlens.impact.models import Estimate
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db
REAL = "demo/data/dfe_performance_2016-19_hampshire_surrey/*_936_ks2final.csv"  # Surrey


def _estimate(world, schools=None, **extra) -> Estimate:
    fields = {"measure": ew.MEASURE, "start_year": ew.START, **extra}
    estimate = create_estimate(
        world["partnership"],
        schools=schools or world["treated"],
        actor=world["lead"],
        **fields,
    )
    estimate.refresh_from_db()
    return estimate


def _page(client, world, estimate) -> str:
    client.force_login(world["lead"])
    url = reverse("impact:estimate", args=[world["partnership"].pk, estimate.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_too_few_partnership_schools_is_not_enough_data(client):
    world = ew.build(treated=4, comparison=60)
    estimate = _estimate(world)
    assert estimate.status == "not_enough_data" and estimate.job.status == "done"
    assert estimate.result["reasons"] == ["too_few_treated_schools"]
    assert estimate.result["effect"] is None
    html = _page(client, world, estimate)
    assert "Not enough data" in html and "Fewer than 5 of the partnership" in html
    assert 'id="headline"' not in html and 'id="event-study"' not in html


def test_a_start_in_the_first_years_is_not_enough_data(client):
    world = ew.build(treated=6, comparison=40)
    estimate = _estimate(world, start_year=ew.FIRST_YEAR + 1)
    assert estimate.status == "not_enough_data"
    # No family either: there is no prior outcome before the second year but one.
    assert "too_few_years_before" in estimate.result["reasons"]
    assert "Fewer than 2 years of results before the start" in _page(client, world, estimate)


def test_no_results_after_the_start_is_not_enough_data(client):
    world = ew.build(treated=6, comparison=40)
    OutcomeMeasure.objects.filter(measure=ew.MEASURE, period__gte=ew.period(ew.START)).delete()
    estimate = _estimate(world)
    assert "too_few_years_after" in estimate.result["reasons"]
    assert "No results yet from the start year or after it." in _page(client, world, estimate)


def test_trends_that_differed_before_the_start_carry_a_warning(client):
    world = ew.build(treated=12, comparison=80, pretrend=0.3, seed=4)
    estimate = _estimate(world)
    assert estimate.status == "estimated"
    assert estimate.result["pretrend"] == "not_parallel" and estimate.result["pretrend_p"] < 0.05
    html = _page(client, world, estimate)
    assert 'id="pretrend-warning"' in html and "were not moving in step" in html
    calm = ew.build(treated=12, comparison=80, seed=4, urn_base=500_000)
    assert _estimate(calm).result["pretrend"] == "parallel"


def test_a_school_of_five_pupils_or_fewer_is_held_back(client):
    world = ew.build(treated=6, comparison=60, small_cohort_school=True)
    estimate = _estimate(world)
    assert estimate.result["suppressed"] == ew.YEARS  # every year of the school of 4
    assert estimate.result["treated"] == 5
    html = _page(client, world, estimate)
    assert f"{ew.YEARS} school-year figures for 5 pupils or fewer were not used." in html


def test_three_year_averages_keep_a_small_school_in(client):
    world = ew.build(treated=6, comparison=60, small_cohort_school=True)
    estimate = _estimate(world, pool_years=True)
    # 4 pupils pooled over two or three years passes the threshold; its first year does not.
    assert estimate.result["pooled"] is True and estimate.result["suppressed"] == 1
    assert estimate.result["treated"] == 6
    assert "cohort-weighted mean of its last three years" in _page(client, world, estimate)


def test_only_the_partnerships_schools_and_measures_may_be_asked_for():
    world = ew.build(treated=5, comparison=10)
    partnership = world["partnership"]
    for fields, code in (
        ({"schools": world["others"][:5]}, "not_member_schools"),
        ({"schools": []}, "no_schools"),
        ({"measure": "ks4.att8"}, "measure_not_available"),
    ):
        args = {"measure": ew.MEASURE, "schools": world["treated"], "start_year": ew.START}
        with pytest.raises(EstimateError) as refused:
            create_estimate(partnership, actor=world["lead"], **{**args, **fields})
        assert refused.value.code == code
    assert not Estimate.objects.exists()


def test_an_estimate_from_the_real_surrey_files(client, make_user):
    call_command("import_data", *sorted(glob.glob(REAL)), verbosity=0)
    # Twelve schools with a figure in each of the three years, for more than 5 pupils.
    shown = OutcomeMeasure.objects.filter(measure="ks2.rwm_exp_pct").values("organisation_id")
    small = OutcomeMeasure.objects.filter(measure="ks2.pupils", value__lte=5)
    schools = list(
        shown.exclude(organisation_id__in=small.values("organisation_id"))
        .annotate(years=Count("period"))
        .filter(years=3)
        .order_by("organisation__urn")
        .values_list("organisation_id", flat=True)[:12]
    )
    partnership = Partnership.objects.create(name="Surrey Twelve", kind=PartnershipKind.CLUSTER)
    Membership.objects.bulk_create(
        Membership(partnership=partnership, organisation_id=school) for school in schools
    )
    lead = make_user("surrey_lead")
    PartnershipRole.objects.create(partnership=partnership, user=lead, role=Role.PARTNERSHIP_LEAD)
    estimate = create_estimate(
        partnership, measure="ks2.rwm_exp_pct", schools=schools, start_year=2018, actor=lead
    )
    estimate.refresh_from_db()
    assert estimate.status == "estimated", estimate.result
    result = estimate.result
    assert (result["treated"], result["years_before"], result["years_after"]) == (12, 2, 1)
    assert result["comparison"] >= 100  # Surrey has ~220 other primaries with all three years
    assert result["ci_low"] < result["effect"] < result["ci_high"]
    assert result["pretrend"] in ("parallel", "not_parallel")
    group = estimate.group
    assert group.schools.filter(status="matched").count() == 12
    assert set(group.members.values_list("member_id", flat=True)).isdisjoint(schools)
    client.force_login(lead)
    home = client.get(reverse("impact:home", args=[partnership.pk])).content.decode()
    assert "KS2: percentage of pupils meeting the expected standard" in home
    family = reverse("impact:family", args=[partnership.pk, group.pk])
    html = client.get(family).content.decode()
    assert "Balance before and after matching" in html and 'id="balance"' in html
