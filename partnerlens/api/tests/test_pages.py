"""The lead's API access page: tokens made (shown once), listed and revoked; every member
reads what the API is; nobody else reaches any of it."""

from __future__ import annotations

import re

from django.urls import reverse

from partnerlens.api.models import ApiToken, Scope
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent


def test_the_lead_makes_a_token_and_sees_it_once(client, world, db, api):
    client.force_login(world["lead"])
    a = world["a"]
    page = client.post(
        reverse("api:token_create", args=[a.pk]),
        {"name": "Trust data dashboard", "scope": Scope.WRITE},
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    secret = re.search(r'id="new-token">(pl_[A-Za-z0-9_-]+)<', page.content.decode()).group(1)
    token = ApiToken.objects.get(name="Trust data dashboard")
    assert (token.partnership, token.scope, token.created_by) == (a, "write", world["lead"])
    assert AuditEvent.objects.filter(verb=verbs.API_TOKEN_CREATED, object_id=str(token.pk))
    listing = client.get(reverse("api:tokens", args=[a.pk])).content.decode()
    assert "Trust data dashboard" in listing and token.prefix in listing
    assert secret not in listing  # shown once, on the page that made it
    assert api.call("get", "/partnership", secret).status_code == 200


def test_a_token_may_be_given_a_last_day(client, world, db):
    client.force_login(world["lead"])
    url = reverse("api:token_create", args=[world["a"].pk])
    data = {"name": "Pilot", "scope": "read", "expires_on_0": "31", "expires_on_1": "12"}
    past = client.post(url, {**data, "expires_on_2": "2020"})
    assert "must be today or in the future" in past.content.decode()
    assert not ApiToken.objects.filter(name="Pilot").exists()
    client.post(url, {**data, "expires_on_2": "2099"})
    expires = ApiToken.objects.get(name="Pilot").expires_at
    assert (expires.year, expires.month, expires.day) == (2099, 12, 31)


def test_a_form_without_a_name_makes_no_token(client, world, db):
    client.force_login(world["lead"])
    page = client.post(reverse("api:token_create", args=[world["a"].pk]), {"scope": "read"})
    assert "Enter a name for the token" in page.content.decode()
    assert ApiToken.objects.filter(partnership=world["a"]).count() == 1  # the world's own


def test_the_lead_revokes_a_token(client, world, db, api):
    client.force_login(world["lead"])
    token = world["api_token"]
    url = reverse("api:token_revoke", args=[world["a"].pk, token.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == world["lead"]
    assert client.post(url).status_code == 404  # already revoked
    client.post(
        reverse("api:token_create", args=[world["a"].pk]), {"name": "Newer", "scope": "read"}
    )
    listing = client.get(reverse("api:tokens", args=[world["a"].pk])).content.decode()
    assert listing.index("Newer") < listing.index("Trust dashboard")  # working ones first


def test_a_member_reads_about_the_api_but_sees_no_token(client, world, db):
    client.force_login(world["member"])
    page = client.get(reverse("api:tokens", args=[world["a"].pk])).content.decode()
    assert 'id="lead-only"' in page
    assert world["api_token"].prefix not in page and "Trust dashboard" not in page
    create = client.post(reverse("api:token_create", args=[world["a"].pk]), {"name": "Mine"})
    assert create.status_code == 403
    revoke = reverse("api:token_revoke", args=[world["a"].pk, world["api_token"].pk])
    assert client.post(revoke).status_code == 403
    assert not ApiToken.objects.filter(name="Mine").exists()


def test_the_lead_of_b_cannot_reach_a_s_tokens(client, world, db):
    client.force_login(world["lead_b"])
    a, b, token = world["a"], world["b"], world["api_token"]
    assert client.get(reverse("api:tokens", args=[a.pk])).status_code == 404
    # Through B's own address, A's token is not found either.
    assert client.post(reverse("api:token_revoke", args=[b.pk, token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_page_is_in_welsh(client, world, db):
    client.force_login(world["lead"])
    page = client.get("/cy" + reverse("api:tokens", args=[world["a"].pk]))
    assert page.status_code == 200
    assert '<html lang="cy"' in page.content.decode()
