"""Accounts people can recover: password reset by email (any case), password change, the
sign-in throttle, and sessions that end when idle or old."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from partnerlens.directory import accounts

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "tidal-lantern-orchard-9"


def signs_in(username: str, password: str, address: str = "127.0.0.1") -> bool:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def fail(username: str, times: int, address: str = "127.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    reply = None
    for _n in range(times):
        reply = client.post(reverse("login"), {"username": username, "password": "wrong"})
    return reply


# --- password reset --------------------------------------------------------------------


def reset_link(mailbox) -> str:
    from conftest import Mailbox

    [message] = mailbox.messages
    match = re.search(r"https?://\S+/accounts/password/reset/\S+/", Mailbox.body(message))
    assert match, Mailbox.body(message)
    return urlsplit(match.group(0)).path


def test_a_forgotten_password_is_reset_by_email_whatever_the_case_typed(
    client, personas, smtp_server
):
    reply = client.post(reverse("password_reset"), {"email": "  LEAD_A@Example.ORG "})
    assert reply["Location"] == reverse("password_reset_done")
    [message] = smtp_server.to("lead_a@example.org")
    body = smtp_server.body(message)
    assert "choose a new password" in body and "dewis cyfrinair newydd" in body, "both languages"

    link = reset_link(smtp_server)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    mismatch = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert "The two passwords do not match" in mismatch.content.decode()
    assert 'class="govuk-error-summary"' in mismatch.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")

    assert signs_in("lead_a", NEW_PASSWORD) and not signs_in("lead_a", PASSWORD)
    again = client.get(link, follow=True).content.decode()
    assert "This link cannot be used" in again, "a reset link works once"


def test_an_unknown_address_is_told_the_same_and_nothing_is_sent(client, personas, smtp_server):
    reply = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert reply["Location"] == reverse("password_reset_done")
    assert smtp_server.messages == []


def test_an_expired_reset_link_says_it_cannot_be_used_and_offers_a_new_one(
    client, personas, settings, smtp_server, monkeypatch
):
    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    client.post(reverse("password_reset"), {"email": "lead_a@example.org"})
    link = reset_link(smtp_server)
    made = PasswordResetTokenGenerator._now
    later = datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: made(self) + later)
    page = client.get(link, follow=True).content.decode()
    assert "This link cannot be used" in page and "has expired" in page
    assert f'href="{reverse("password_reset")}"' in page, "offers a new link"
    assert signs_in("lead_a", PASSWORD), "the password is unchanged"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your email address"),
        ("not-an-address", "Enter an email address like name@example.org"),
    ],
)
def test_the_reset_form_names_a_missing_or_malformed_address(client, personas, typed, message):
    page = client.post(reverse("password_reset"), {"email": typed}).content.decode()
    assert message in page and 'class="govuk-error-summary"' in page


def test_a_blank_password_form_names_each_missing_field(client, personas):
    client.force_login(personas["teacher_a"])
    page = client.post(reverse("password_change"), {}).content.decode()
    for message in ("Enter your current password", "Enter a new password"):
        assert message in page
    assert 'href="#id_old_password"' in page and 'href="#id_new_password1"' in page


def test_a_new_password_is_checked_and_the_problem_named_in_welsh(client, personas):
    """Django's password rules answer in Welsh on Welsh pages too (the project catalogue)."""
    client.force_login(personas["teacher_a"])
    url = "/cy/accounts/password/change/"
    fields = {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"}
    common = client.post(url, fields).content.decode()
    assert "Mae'r cyfrinair hwn yn rhy gyffredin." in common.replace("&#x27;", "'")
    fields.update(new_password1=NEW_PASSWORD, new_password2=NEW_PASSWORD + "x")
    mismatch = client.post(url, fields).content.decode().replace("&#x27;", "'")
    assert "Nid yw'r ddau gyfrinair yr un fath." in mismatch
    assert signs_in("teacher_a", PASSWORD), "nothing changed"


def test_the_reset_form_names_its_problem_in_welsh_too(client, personas):
    page = client.post("/cy/accounts/password/reset/", {"email": ""}).content.decode()
    assert 'href="#id_email"' in page, "the error summary links to the field"


def test_a_signed_in_person_changes_their_password(client, personas):
    client.force_login(personas["teacher_a"])
    url = reverse("password_change")
    wrong = client.post(
        url,
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your current password is not right" in wrong.content.decode()
    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done["Location"] == reverse("password_change_done")
    assert client.get(reverse("directory:partnership_list")).status_code == 200, "still in"
    assert signs_in("teacher_a", NEW_PASSWORD)


# --- the sign-in throttle --------------------------------------------------------------


def test_repeated_wrong_passwords_lock_the_name_then_even_the_right_one_is_refused(
    personas, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    assert fail("lead_a", limit - 1).status_code == 200
    locked = fail("LEAD_A", 1)  # the same name in another case counts as the same
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert not signs_in("lead_a", PASSWORD)
    # Another account, and the same account from another address, are not affected.
    assert signs_in("teacher_a", PASSWORD)
    assert signs_in("lead_a", PASSWORD, address="192.0.2.7")


def test_signing_in_without_a_request_is_refused_not_let_through_unthrottled(personas):
    """The throttle counts by the request, so code that signs in must pass one (as the sign-in
    page does): without it, axes refuses rather than letting the password be tried freely."""
    from axes.exceptions import AxesBackendRequestParameterRequired
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="lead_a", password=PASSWORD)
    assert authenticate(RequestFactory().post("/"), username="lead_a", password=PASSWORD)


def test_the_lock_lifts_after_the_cool_off(personas, settings):
    from axes.models import AccessAttempt

    fail("lead_a", settings.AXES_FAILURE_LIMIT)
    assert not signs_in("lead_a", PASSWORD)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
    )
    assert signs_in("lead_a", PASSWORD)


def test_the_lockout_page_is_in_welsh_on_welsh_pages(personas, settings):
    client = Client()
    for _n in range(settings.AXES_FAILURE_LIMIT):
        reply = client.post("/cy/accounts/login/", {"username": "lead_a", "password": "x"})
    assert reply.status_code == 429
    assert '<html lang="cy"' in reply.content.decode()


def test_a_password_reset_lifts_the_lock(client, personas, settings, smtp_server):
    fail("lead_a", settings.AXES_FAILURE_LIMIT)
    client.post(reverse("password_reset"), {"email": "lead_a@example.org"})
    set_url = client.get(reset_link(smtp_server), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert signs_in("lead_a", NEW_PASSWORD)


# --- session timeouts ------------------------------------------------------------------


def age_session(client, **seconds_ago):
    session = client.session
    now = accounts.now_stamp()
    for key, ago in seconds_ago.items():
        session[getattr(accounts, key)] = now - ago
    session.save()


@pytest.mark.parametrize(
    ("ages", "signed_out"),
    [
        ({"LAST_SEEN": 29 * 60}, False),
        ({"LAST_SEEN": 31 * 60}, True),
        ({"SIGNED_IN_AT": 11 * 3600}, False),
        ({"SIGNED_IN_AT": 12 * 3600 + 60}, True),
    ],
)
def test_a_session_ends_when_idle_or_old(client, personas, settings, ages, signed_out):
    settings.SESSION_IDLE_MINUTES, settings.SESSION_ABSOLUTE_HOURS = 30, 12
    client.force_login(personas["teacher_a"])
    age_session(client, **ages)
    reply = client.get(reverse("directory:partnership_list"))
    if signed_out:
        assert reply.status_code == 302
        assert reply["Location"].startswith(reverse("login") + "?next=")
        assert "_auth_user_id" not in client.session
        assert "signed out" in client.get(reply["Location"]).content.decode()
    else:
        assert reply.status_code == 200


def test_activity_keeps_an_idle_session_alive(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(personas["teacher_a"])
    age_session(client, LAST_SEEN=20 * 60)
    assert client.get(reverse("directory:partnership_list")).status_code == 200
    assert accounts.now_stamp() - client.session[accounts.LAST_SEEN] < 60
