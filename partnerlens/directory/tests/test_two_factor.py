"""Two-factor sign-in with real TOTP codes, computed from the device's own key as an
authenticator app would: required of staff and brokers, optional for everyone else."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerlens.directory.models import Role

PASSWORD = "correct-horse-battery"


def code_for(device: TOTPDevice, steps_ahead: int = 0, key: bytes | None = None) -> str:
    """The code an authenticator app shows (``steps_ahead`` time steps later; the device
    accepts one step either way, and never the same step twice)."""
    totp = TOTP(key or device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client: Client, username: str, follow: bool = False):
    return client.post(
        reverse("login"), {"username": username, "password": PASSWORD}, follow=follow
    )


def set_up_app(client: Client) -> TOTPDevice:
    """Open the set-up page, read the key it shows (as a person types it into the app), and
    confirm with the app's code."""
    page = client.get(reverse("two_factor_setup")).content.decode()
    key = re.search(r'id="setup-key"[^>]*>([A-Z2-7 ]+)<', page).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    reply = client.post(
        reverse("two_factor_setup"),
        {"code": code_for(device, key=b32decode(key.replace(" ", "")))},
    )
    assert reply.status_code == 302, reply.content.decode()[:2000]
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.fixture
def broker(personas, make_user):
    user = make_user("broker_a")
    personas["a"].roles.create(user=user, role=Role.BROKER)
    return user


@pytest.fixture
def staff(make_user):
    return make_user("helpdesk", is_staff=True)


@pytest.mark.parametrize("who", ["broker", "staff"])
def test_staff_and_brokers_must_set_it_up_before_any_other_page(request, who, personas):
    user = request.getfixturevalue(who)
    client = Client()
    sign_in(client, user.username)
    detail = reverse("directory:partnership_list")
    reply = client.get(detail)
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("two_factor_setup"))
    # Nowhere else either, the administration included.
    for url in (reverse("directory:partnership_create"), reverse("account"), "/admin/"):
        assert client.get(url)["Location"].startswith(reverse("two_factor_setup")), url

    set_up_app(client)
    assert client.get(detail).status_code == 200


def test_a_plain_member_is_not_asked_but_may_turn_it_on(personas):
    client = Client()
    sign_in(client, "teacher_a")
    assert client.get(reverse("directory:partnership_list")).status_code == 200
    assert "Off." in client.get(reverse("account")).content.decode()

    device = set_up_app(client)
    account = client.get(reverse("account")).content.decode()
    assert "10 backup codes left" in account

    # From now on a code is asked for after the password.
    client.post(reverse("logout"))
    sign_in(client, "teacher_a")
    reply = client.get(reverse("directory:partnership_list"))
    assert reply["Location"].startswith(reverse("two_factor_verify"))
    reply = client.post(
        reverse("two_factor_verify"),
        {"code": code_for(device, steps_ahead=1), "next": "/partnerships/"},
    )
    assert reply["Location"] == "/partnerships/"
    assert client.get(reverse("directory:partnership_list")).status_code == 200


def test_after_the_password_a_wrong_code_is_refused_and_a_right_one_lets_in(broker):
    device = TOTPDevice.objects.create(user=broker, name="phone", confirmed=True)
    client = Client()
    reply = sign_in(client, "broker_a")
    assert reply.status_code == 302
    target = client.get(reverse("directory:partnership_list"))["Location"]
    assert target.startswith(reverse("two_factor_verify"))

    right = code_for(device)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    refused = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert refused.status_code == 200
    assert "The code is not right" in refused.content.decode()
    assert client.get(reverse("directory:partnership_list")).status_code == 302

    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the wrong code's wait, passed
    device.save()
    assert client.post(reverse("two_factor_verify"), {"code": right}).status_code == 302
    assert client.get(reverse("directory:partnership_list")).status_code == 200


def test_set_up_names_a_missing_or_wrong_code_and_stays_off(personas):
    client = Client()
    sign_in(client, "teacher_a")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(confirmed=False)
    right = code_for(device)
    for code, message in (
        ("", "Enter the code"),
        (f"{(int(right) + 1) % 10**6:06d}", "The code is not right"),
    ):
        page = client.post(reverse("two_factor_setup"), {"code": code})
        assert page.status_code == 200
        assert message in page.content.decode() and "govuk-error-summary" in page.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert "Off." in client.get(reverse("account")).content.decode()


def test_a_backup_code_signs_in_once(personas):
    client = Client()
    sign_in(client, "teacher_a")
    set_up_app(client)
    page = client.get(reverse("account")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10
    assert 'id="backup-codes"' not in client.get(reverse("account")).content.decode(), (
        "the codes are shown once"
    )
    for attempt, expected in ((codes[0], 302), (codes[0], 200)):
        other = Client()
        sign_in(other, "teacher_a")
        assert other.post(reverse("two_factor_verify"), {"code": attempt}).status_code == expected


def test_the_requirement_cannot_be_turned_off_but_an_optional_one_can(broker, personas):
    for username, left_on in (("broker_a", True), ("teacher_a", False)):
        client = Client()
        sign_in(client, username)
        set_up_app(client)
        client.post(reverse("two_factor_remove"))
        assert TOTPDevice.objects.filter(user__username=username).exists() == left_on


def test_a_role_that_requires_it_takes_effect_in_the_session(personas, make_user):
    client = Client()
    sign_in(client, "teacher_a")
    assert client.get(reverse("directory:partnership_list")).status_code == 200
    personas["a"].roles.create(user=personas["teacher_a"], role=Role.BROKER)
    session = client.session
    session["partnerlens.two_factor_checked_at"] = 0  # the next check is due
    session.save()
    reply = client.get(reverse("directory:partnership_list"))
    assert reply["Location"].startswith(reverse("two_factor_setup"))


def test_force_login_in_tests_passes_the_second_factor(client, broker):
    """The test helper (conftest's ``client``): staff and brokers reach their pages."""
    client.force_login(broker)
    assert client.get(reverse("directory:partnership_list")).status_code == 200
