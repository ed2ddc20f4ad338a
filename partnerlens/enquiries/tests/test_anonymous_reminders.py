"""Reminders in anonymous cycles reach only non-responders, over real SMTP, although no
invitee row records who has answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.directory.models import Role
from partnerlens.enquiries.errors import LinkError
from partnerlens.enquiries.models import Invitee, ReceiptSet
from partnerlens.enquiries.services.cycles import close_cycle, open_cycle, publish_cycle
from partnerlens.enquiries.services.invitees import send_reminders
from partnerlens.enquiries.services.responses import (
    follow_link,
    start_or_resume_response,
    submit_response,
)
from partnerlens.enquiries.tests.conftest import answer_everything, link_from

PEOPLE = [(f"p{n}@example.org", Role.TEACHER, n % 3, "en") for n in range(5)]


@pytest.fixture
def cycle(make_cycle, invite, cluster, smtp_server):
    cycle = make_cycle("anonymous")
    invite(cycle, *PEOPLE)
    open_cycle(cycle, actor=cluster["lead_a"])
    return cycle


def latest_link(smtp_server, email: str) -> str:
    return link_from(smtp_server.body(smtp_server.to(email)[-1]))


def submit_with(token: str) -> None:
    response = start_or_resume_response(token)
    answer_everything(response)
    assert submit_response(response, token=token)


def a_while_later(days: int = 4) -> None:
    # Invitations and reminders a few days old, so the next round is due.
    past = timezone.now() - timedelta(days=days)
    Invitee.objects.update(sent_at=past, last_reminded_at=None)


def test_each_round_reaches_only_those_who_have_not_answered(cycle, smtp_server):
    submit_with(latest_link(smtp_server, "p0@example.org"))
    a_while_later()
    assert send_reminders(cycle) == 4
    assert [len(smtp_server.to(e)) for e, *_ in PEOPLE] == [1, 2, 2, 2, 2]

    # p1 answers through the reminder's fresh link; the next round skips p0 and p1.
    submit_with(latest_link(smtp_server, "p1@example.org"))
    a_while_later()
    assert send_reminders(cycle) == 3
    assert [len(smtp_server.to(e)) for e, *_ in PEOPLE] == [1, 2, 3, 3, 3]
    assert not Invitee.objects.filter(completed=True).exists()


def test_someone_who_answered_is_told_so_by_any_of_their_links(cycle, smtp_server):
    first = latest_link(smtp_server, "p2@example.org")
    a_while_later()
    send_reminders(cycle)
    second = latest_link(smtp_server, "p2@example.org")
    assert first != second
    submit_with(second)
    for token in (first, second):
        with pytest.raises(LinkError) as caught:
            follow_link(token)
        assert caught.value.reason == "used"
    # Someone else's link still opens.
    assert follow_link(latest_link(smtp_server, "p3@example.org")).invitee is not None


def test_publishing_forgets_who_answered(cycle, smtp_server, cluster):
    submit_with(latest_link(smtp_server, "p0@example.org"))
    assert ReceiptSet.objects.filter(cycle=cycle).exists()
    close_cycle(cycle, actor=cluster["lead_a"])
    assert ReceiptSet.objects.filter(cycle=cycle).exists()  # a closed cycle may reopen
    publish_cycle(cycle, actor=cluster["lead_a"])
    assert not ReceiptSet.objects.filter(cycle=cycle).exists()
