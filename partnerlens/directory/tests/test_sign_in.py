"""Signing in through the real sign-in page: the email address in any case."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def ann():
    return get_user_model().objects.create_user(
        username="Ann.Jones@School.example", email="Ann.Jones@School.example", password=PASSWORD
    )


@pytest.mark.parametrize(
    "typed", ["Ann.Jones@School.example", "ann.jones@school.example", " ANN.JONES@SCHOOL.EXAMPLE"]
)
def test_the_email_address_signs_in_whatever_its_case(client, ann, typed):
    reply = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
    assert reply.status_code == 302
    assert client.session["_auth_user_id"] == str(ann.pk)


def test_a_wrong_password_or_an_unknown_address_does_not(client, ann):
    for typed, password in (
        ("ann.jones@school.example", "wrong"),
        ("bob@school.example", PASSWORD),
    ):
        reply = client.post("/accounts/login/", {"username": typed, "password": password})
        assert reply.status_code == 200
        assert "_auth_user_id" not in client.session


def test_an_inactive_account_cannot_sign_in(client, ann):
    ann.is_active = False
    ann.save()
    reply = client.post(
        "/accounts/login/", {"username": "ann.jones@school.example", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session and reply.status_code == 200
