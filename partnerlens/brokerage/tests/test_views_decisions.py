"""Accepting a proposal after a confirmation page, ending support with a reason, and the email
notices both schools' leaders receive, through the real views and a real SMTP server."""

from __future__ import annotations

import datetime
import re
from email.header import decode_header, make_header

import pytest
from django.urls import reverse

from partnerlens.audit.models import AuditEvent
from partnerlens.audit.services import pseudonym
from partnerlens.brokerage.models import Decision, SupportRelationship, SupportStatus
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.directory.models import Nation, Role

TODAY = datetime.date.today()


@pytest.fixture
def leaders(cluster, make_user):
    """A senior leader for Ash (a school in Wales), besides Cedar's headteacher."""
    head_ash = make_user("head_ash")
    cluster["a"].roles.create(user=head_ash, role=Role.SENIOR_LEADER, organisation=cluster["ash"])
    cluster["ash"].nation = Nation.WALES
    cluster["ash"].save(update_fields=["nation"])
    return {**cluster, "head_ash": head_ash}


def accept_url(proposal):
    scenario = proposal.run.scenario
    return reverse(
        "brokerage:match_accept",
        kwargs={
            "pk": scenario.partnership_id,
            "scenario_pk": scenario.pk,
            "proposal_pk": proposal.pk,
        },
    )


def subject_of(message) -> str:
    return " ".join(str(make_header(decode_header(message["Subject"]))).split())


def test_accept_shows_a_confirmation_first_and_changes_nothing_until_confirmed(
    client, leaders, scenario
):
    run = run_scenario(scenario, actor=leaders["broker"])
    proposal = run.matches.get(need_school=leaders["ash"])
    client.force_login(leaders["broker"])
    before = AuditEvent.objects.count()
    html = client.get(accept_url(proposal)).content.decode()
    assert "Accept this match?" in html
    assert "Cedar Primary" in html and "Ash Primary" in html and "Mathematics" in html
    assert "Local authority review, spring term" in html  # why: the evidence of need
    assert "head_ash@example.org" in html and "head_cedar@example.org" in html
    assert not SupportRelationship.objects.exists()
    assert AuditEvent.objects.count() == before


def test_confirming_accept_starts_support_audits_it_and_emails_both_schools(
    client, leaders, scenario, smtp_server
):
    run = run_scenario(scenario, actor=leaders["broker"])
    proposal = run.matches.get(need_school=leaders["ash"])
    client.force_login(leaders["broker"])
    response = client.post(accept_url(proposal))
    support = SupportRelationship.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/support/{support.pk}/")
    proposal.refresh_from_db()
    assert proposal.decision == Decision.ACCEPTED and proposal.relationship == support
    event = AuditEvent.objects.get(verb="brokerage.match_accepted")
    # Stored as the audit log's pseudonyms, never as addresses (privacy: audit.services).
    told = ["head_ash@example.org", "head_cedar@example.org"]
    assert event.detail["notified"] == [pseudonym(address) for address in told]

    [to_cedar] = smtp_server.to("head_cedar@example.org")
    [to_ash] = smtp_server.to("head_ash@example.org")
    assert to_cedar["X-Partnerlens-Reference"] == f"match:{proposal.pk}"
    assert to_ash["X-Partnerlens-Reference"] == f"match:{proposal.pk}"
    # Cedar is in England: English first; Ash is in Wales: Welsh first.
    assert subject_of(to_cedar).startswith("Support agreed: Cedar Primary supporting Ash Primary")
    assert subject_of(to_ash).startswith("Cymorth wedi'i gytuno: Cedar Primary yn cefnogi Ash")
    from conftest import Mailbox

    english, welsh = re.split(r"\r?\n-----\r?\n", Mailbox.body(to_cedar))
    assert "Support area: Mathematics" in english and "Maes cymorth: Mathemateg" in welsh
    assert f"/support/{support.pk}/" in english and "/cy/brokerage/" in welsh
    assert "behaviour_attendance" not in english + welsh and "maths" not in english + welsh


def test_a_decided_proposal_cannot_be_accepted_again(client, leaders, scenario):
    run = run_scenario(scenario, actor=leaders["broker"])
    proposal = run.matches.get(need_school=leaders["ash"])
    client.force_login(leaders["broker"])
    client.post(accept_url(proposal))
    assert client.get(accept_url(proposal)).status_code == 302
    page = client.post(accept_url(proposal), follow=True).content.decode()
    assert "already accepted" in page
    assert SupportRelationship.objects.count() == 1


def end_url(support):
    return reverse(
        "brokerage:support_end", kwargs={"pk": support.partnership_id, "support_pk": support.pk}
    )


def end_data(**extra):
    return {
        "status": SupportStatus.ENDED_EARLY,
        "reason": "The headteacher left; the school asked to pause.",
        "ended_on_0": TODAY.day,
        "ended_on_1": TODAY.month,
        "ended_on_2": TODAY.year,
        **extra,
    }


@pytest.fixture
def support(client, leaders, scenario, smtp_server):
    run = run_scenario(scenario, actor=leaders["broker"])
    client.force_login(leaders["broker"])
    client.post(accept_url(run.matches.get(need_school=leaders["ash"])))
    smtp_server.messages.clear()
    return SupportRelationship.objects.get()


def test_ending_support_needs_a_reason(client, support):
    response = client.post(end_url(support), end_data(reason="", status=SupportStatus.COMPLETED))
    assert response.status_code == 200
    assert "Say why the support is ending." in response.content.decode()
    support.refresh_from_db()
    assert support.status == SupportStatus.ACTIVE


def test_ending_support_is_confirmed_then_audited_and_both_schools_are_told(
    client, leaders, support, smtp_server
):
    page = client.post(end_url(support), end_data()).content.decode()
    assert "Are you sure you want to end this support?" in page
    assert "The headteacher left; the school asked to pause." in page
    support.refresh_from_db()
    assert support.status == SupportStatus.ACTIVE and not smtp_server.messages

    response = client.post(end_url(support), end_data(confirm="True"))
    assert response.status_code == 302
    support.refresh_from_db()
    assert support.status == SupportStatus.ENDED_EARLY and support.ended_on == TODAY
    event = AuditEvent.objects.get(verb="brokerage.support_ended")
    assert event.detail["reason"] == "The headteacher left; the school asked to pause."
    assert {m["To"] for m in smtp_server.messages} == {
        "head_ash@example.org",
        "head_cedar@example.org",
    }
    assert all(
        m["X-Partnerlens-Reference"] == f"support:{support.pk}" for m in smtp_server.messages
    )
    from conftest import Mailbox

    body = Mailbox.body(smtp_server.to("head_cedar@example.org")[0])
    assert "Reason: The headteacher left; the school asked to pause." in body
    assert "Ended early" in body


def test_the_support_list_shows_ended_support_apart_with_its_reason(client, leaders, support):
    client.post(end_url(support), end_data(confirm="True"))
    kept = SupportRelationship.objects.create(
        partnership=leaders["a"],
        supporter=leaders["damson"],
        supported=leaders["birch"],
        area="english",
        started_on=TODAY,
    )
    html = client.get(
        reverse("brokerage:support_list", kwargs={"pk": leaders["a"].pk})
    ).content.decode()
    current, ended = html.split('id="ended"')
    assert "Damson Primary" in current and "Cedar Primary" not in current
    assert "Cedar Primary" in ended and "The headteacher left" in ended
    assert f"/support/{kept.pk}/" not in ended
    url = reverse("brokerage:support_list", kwargs={"pk": leaders["a"].pk})
    current, ended = client.get(url + "?q=damson").content.decode().split('id="ended"')
    assert "Damson Primary" in current
    assert "No ended support matches these filters." in ended and "Cedar Primary" not in ended
