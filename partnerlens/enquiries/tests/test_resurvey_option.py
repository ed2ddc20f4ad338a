"""A cycle may ask only about partners whose tie is new or has changed (issue 15, part 4).

Which ties those are is the network app's rule (``network.resurvey``, tested there with real
cycles); enquiries only asks the registered rule. These tests cover the option on the cycle,
the fallback when no rule is registered, and how the pages use whatever a rule names.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import Role
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle, RelationshipsAsked
from partnerlens.enquiries.partners import register_changed_partners
from partnerlens.enquiries.responding import AnswerValue, gaps_in, partners_for, themes_for
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.responses import save_theme_answers
from partnerlens.enquiries.tests.conftest import link_from

pytestmark = pytest.mark.django_db
RELATIONS = 3  # the test framework's third theme asks about each partner


@pytest.fixture
def no_rule():
    """No app has registered the rule: as when the network app is not installed."""
    previous = register_changed_partners(None)
    yield
    register_changed_partners(previous)


@pytest.fixture
def only_hilltop():
    """A rule that names Hilltop High's tie as the only new one, and records what it is
    asked (organisations only: it never sees a person or an answer)."""
    asked = []

    def rule(cycle, organisation_id, partner_ids):
        asked.append((cycle.pk, organisation_id, sorted(partner_ids)))
        return [p for p in partner_ids if p == hilltop_id[0]]

    hilltop_id = [None]
    previous = register_changed_partners(rule)
    yield hilltop_id, asked
    register_changed_partners(previous)


@pytest.fixture
def started(make_cycle, invite, cluster, smtp_server):
    """An open cycle asking one Northside teacher; returns (cycle, token, response)."""

    def make(asked: str):
        cycle = make_cycle()
        Cycle.objects.filter(pk=cycle.pk).update(relationships_asked=asked)
        cycle.refresh_from_db()
        invite(cycle, ("ann@example.org", Role.TEACHER, 0, "en"))
        open_cycle(cycle, actor=cluster["lead_a"])
        token = link_from(smtp_server.body(smtp_server.to("ann@example.org")[-1]))
        from partnerlens.enquiries.services.responses import start_or_resume_response

        response = start_or_resume_response(token, language="en")
        return cycle, token, response

    return make


def page(client, token) -> str:
    return client.get(reverse("enquiries:theme", args=[token, RELATIONS])).content.decode()


def test_a_changed_cycle_without_a_rule_asks_about_every_partner(client, started, no_rule):
    _cycle, token, response = started(RelationshipsAsked.CHANGED)
    assert [p.name for p in partners_for(response)] == ["Hilltop High", "Riverside Infants"]
    html = page(client, token)
    assert "Hilltop High" in html and "Riverside Infants" in html
    assert "This time we ask only about" not in html


def test_a_cycle_asking_about_all_partners_never_asks_the_rule(
    client, started, only_hilltop, cluster
):
    hilltop_id, asked = only_hilltop
    hilltop_id[0] = cluster["schools"][2].pk
    _cycle, token, _response = started(RelationshipsAsked.ALL)
    html = page(client, token)
    assert "Hilltop High" in html and "Riverside Infants" in html
    assert asked == []


def test_a_changed_cycle_asks_only_about_the_partners_the_rule_names(
    client, started, only_hilltop, cluster
):
    hilltop_id, asked = only_hilltop
    hilltop, riverside = cluster["schools"][2], cluster["schools"][1]
    hilltop_id[0] = hilltop.pk
    cycle, token, response = started(RelationshipsAsked.CHANGED)
    html = page(client, token)
    assert "Hilltop High" in html and "Riverside Infants" not in html
    assert "This time we ask only about partners whose tie with your organisation" in html
    northside = cluster["schools"][0].pk
    assert asked[0] == (cycle.pk, northside, sorted([hilltop.pk, riverside.pk]))
    # The page's answers, the gaps and the stored answers follow the same list.
    relations, questions = themes_for(response)[RELATIONS - 1]
    depth = questions[0]
    with pytest.raises(EnquiryError):
        save_theme_answers(
            response, relations, {(depth.id, riverside.pk): AnswerValue(option_value="none")}
        )
    save_theme_answers(
        response, relations, {(depth.id, hilltop.pk): AnswerValue(option_value="networking")}
    )
    assert not [gap for gap in gaps_in(response) if gap.question == depth]


def test_the_rule_is_asked_once_for_a_page_that_reads_partners_twice(
    client, started, only_hilltop, cluster
):
    hilltop_id, asked = only_hilltop
    hilltop_id[0] = cluster["schools"][2].pk
    _cycle, token, _response = started(RelationshipsAsked.CHANGED)
    client.get(reverse("enquiries:review", args=[token]))  # review rows, then the gaps
    assert len(asked) == 1


def test_the_lead_chooses_a_resurvey_on_the_cycle_form(client, cluster, make_framework):
    client.force_login(cluster["lead_a"])
    url = reverse("enquiries:cycle_create", args=[cluster["a"].pk])
    form = client.get(url).content.decode()
    assert "Which partners do relationship questions ask about?" in form
    assert "If no cycle has been published yet, everyone is asked about every partner." in form
    today = timezone.localdate()
    reply = client.post(
        url,
        {
            "title": "Autumn re-survey",
            "framework_version": make_framework(slug="autumn").pk,
            **{f"opens_on_{i}": v for i, v in enumerate((today.day, today.month, today.year))},
            **{f"closes_on_{i}": v for i, v in enumerate((today.day, today.month, today.year))},
            "anonymity_mode": "confidential",
            "audience_roles": [Role.TEACHER],
            "audience_organisations": [cluster["schools"][0].pk],
            "relationships_asked": "changed",
        },
    )
    assert reply.status_code == 302, reply.content.decode()
    cycle = Cycle.objects.get(title="Autumn re-survey")
    assert cycle.relationships_asked == RelationshipsAsked.CHANGED
    event = AuditEvent.objects.get(verb="cycle.created", object_id=str(cycle.pk))
    assert event.detail["relationships_asked"] == "changed"
    detail = client.get(reverse("enquiries:cycle", args=[cycle.pk])).content.decode()
    assert "Only partners whose tie is new or has changed" in detail


def test_a_cycle_asks_about_every_partner_unless_the_lead_chooses_otherwise(
    cluster, make_cycle, make_framework
):
    assert make_cycle().relationships_asked == RelationshipsAsked.ALL
    with pytest.raises(EnquiryError, match="every partner"):
        create_cycle(
            cluster["a"],
            actor=cluster["lead_a"],
            framework_version=make_framework(slug="odd"),
            title="Odd",
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate() + timedelta(days=7),
            relationships_asked="some",
        )
