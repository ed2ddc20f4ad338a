"""Inviting people: a real email through a real SMTP server, and a link that works once."""

from __future__ import annotations

import datetime
import hashlib
import re
from email.header import decode_header, make_header
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.directory import services
from partnerlens.directory.models import PartnershipRole, Role, RoleInvitation


def invite(client, personas, email="new.governor@example.org", **extra):
    client.force_login(personas["lead_a"])
    data = {"email": email, "role": Role.GOVERNOR, **extra}
    response = client.post(reverse("directory:person_invite", args=[personas["a"].pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    client.logout()


def link_in(message) -> str:
    from conftest import Mailbox

    match = re.search(r"https?://\S+/invitations/\S+/", Mailbox.body(message))
    assert match, Mailbox.body(message)
    return urlsplit(match.group(0)).path


def test_an_invited_person_follows_the_emailed_link_and_joins_with_a_new_account(
    client, personas, smtp_server
):
    invite(client, personas, organisation=personas["school_a"].pk)

    [message] = smtp_server.to("new.governor@example.org")
    assert "Northside Cluster" in str(make_header(decode_header(message["Subject"])))
    path = link_in(message)

    page = client.get(path)
    assert page.status_code == 200
    assert "Join Northside Cluster" in page.content.decode()

    response = client.post(path, {"name": "Gwen Pritchard", "password": "slate-harbour-47"})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:partnership_detail", args=[personas["a"].pk])
    user = get_user_model().objects.get(email="new.governor@example.org")
    assert user.get_full_name() == "Gwen Pritchard"
    role = PartnershipRole.objects.get(user=user)
    assert (role.partnership, role.role, role.organisation) == (
        personas["a"],
        Role.GOVERNOR,
        personas["school_a"],
    )
    # Signed in straight away, and the partnership is now theirs to see.
    assert client.get(response["Location"]).status_code == 200
    assert AuditEvent.objects.filter(verb="invitation.accepted").count() == 1


def test_only_a_hash_of_the_token_is_stored(client, personas, smtp_server):
    invite(client, personas)
    token = link_in(smtp_server.messages[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = RoleInvitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(list(RoleInvitation.objects.values()))


def test_a_used_link_cannot_be_used_again(client, personas, smtp_server):
    invite(client, personas)
    path = link_in(smtp_server.messages[0])
    client.post(path, {"name": "Gwen Pritchard", "password": "slate-harbour-47"})
    client.logout()

    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    client.force_login(personas["outsider"])
    assert client.post(path).status_code == 410
    assert not PartnershipRole.objects.filter(user=personas["outsider"]).exists()


def test_an_expired_link_says_so_and_grants_nothing(client, personas, smtp_server):
    invite(client, personas)
    RoleInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    path = link_in(smtp_server.messages[0])

    page = client.get(path)
    assert page.status_code == 410
    assert "expired" in page.content.decode()
    client.post(path, {"name": "Late Comer", "password": "slate-harbour-47"})
    assert not get_user_model().objects.filter(email="new.governor@example.org").exists()


def test_a_made_up_link_is_not_found(client, personas):
    response = client.get(reverse("directory:accept_invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_invitation_expires_after_the_configured_number_of_days(
    client, personas, smtp_server, settings
):
    settings.INVITATION_DAYS = 3
    invite(client, personas)
    lifetime = RoleInvitation.objects.get().expires_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < lifetime <= datetime.timedelta(days=3)


def test_someone_already_signed_in_accepts_with_one_button(client, personas, smtp_server):
    invite(client, personas, email="outsider@example.org")
    path = link_in(smtp_server.messages[0])
    client.force_login(personas["outsider"])

    page = client.get(path)
    assert "Accept invitation" in page.content.decode()
    assert not PartnershipRole.objects.filter(user=personas["outsider"]).exists(), (
        "opening the link (as mail scanners do) must not accept it"
    )
    client.post(path)
    assert PartnershipRole.objects.get(user=personas["outsider"]).partnership == personas["a"]


def test_an_address_with_an_account_is_asked_to_sign_in_not_to_make_another(
    client, personas, smtp_server
):
    invite(client, personas, email="Teacher_A@example.org")
    path = link_in(smtp_server.messages[0])
    page = client.get(path).content.decode()
    assert "Sign in to accept" in page and "Create your account" not in page
    response = client.post(path, {"name": "Someone Else", "password": "slate-harbour-47"})
    assert response.status_code == 200
    assert "already an account" not in response.content.decode()
    assert get_user_model().objects.filter(email="teacher_a@example.org").count() == 1
    assert not RoleInvitation.objects.get().accepted_at


def test_a_weak_password_is_refused_with_a_message_by_the_field(client, personas, smtp_server):
    invite(client, personas)
    path = link_in(smtp_server.messages[0])
    page = client.post(path, {"name": "Gwen Pritchard", "password": "password"}).content.decode()
    assert 'id="id_password_error"' in page
    assert 'href="#id_password"' in page  # the error summary links to the field
    assert not get_user_model().objects.filter(email="new.governor@example.org").exists()


def test_an_invitation_is_not_kept_when_the_mail_server_refuses_it(client, personas, settings):
    from conftest import _free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    client.force_login(personas["lead_a"])
    response = client.post(
        reverse("directory:person_invite", args=[personas["a"].pk]),
        {"email": "someone@example.org", "role": Role.TEACHER},
    )
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not RoleInvitation.objects.exists()


def test_the_member_organisation_must_belong_to_the_partnership(client, personas, smtp_server):
    client.force_login(personas["lead_a"])
    response = client.post(
        reverse("directory:person_invite", args=[personas["a"].pk]),
        {"email": "x@example.org", "role": Role.TEACHER, "organisation": personas["school_b"].pk},
    )
    assert response.status_code == 200
    assert not RoleInvitation.objects.exists()
    assert smtp_server.messages == []


def test_the_last_partnership_lead_cannot_be_removed(personas):
    lead_role = PartnershipRole.objects.get(user=personas["lead_a"])
    with pytest.raises(services.DirectoryError, match="needs a lead"):
        services.end_role(lead_role, actor=personas["lead_a"])
    lead_role.refresh_from_db()
    assert lead_role.ended is None


def test_someone_signed_in_as_another_person_is_shown_whose_invitation_it_is(
    client, personas, smtp_server
):
    invite(client, personas, email="ann.jones@example.org")
    path = link_in(smtp_server.messages[0])
    client.force_login(personas["outsider"])

    page = client.get(path)
    assert page.status_code == 403
    text = page.content.decode()
    assert "a…@example.org" in text and "ann.jones@example.org" not in text
    assert "Sign out and continue" in text
    assert client.post(path).status_code == 403
    assert not PartnershipRole.objects.filter(user=personas["outsider"]).exists()
    assert RoleInvitation.objects.get().accepted_at is None

    # Signing out there comes back to the invitation, for the invited person to accept.
    out = client.post(reverse("logout"), {"next": path})
    assert out["Location"] == path
    assert "Create your account" in client.get(path).content.decode()


def test_the_service_refuses_an_invitation_to_anyone_else(client, personas, smtp_server):
    invite(client, personas, email="ann.jones@example.org")
    token = link_in(smtp_server.messages[0]).rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(services.InvitationError):
        services.accept_invitation(token, user=personas["outsider"])


def test_an_existing_user_invited_again_signs_in_and_accepts(client, personas, smtp_server):
    """Re-inviting someone who has an account: the link leads through sign-in, back to
    the invitation, whatever the case of the address the lead typed."""
    teacher = personas["teacher_a"]
    invite(client, personas, email="TEACHER_A@example.org", role=Role.GOVERNOR)
    path = link_in(smtp_server.messages[0])
    page = client.get(path).content.decode()
    sign_in = re.search(r'href="([^"]*/accounts/login/\?next=[^"]+)"', page).group(1)

    reply = client.post(
        sign_in.replace("&amp;", "&"),
        {"username": "teacher_a@example.org", "password": "correct-horse-battery", "next": path},
    )
    assert reply["Location"] == path
    client.post(path)
    assert PartnershipRole.objects.filter(user=teacher, role=Role.GOVERNOR).exists()
