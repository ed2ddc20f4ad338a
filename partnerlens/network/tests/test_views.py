"""The network pages: who may see and do what, what each page shows, and what it costs."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.brokerage.models import Scenario
from partnerlens.core.jobs import JobStatus
from partnerlens.directory.models import Membership, PartnershipRole, Role
from partnerlens.network.analytics.graph import LEVEL_CODES
from partnerlens.network.models import Snapshot, SnapshotJob
from partnerlens.network.services import compute_snapshot, latest_snapshot
from partnerlens.network.tests.world import MANCHESTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def drawn(network_world, make_school, make_user):
    """The network world with a quiet member school (its only ties are the cluster's
    co-ordination), a head at Hilltop, and A's network worked out."""
    w = network_world
    quiet = make_school("Quiet Primary", **MANCHESTER)
    Membership.objects.create(partnership=w["a"], organisation=quiet)
    head = make_user("head_hilltop")
    PartnershipRole.objects.create(
        partnership=w["a"], user=head, role=Role.HEADTEACHER, organisation=w["hilltop"]
    )
    return {**w, "quiet": quiet, "head": head, "snapshot": compute_snapshot(w["a"])}


def _pages(w) -> list[str]:
    a = w["a"].pk
    return [
        reverse("network:home", args=[a]),
        reverse("network:isolated", args=[a]) + "?la=352",
        reverse("network:organisation", args=[a, w["quiet"].pk]),
        reverse("network:mismatched", args=[a]),
    ]


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_lead_the_broker_and_a_head_see_every_page(client, drawn):
    for person in ("lead_a", "broker", "head"):
        client.force_login(drawn[person])
        assert [client.get(url).status_code for url in _pages(drawn)] == [200] * 4, person


def test_a_teacher_is_refused_and_people_outside_the_partnership_see_nothing(client, drawn):
    client.force_login(drawn["teacher_a"])
    assert {client.get(url).status_code for url in _pages(drawn)} == {403}
    for person in ("lead_b", "outsider"):
        client.force_login(drawn[person])
        assert {client.get(url).status_code for url in _pages(drawn)} == {404}
    client.logout()
    assert {client.get(url).status_code for url in _pages(drawn)} == {302}


def test_an_organisation_outside_the_network_is_not_found(client, drawn):
    client.force_login(drawn["lead_a"])
    faraway = reverse("network:organisation", args=[drawn["a"].pk, drawn["faraway"].pk])
    assert client.get(faraway).status_code == 404  # another authority, not a member
    nobody = reverse("network:organisation", args=[drawn["a"].pk, 999_999])
    assert client.get(nobody).status_code == 404


def test_b_sees_only_its_own_network_never_a_private_tie_of_a(client, drawn):
    compute_snapshot(drawn["b"])
    client.force_login(drawn["lead_b"])
    page = client.get(reverse("network:organisation", args=[drawn["b"].pk, drawn["northside"].pk]))
    assert page.status_code == 200  # an open school in B's authority: public
    assert "brokered support" not in _text(page)  # A's support of Riverside is A's own
    assert "survey answer" not in _text(page)  # and so are A's members' answers


def test_without_a_snapshot_the_home_page_says_so_and_profiles_are_not_found(client, drawn):
    Snapshot.objects.all().delete()
    client.force_login(drawn["lead_a"])
    home = client.get(reverse("network:home", args=[drawn["a"].pk]))
    assert "The network has not been worked out yet." in _text(home)
    url = reverse("network:organisation", args=[drawn["a"].pk, drawn["quiet"].pk])
    assert client.get(url).status_code == 404


def test_the_figures_stand_beside_the_response_rate_with_the_warning(client, drawn):
    client.force_login(drawn["lead_a"])
    text = _text(client.get(reverse("network:home", args=[drawn["a"].pk])))
    figures = drawn["snapshot"].figures
    rate = f"{figures['answered']} of {figures['asked']} answered"
    assert text.count(rate) == 4  # members, density, ties returned, core fit
    assert "only how many others name a school holds up well" in text
    assert "The core, tied to each other more than to the rest: Northside Primary" in text


def test_the_picture_links_every_organisation_members_first_with_a_name(client, drawn):
    client.force_login(drawn["lead_a"])
    html = client.get(reverse("network:home", args=[drawn["a"].pk])).content.decode()
    start = html.index('<svg class="pl-plot pl-network"')
    svg = html[start : html.index("</svg>", start)]
    node = r'<a class="pl-network__node" href="([^"]+)" id="node-\d+" aria-label="([^"]+)"'
    links = re.findall(node, svg)
    names = [label.split(":")[0] for _href, label in links]
    members = sorted(["Northside Primary", "Riverside Infants", "Hilltop High", "Quiet Primary",
                      "Riverside Youth Club"])  # fmt: skip
    assert names == [*members, "Lonely Primary"]  # members first, then the rest, by name
    quiet = reverse("network:organisation", args=[drawn["a"].pk, drawn["quiet"].pk])
    assert (quiet, "Quiet Primary: member, 4 partners, deepest tie: Co-ordination") in links
    assert 'stroke-width="6.0"' in svg and 'stroke-width="2.5"' in svg  # levels by thickness
    assert 'href="#ties"' in html and 'id="ties"' in html  # the table alternative


def test_the_table_of_ties_lists_each_tie_with_its_sources_and_date(client, drawn):
    client.force_login(drawn["lead_a"])
    text = _text(client.get(reverse("network:home", args=[drawn["a"].pk])))
    assert (
        "Hilltop High Lonely Primary Collaboration shared partnership (Multi-academy trust) "
        "1 September 2021"
    ) in text


def test_the_map_places_organisations_with_coordinates_and_counts_the_rest(client, drawn):
    from partnerlens.directory.models import Organisation

    Organisation.objects.filter(pk=drawn["northside"].pk).update(latitude=53.48, longitude=-2.24)
    Organisation.objects.filter(pk=drawn["quiet"].pk).update(latitude=53.45, longitude=-2.20)
    compute_snapshot(drawn["a"])
    client.force_login(drawn["lead_a"])
    html = client.get(reverse("network:home", args=[drawn["a"].pk]) + "?view=map").content
    html = html.decode()
    assert html.count('class="pl-network__node"') == 2
    assert "4 organisations have no location and are not on the map" in _text_of(html)


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_isolated_schools_of_an_area_are_listed_members_apart(client, drawn):
    client.force_login(drawn["broker"])
    url = reverse("network:isolated", args=[drawn["a"].pk])
    assert "Manchester" in _text(client.get(url))  # the areas to choose from
    text = _text(client.get(url + "?la=352"))
    members = text[text.index("Member schools working alone") : text.index("Start a brokerage")]
    assert "Quiet Primary No tie at co-operation level or deeper" in members
    assert "Hilltop High" not in members  # in a trust: collaboration
    assert "Start a brokerage scenario for these schools" in text


def test_a_broker_starts_a_scenario_focused_on_the_isolated_member_schools(client, drawn):
    client.force_login(drawn["broker"])
    url = reverse("network:start_scenario", args=[drawn["a"].pk])
    response = client.post(url, {"la": "352"})
    scenario = Scenario.objects.get(partnership=drawn["a"])
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "brokerage:scenario_detail", args=[drawn["a"].pk, scenario.pk]
    )
    assert scenario.focus == [drawn["quiet"].pk]
    assert scenario.name == "Isolated schools in Manchester"
    assert scenario.name_cy == "Ysgolion ynysig yn Manchester"  # a Welsh broker reads Welsh


def test_only_brokers_start_scenarios_and_an_area_without_isolated_members_starts_none(
    client, drawn
):
    url = reverse("network:start_scenario", args=[drawn["a"].pk])
    client.force_login(drawn["head"])
    assert client.post(url, {"la": "352"}).status_code == 403
    client.force_login(drawn["lead_a"])
    response = client.post(url, {"la": "999"}, follow=True)
    assert "No member school in this area is working alone." in _text(response)
    assert not Scenario.objects.exists()


def test_refreshing_asks_for_a_snapshot_on_the_day_given_and_records_it(client, drawn):
    client.force_login(drawn["broker"])
    url = reverse("network:refresh", args=[drawn["a"].pk])
    day = dt.date(2022, 3, 1)
    response = client.post(url, {"on_0": day.day, "on_1": day.month, "on_2": day.year})
    assert response.status_code == 302
    assert Snapshot.objects.filter(partnership=drawn["a"], on=day).exists()  # tasks run at once
    assert AuditEvent.objects.filter(verb=verbs.NETWORK_REQUESTED).count() == 1
    home = client.get(reverse("network:home", args=[drawn["a"].pk]))
    assert "1 March 2022" in _text(home)  # offered among the other days drawn


def test_a_date_in_the_future_is_refused_and_a_head_may_not_refresh(client, drawn):
    url = reverse("network:refresh", args=[drawn["a"].pk])
    client.force_login(drawn["lead_a"])
    soon = dt.date.today() + dt.timedelta(days=3)
    response = client.post(url, {"on_0": soon.day, "on_1": soon.month, "on_2": soon.year})
    assert response.status_code == 400
    assert "The date must be today or in the past" in _text(response)
    client.force_login(drawn["head"])
    assert client.post(url, {}).status_code == 403
    assert not SnapshotJob.objects.exists()


def test_a_failed_job_is_shown_with_try_again_to_those_who_may_refresh(client, drawn):
    SnapshotJob.objects.create(partnership=drawn["a"], status=JobStatus.FAILED, error="MemoryError")
    client.force_login(drawn["lead_a"])
    text = _text(client.get(reverse("network:home", args=[drawn["a"].pk])))
    assert "The network could not be worked out" in text and "MemoryError" in text
    assert "Try again" in text
    client.force_login(drawn["head"])
    assert "Try again" not in _text(client.get(reverse("network:home", args=[drawn["a"].pk])))


def test_the_profile_explains_the_measures_and_lists_ties_and_change_over_time(client, drawn):
    compute_snapshot(drawn["a"], on=dt.date(2021, 1, 1))
    client.force_login(drawn["head"])
    url = reverse("network:organisation", args=[drawn["a"].pk, drawn["hilltop"].pk])
    text = _text(client.get(url))
    assert "How much its ties run through the same few partners" in text
    assert "Lonely Primary Collaboration shared partnership (Multi-academy trust)" in text
    history = text[text.index("Over time") :]
    assert "1 January 2021" in history  # before the trust: fewer partners
    assert history.count("Co-ordination") + history.count("Collaboration") >= 2


def test_the_sides_that_differ_by_two_levels_are_worth_a_conversation(client, drawn):
    client.force_login(drawn["lead_a"])
    text = _text(client.get(reverse("network:mismatched", args=[drawn["a"].pk])))
    assert "Northside Primary Collaboration Riverside Infants Networking" in text


@pytest.mark.parametrize("more", [0, 6])
def test_the_home_and_isolated_pages_cost_the_same_queries_however_many_schools(
    client, drawn, make_school, django_assert_num_queries, more
):
    for n in range(more):
        school = make_school(f"Extra Primary {n}", **MANCHESTER)
        if n % 2:
            Membership.objects.create(partnership=drawn["a"], organisation=school)
    compute_snapshot(drawn["a"])
    client.force_login(drawn["lead_a"])
    home = reverse("network:home", args=[drawn["a"].pk])
    isolated = reverse("network:isolated", args=[drawn["a"].pk]) + "?la=352"
    client.get(home)  # the session is warm
    with django_assert_num_queries(6):
        assert client.get(home).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(isolated).status_code == 200


def test_another_day_drawn_is_offered_but_never_another_partnerships(client, drawn):
    past = compute_snapshot(drawn["a"], on=dt.date(2021, 1, 1))
    theirs = compute_snapshot(drawn["b"])
    client.force_login(drawn["lead_a"])
    home = reverse("network:home", args=[drawn["a"].pk])
    text = _text(client.get(f"{home}?snapshot={past.pk}"))
    assert "The network as it stood on 1 January 2021" in text
    assert "Lonely Primary Collaboration" not in text  # the trust came later
    shown = _text(client.get(f"{home}?snapshot={theirs.pk}"))
    assert "Members 5 " in shown and "Riverside Youth Club" in shown  # A's latest, not B's


def test_only_the_pairs_the_engine_finds_two_levels_apart_are_marked(drawn):
    depth = {code: k for k, code in enumerate(LEVEL_CODES)}
    ties = latest_snapshot(drawn["a"]).ties
    both = [t for t in ties if t["a_says"] and t["b_says"]]
    assert both, "the world has pairs whose two sides both show"
    for tie in ties:
        gap = abs(depth[tie["a_says"]] - depth[tie["b_says"]]) if tie in both else 0
        assert tie["mismatched"] == (gap >= 2), tie
    assert any(t["mismatched"] for t in ties)
