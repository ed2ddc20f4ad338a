"""Re-surveys ask only about ties that are new or have changed (issue 15, part 4).

The world: Northside, Riverside and Hilltop were members when the spring cycle ran. Three
headteachers at Northside and three at Riverside answered about every partner, so its
release showed the Northside–Riverside level (six people) and hid both pairs with Hilltop
(three each, below five). Elm joined after the spring cycle closed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.brokerage.models import SupportRelationship
from partnerlens.directory.models import Membership, Role
from partnerlens.enquiries.models import Answer, Cycle, RelationshipsAsked
from partnerlens.enquiries.partners import register_changed_partners
from partnerlens.enquiries.responding import partners_for
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import start_open_link_response
from partnerlens.frameworks.models import Question
from partnerlens.insights.models import Release
from partnerlens.insights.tests.helpers import MAIL, fill_cycle, make_results_framework
from partnerlens.network import resurvey

pytestmark = pytest.mark.django_db

HEADS = [
    (Role.HEADTEACHER, 0, 3, "leading", "4", "collaboration"),
    (Role.HEADTEACHER, 1, 3, "leading", "4", "cooperation"),
]
RELATIONS = 3  # the theme number of make_results_framework's relationship question


@pytest.fixture
def hooked():
    """The network's rule registered, as the network app's ready() registers it."""
    previous = register_changed_partners(resurvey.changed_partners)
    yield
    register_changed_partners(previous)


@pytest.fixture
def world(personas, make_school):
    a = personas["a"]
    riverside, hilltop = make_school("Riverside Infants"), make_school("Hilltop High")
    for school in (riverside, hilltop):
        Membership.objects.create(partnership=a, organisation=school)
    schools = [personas["school_a"], riverside, hilltop]
    return {**personas, "schools": schools, "version": make_results_framework()}


@pytest.fixture
def spring(world):
    """The published spring cycle, closed 30 days ago; Elm joined 10 days ago."""
    today = timezone.localdate()
    cycle = fill_cycle(world["a"], world["lead_a"], world["schools"], world["version"], HEADS)
    Cycle.objects.filter(pk=cycle.pk).update(
        opens_on=today - timedelta(days=60), closes_on=today - timedelta(days=30)
    )
    assert Release.objects.filter(cycle=cycle).exists()
    return cycle


@pytest.fixture
def elm(world, make_school):
    school = make_school("Elm Primary")
    Membership.objects.create(
        partnership=world["a"], organisation=school, joined=timezone.localdate() - timedelta(10)
    )
    return school


def resurvey_cycle(world, asked=RelationshipsAsked.CHANGED):
    """An open autumn cycle; returns its open-link token."""
    today = timezone.localdate()
    cycle = create_cycle(
        world["a"],
        actor=world["lead_a"],
        framework_version=world["version"],
        title="Autumn review",
        opens_on=today,
        closes_on=today + timedelta(days=20),
        audience_roles=[Role.HEADTEACHER],
        relationships_asked=asked,
    )
    with MAIL:
        open_cycle(cycle, actor=world["lead_a"])
    return create_open_link(cycle, actor=world["lead_a"])


def respond(token, organisation, *, language="en"):
    """A headteacher's response from the open link: its own token and relationship page."""
    _response, own = start_open_link_response(
        token, role=Role.HEADTEACHER, organisation=organisation, language=language
    )
    with translation.override(language):
        return own, reverse("enquiries:theme", args=[own, RELATIONS])


def partners_on(page: str) -> list[str]:
    return re.findall(
        r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">([^<]+)<', page
    )


def test_a_resurvey_asks_only_about_partners_whose_tie_is_new_or_unshown(
    client, world, spring, elm, hooked
):
    own, page_url = respond(resurvey_cycle(world), world["schools"][0])
    page = client.get(page_url).content.decode()
    # Riverside's level was shown and nothing changed; Hilltop's was hidden; Elm is new.
    assert partners_on(page) == ["Elm Primary", "Hilltop High"]
    assert "This time we ask only about partners whose tie with your organisation is new" in page
    question = Question.objects.get(theme__version=world["version"], kind="relationship")
    hilltop, riverside = world["schools"][2], world["schools"][1]
    answers = {f"q{question.pk}-o{elm.pk}": "networking", f"q{question.pk}-o{hilltop.pk}": "none"}
    answers[f"q{question.pk}-o{riverside.pk}"] = "collaboration"  # not asked: ignored
    assert client.post(page_url, {**answers, "save": "1"}).status_code == 302
    stored = Answer.objects.filter(question=question, response__cycle__title="Autumn review")
    stored = stored.values_list("about_organisation", flat=True)
    assert sorted(stored) == sorted([elm.pk, hilltop.pk])
    review = client.get(reverse("enquiries:review", args=[own])).content.decode()
    assert "Hilltop High" in review and "Riverside Infants" not in review


def test_support_that_started_since_brings_the_partner_back(client, world, spring, hooked):
    northside, riverside = world["schools"][:2]
    SupportRelationship.objects.create(
        partnership=world["a"],
        supporter=riverside,
        supported=northside,
        area="maths",
        started_on=timezone.localdate() - timedelta(days=5),
    )
    _own, page_url = respond(resurvey_cycle(world), northside)
    assert partners_on(client.get(page_url).content.decode()) == [
        "Hilltop High",
        "Riverside Infants",
    ]


def test_support_that_ended_before_the_last_cycle_changes_nothing(world, spring):
    northside, riverside = world["schools"][:2]
    today = timezone.localdate()
    SupportRelationship.objects.create(
        partnership=world["a"],
        supporter=northside,
        supported=riverside,
        area="maths",
        started_on=today - timedelta(days=400),
        ended_on=today - timedelta(days=100),
        status="completed",
    )
    resurvey_cycle(world)
    cycle = Cycle.objects.get(title="Autumn review")
    changed = resurvey.changed_partners(cycle, northside.pk, [riverside.pk, world["schools"][2].pk])
    assert changed == {world["schools"][2].pk}


def test_every_partner_is_asked_in_a_cycle_that_asks_about_all(client, world, spring, elm, hooked):
    _own, page_url = respond(resurvey_cycle(world, RelationshipsAsked.ALL), world["schools"][0])
    page = client.get(page_url).content.decode()
    assert partners_on(page) == ["Elm Primary", "Hilltop High", "Riverside Infants"]
    assert "This time we ask only about" not in page


def test_without_an_earlier_published_cycle_everyone_is_asked_about_everyone(
    client, world, elm, hooked
):
    _own, page_url = respond(resurvey_cycle(world), world["schools"][0])
    page = client.get(page_url).content.decode()
    assert partners_on(page) == ["Elm Primary", "Hilltop High", "Riverside Infants"]
    assert "This time we ask only about" not in page


def test_a_partner_with_nothing_new_is_told_there_is_nothing_to_answer(
    client, world, spring, hooked
):
    # Riverside's only partners: Northside (shown, unchanged) and Hilltop (hidden).
    Membership.objects.filter(organisation=world["schools"][2]).delete()
    _own, page_url = respond(resurvey_cycle(world), world["schools"][1])
    page = client.get(page_url).content.decode()
    assert partners_on(page) == []
    assert (
        "is new or has changed since the partnership’s last published results, so there is" in page
    )


def test_a_welsh_respondent_reads_the_resurvey_page_in_welsh(client, world, spring, elm, hooked):
    _own, page_url = respond(resurvey_cycle(world), world["schools"][0], language="cy")
    assert page_url.startswith("/cy/")
    page = client.get(page_url).content.decode()
    assert '<html lang="cy"' in page
    assert partners_on(page) == ["Elm Primary", "Hilltop High"]
    assert "Y tro hwn, dim ond am y partneriaid y mae eu cysylltiad" in page


def test_a_pair_a_later_resurvey_left_alone_keeps_the_level_shown_before_it(
    client, world, spring, hooked
):
    # Summer, published 10 days ago: only Hilltop's three heads answered, so it asked about
    # Hilltop's pairs (too few to show) and not about Northside and Riverside.
    today = timezone.localdate()
    hilltop_heads = [(Role.HEADTEACHER, 2, 3, "leading", "4", "networking")]
    summer = fill_cycle(
        world["a"],
        world["lead_a"],
        world["schools"],
        world["version"],
        hilltop_heads,
        title="Summer review",
    )
    Cycle.objects.filter(pk=summer.pk).update(
        opens_on=today - timedelta(days=20), closes_on=today - timedelta(days=10)
    )
    _own, page_url = respond(resurvey_cycle(world), world["schools"][0])
    assert partners_on(client.get(page_url).content.decode()) == ["Hilltop High"]


def test_the_rule_reads_no_one_s_answers_only_released_levels(world, spring, elm):
    # The reference holds which pairs the release showed, nothing per person.
    cycle = Cycle(pk=0, partnership=world["a"], opens_on=timezone.localdate())
    reference = resurvey._compute_reference(cycle)
    northside, riverside, _hilltop = (s.pk for s in world["schools"])
    assert reference["cycle"] == spring.pk
    assert reference["shown"] == {str(northside): [riverside], str(riverside): [northside]}
    assert set(reference) == {"cycle", "closes_on", "shown"}


def test_a_changed_cycle_costs_two_more_queries_on_the_relationship_page_only(
    client, world, spring, elm, hooked
):
    def queries(asked, page_number):
        own, _url = respond(resurvey_cycle(world, asked), world["schools"][0])
        url = reverse("enquiries:theme", args=[own, page_number])
        client.get(url)  # warm: the framework's structure, the cached reference
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    everyone = queries(RelationshipsAsked.ALL, RELATIONS)
    changed = queries(RelationshipsAsked.CHANGED, RELATIONS)
    assert changed == everyone + 2
    assert queries(RelationshipsAsked.CHANGED, 1) == queries(RelationshipsAsked.ALL, 1)


def test_the_respondent_s_partner_list_is_the_rule_s_answer(world, spring, elm, hooked):
    response, _own = start_open_link_response(
        resurvey_cycle(world), role=Role.HEADTEACHER, organisation=world["schools"][0]
    )
    assert [p.name for p in partners_for(response)] == ["Elm Primary", "Hilltop High"]
