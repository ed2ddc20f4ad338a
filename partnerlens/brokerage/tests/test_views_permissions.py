"""Every brokerage URL against every persona: who gets in, who is refused, and nothing changes
when someone is refused. The table must name every URL pattern of the app."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from partnerlens.audit.models import AuditEvent
from partnerlens.brokerage.models import ProposedMatch, SupportRelationship
from partnerlens.brokerage.services.matches import exclude_pair, pin_match
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.brokerage.urls import urlpatterns

TODAY = datetime.date.today()
DATE = {"_0": TODAY.day, "_1": TODAY.month, "_2": TODAY.year}


def date_fields(name):
    return {f"{name}{suffix}": value for suffix, value in DATE.items()}


@pytest.fixture
def world(cluster, scenario):
    broker = cluster["broker"]
    run = run_scenario(scenario, actor=broker)
    ash = run.matches.get(need_school=cluster["ash"])
    birch = run.matches.get(need_school=cluster["birch"])
    pin = pin_match(ash, actor=broker)
    exclusion = exclude_pair(birch, actor=broker)
    support = SupportRelationship.objects.create(
        partnership=cluster["a"],
        supporter=cluster["cedar"],
        supported=cluster["birch"],
        area="english",
        started_on=TODAY,
    )
    return {
        **cluster,
        "scenario": scenario,
        "proposal": ash,
        "pin": pin,
        "exclusion": exclusion,
        "support": support,
    }


def kwargs_for(world, name):
    a = world["a"].pk
    scenario = {"pk": a, "scenario_pk": world["scenario"].pk}
    return {
        "home": {"pk": a},
        "areas": {"pk": a},
        "profile_list": {"pk": a},
        "profiles_derive": {"pk": a},
        "profile_detail": {"pk": a, "school_pk": world["ash"].pk},
        "assessment_adjust": {"pk": a, "school_pk": world["ash"].pk, "area": "maths"},
        "offer_list": {"pk": a},
        "offer_edit": {"pk": a, "school_pk": world["cedar"].pk},
        "scenario_create": {"pk": a},
        "scenario_detail": scenario,
        "scenario_run": scenario,
        "match_decide": {**scenario, "proposal_pk": world["proposal"].pk, "action": "reject"},
        "match_accept": {**scenario, "proposal_pk": world["proposal"].pk},
        "pin_remove": {**scenario, "pin_pk": world["pin"].pk},
        "exclusion_remove": {**scenario, "exclusion_pk": world["exclusion"].pk},
        "support_list": {"pk": a},
        "support_detail": {"pk": a, "support_pk": world["support"].pk},
        "support_end": {"pk": a, "support_pk": world["support"].pk},
    }[name]


# (url name, method, POST data, what teacher_a gets): teacher_a holds a plain teacher role in A.
CASES = [
    ("home", "get", None, 200),
    ("areas", "get", None, 403),
    ("areas", "post", {"areas": ["maths", "english"]}, 403),
    ("profile_list", "get", None, 403),
    ("profiles_derive", "post", {}, 403),
    ("profile_detail", "get", None, 403),
    ("assessment_adjust", "get", None, 403),
    (
        "assessment_adjust",
        "post",
        {"need_level": "1", "expertise_level": "0", "reason": "New head in post"},
        403,
    ),
    ("offer_list", "get", None, 403),
    ("offer_edit", "get", None, 403),
    (
        "offer_edit",
        "post",
        {"capacity_total": "1", "max_km": "", "strength_maths": "2", "capacity_maths": "1"},
        403,
    ),
    ("scenario_create", "get", None, 403),
    ("scenario_create", "post", {"name": "English", "max_km": "20"}, 403),
    ("scenario_detail", "get", None, 403),
    ("scenario_run", "post", {}, 403),
    ("match_decide", "post", {}, 403),
    ("match_accept", "get", None, 403),
    ("match_accept", "post", {}, 403),
    ("pin_remove", "post", {}, 403),
    ("exclusion_remove", "post", {}, 403),
    ("support_list", "get", None, 200),
    ("support_detail", "get", None, 200),
    ("support_detail", "post", {"text": "Visit went well", **date_fields("noted_on")}, 403),
    ("support_end", "get", None, 403),
    (
        "support_end",
        "post",
        {
            "status": "completed",
            "reason": "Targets met",
            "confirm": "True",
            **date_fields("ended_on"),
        },
        403,
    ),
]


def test_the_table_names_every_url_of_the_app():
    assert {case[0] for case in CASES} == {pattern.name for pattern in urlpatterns}


def state():
    return (
        AuditEvent.objects.changes().count(),  # not sign-ins and refusals
        SupportRelationship.objects.count(),
        ProposedMatch.objects.filter(decision="pending").count(),
    )


def call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("allowed", ["broker", "lead_a"])
@pytest.mark.parametrize(("name", "method", "data", "teacher"), CASES)
def test_permission_boundary(client, world, allowed, name, method, data, teacher):
    url = reverse(f"brokerage:{name}", kwargs=kwargs_for(world, name))
    before = state()

    response = call(client, method, url, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    for persona in ("outsider", "lead_b"):
        client.force_login(world[persona])
        assert call(client, method, url, data).status_code == 404, persona

    client.force_login(world["teacher_a"])
    assert call(client, method, url, data).status_code == teacher
    assert state() == before, "a refused request changed something"

    client.force_login(world[allowed])
    response = call(client, method, url, data)
    if method == "get":
        assert response.status_code == 200
    else:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert AuditEvent.objects.changes().count() > before[0], "the allowed change was not made"


def test_a_school_leader_records_their_own_schools_offer_and_notes_only(client, world):
    client.force_login(world["head_cedar"])
    own = reverse(
        "brokerage:offer_edit", kwargs={"pk": world["a"].pk, "school_pk": world["cedar"].pk}
    )
    other = reverse(
        "brokerage:offer_edit", kwargs={"pk": world["a"].pk, "school_pk": world["damson"].pk}
    )
    data = {"capacity_total": "2", "max_km": "8", "strength_send": "1", "capacity_send": "1"}
    assert client.post(own, data).status_code == 302
    assert world["cedar"].support_offers.get().max_km == 8
    assert client.post(other, data).status_code == 403
    note = reverse(
        "brokerage:support_detail", kwargs={"pk": world["a"].pk, "support_pk": world["support"].pk}
    )
    assert (
        client.post(note, {"text": "Shared planning", **date_fields("noted_on")}).status_code == 302
    )
    assert world["support"].notes.get().text == "Shared planning"
    scenario = reverse("brokerage:scenario_detail", kwargs=kwargs_for(world, "scenario_detail"))
    assert client.get(scenario).status_code == 403


def test_a_scenario_of_another_partnership_is_not_found_even_for_its_brokers(client, world):
    client.force_login(world["lead_b"])
    b = world["b"].pk
    url = reverse(
        "brokerage:scenario_detail", kwargs={"pk": b, "scenario_pk": world["scenario"].pk}
    )
    assert client.get(url).status_code == 404
    run = reverse("brokerage:scenario_run", kwargs={"pk": b, "scenario_pk": world["scenario"].pk})
    before = state()
    assert client.post(run).status_code == 404
    assert state() == before
