"""The role invitation email: one template per language, the invitee's language first."""

from __future__ import annotations

import re
from email.header import decode_header, make_header

from django.urls import reverse
from django.utils import translation

from partnerlens.directory.models import Role


def send_invitation(client, personas, *, language=None, url_language="en"):
    client.force_login(personas["lead_a"])
    data = {"email": "new.teacher@example.org", "role": Role.GOVERNOR}
    if language is not None:
        data["language"] = language
    with translation.override(url_language):
        url = reverse("directory:person_invite", args=[personas["a"].pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def parts(smtp_server):
    from conftest import Mailbox

    [message] = smtp_server.to("new.teacher@example.org")
    subject = str(make_header(decode_header(message["Subject"]))).replace("\r\n", "")
    return " ".join(subject.split()), re.split(r"\r?\n-----\r?\n", Mailbox.body(message))


def test_a_welsh_invitee_reads_welsh_first_then_english(client, personas, smtp_server):
    send_invitation(client, personas, language="cy")
    subject, (first, second) = parts(smtp_server)
    assert subject == (
        "Gwahoddiad i ymuno â Northside Cluster ar Partnerlens"
        " / You are invited to join Northside Cluster on Partnerlens"
    )
    assert first.strip().startswith("Helo,")
    assert "wedi eich gwahodd i ymuno â Northside Cluster" in first
    assert "Llywodraethwr" in first  # the role, named in Welsh
    assert "has invited you to join Northside Cluster on Partnerlens as Governor" in second
    assert "/invitations/" in first and "/invitations/" in second


def test_an_english_invitee_reads_english_first(client, personas, smtp_server):
    send_invitation(client, personas, language="en")
    subject, (first, second) = parts(smtp_server)
    assert subject.startswith("You are invited to join Northside Cluster")
    assert first.strip().startswith("Hello,") and second.strip().startswith("Helo,")


def test_without_a_choice_the_email_follows_the_language_the_lead_is_using(
    client, personas, smtp_server
):
    send_invitation(client, personas, url_language="cy")
    subject, (first, _second) = parts(smtp_server)
    assert subject.startswith("Gwahoddiad i ymuno")
    assert first.strip().startswith("Helo,")
