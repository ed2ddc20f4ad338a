"""A scenario for chosen schools: only their needs are matched, any member school may support."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from partnerlens.audit.models import AuditEvent
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import Scenario
from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
from partnerlens.directory.models import Membership, Organisation, OrganisationKind


def pairs(run):
    return sorted(
        (m.support_school.name, m.need_school.name, m.area)
        for m in run.matches.select_related("need_school", "support_school")
    )


def focused(cluster, *schools, **extra):
    return create_scenario(
        cluster["a"],
        name="For the isolated",
        areas=["maths"],
        max_km=25,
        actor=cluster["broker"],
        focus=[school.pk for school in schools],
        **extra,
    )


def test_a_focus_matches_only_its_schools_needs_with_supporters_from_the_whole_partnership(
    cluster,
):
    scenario = focused(cluster, cluster["birch"])
    run = run_scenario(scenario, actor=cluster["broker"])
    # Ash's urgent need is not this scenario's; Cedar, outside the focus, supports Birch.
    assert pairs(run) == [("Cedar Primary", "Birch Primary", "maths")]
    assert run.settings["needs"] == 1 and run.settings["focus"] == [cluster["birch"].pk]
    assert not run.unmet.exists()


def test_the_focus_and_the_audit_entry_keep_the_schools_ids(cluster):
    scenario = focused(cluster, cluster["birch"], cluster["ash"], cluster["birch"])
    assert Scenario.objects.get(pk=scenario.pk).focus == sorted(
        [cluster["ash"].pk, cluster["birch"].pk]
    )
    event = AuditEvent.objects.get(verb="brokerage.scenario_created", object_id=str(scenario.pk))
    assert event.detail["focus"] == sorted([cluster["ash"].pk, cluster["birch"].pk])


def test_a_school_outside_the_partnership_is_refused_by_name(cluster):
    southside = Organisation.objects.get(name="Southside Academy")  # partnership B's school
    with pytest.raises(BrokerageError) as error:
        focused(cluster, cluster["ash"], southside)
    assert "current member schools" in str(error.value)
    assert "Southside Academy" in str(error.value) and "Ash Primary" not in str(error.value)
    assert not Scenario.objects.exists()


def test_an_unknown_id_a_former_member_and_a_body_that_is_no_school_are_refused(
    cluster, make_school
):
    gone = make_school("Elder Primary")
    Membership.objects.create(
        partnership=cluster["a"],
        organisation=gone,
        joined=datetime.date(2020, 9, 1),
        left=datetime.date(2024, 8, 31),
    )
    council = Organisation.objects.create(kind=OrganisationKind.LOCAL_AUTHORITY, name="Council")
    Membership.objects.create(partnership=cluster["a"], organisation=council)
    with pytest.raises(BrokerageError) as error:
        create_scenario(
            cluster["a"],
            name="Wrong",
            areas=["maths"],
            max_km=25,
            actor=cluster["broker"],
            focus=[gone.pk, council.pk, 987654321],
        )
    assert "Elder Primary, Council, 987654321" in str(error.value)


def test_an_empty_focus_is_every_school_as_before(cluster, scenario):
    assert scenario.focus == []
    run = run_scenario(scenario, actor=cluster["broker"])
    assert len(pairs(run)) == 2 and run.settings["focus"] == []
    event = AuditEvent.objects.get(verb="brokerage.scenario_created")
    assert event.detail["focus"] == []


def test_a_focus_school_outside_the_pool_is_named_as_left_out(cluster):
    scenario = focused(cluster, cluster["birch"], la_name="Stockport")  # Birch is in Trafford
    run = run_scenario(scenario, actor=cluster["broker"])
    assert {"school": "Birch Primary", "code": "skipped.focus_not_in_pool", "params": {}} in (
        run.skipped
    )
    assert run.settings["needs"] == 0


def test_the_scenario_page_says_whom_it_is_for_in_the_readers_language(client, cluster):
    scenario = focused(cluster, cluster["birch"], cluster["ash"])
    client.force_login(cluster["broker"])
    url = reverse("brokerage:scenario_detail", args=[cluster["a"].pk, scenario.pk])
    page = client.get(url).content.decode()
    assert '<dt class="govuk-summary-list__key">For</dt>' in page
    assert "<li>Ash Primary</li><li>Birch Primary</li>" in page
    with translation.override("cy"):
        welsh_url = reverse("brokerage:scenario_detail", args=[cluster["a"].pk, scenario.pk])
        welsh = client.get(welsh_url).content.decode()
    assert '<dt class="govuk-summary-list__key">Ar gyfer</dt>' in welsh
    assert "<li>Ash Primary</li>" in welsh


def test_a_scenario_for_every_school_says_nothing_of_whom_it_is_for(client, cluster, scenario):
    client.force_login(cluster["broker"])
    url = reverse("brokerage:scenario_detail", args=[cluster["a"].pk, scenario.pk])
    assert 'id="scenario-focus"' not in client.get(url).content.decode()
