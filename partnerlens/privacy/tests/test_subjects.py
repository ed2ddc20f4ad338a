"""What is found for an address: exact recipients only, and only within the scope asked."""

from __future__ import annotations

import pytest

from partnerlens.outbox.models import OutgoingMail
from partnerlens.privacy import subjects
from partnerlens.privacy.erasure import erase

pytestmark = pytest.mark.django_db


def _mail(to):
    return OutgoingMail.objects.create(
        to=to,
        recipients=[to.split("<")[-1].rstrip(">")],
        from_email="a@b.c",
        subject="Hi",
        mime=b"",
    )


def test_mail_is_matched_by_whole_address_not_by_part():
    mine = _mail("Ann Jones <ann@example.org>")
    theirs = _mail("joann@example.org")
    assert list(subjects.mail_to("ann@example.org")) == [mine]
    erase("ann@example.org", actor=None)
    assert not OutgoingMail.objects.filter(pk=mine.pk).exists()
    assert OutgoingMail.objects.filter(pk=theirs.pk).exists()


def test_an_account_export_covers_what_the_person_wrote(world):
    lead = world["lead"]
    held = subjects.collect(subjects.find(lead.email.upper()), None)
    assert held["account"]["username"] == lead.username
    assert held["need_adjustments"], "the lead adjusted schools' needs in the world"
    assert any(entry["verb"] == "cycle.created" for entry in held["audit_log"])
    scoped = subjects.collect(subjects.find(lead.email), [world["b"].pk])
    assert scoped["roles"] == [] and scoped["need_adjustments"] == []
    assert scoped["audit_log"] == [], "nothing of A's in a scope of B"
