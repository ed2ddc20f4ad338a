"""Tokens: only a hash is stored; a wrong, expired or revoked token gets 401, a read token on
a write 403; every creation, use and refusal is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.api.models import ApiToken, Scope
from partnerlens.api.services import create_token, revoke_token
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.core.tokens import hash_token
from partnerlens.enquiries.models import CycleState


def test_only_a_hash_of_the_token_is_stored(world, db):
    made = create_token(world["a"], actor=world["lead"], name="Dashboard")
    stored = ApiToken.objects.filter(pk=made.token.pk).values()[0]
    assert made.secret not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == hash_token(made.secret, purpose="api")
    assert made.secret.startswith(stored["prefix"])


def test_making_a_token_is_audited(world, db):
    made = create_token(world["a"], actor=world["lead"], name="Dashboard", scope=Scope.WRITE)
    event = AuditEvent.objects.get(verb=verbs.API_TOKEN_CREATED, object_id=str(made.token.pk))
    assert event.actor == world["lead"]
    assert event.partnership_id == world["a"].pk
    assert event.detail["scope"] == "write"
    assert made.secret not in str(event.detail)


def test_a_token_reads_its_partnership_and_each_use_is_audited(api, world, tokens):
    response = api.call("get", "/partnership", tokens["a_read"])
    assert response.status_code == 200
    assert response.json()["name"] == "Northside Cluster"
    token = ApiToken.objects.get(name="a read")
    assert token.last_used_at is not None
    used = AuditEvent.objects.filter(verb=verbs.API_TOKEN_USED, object_id=str(token.pk))
    assert [(e.detail["method"], e.detail["path"]) for e in used] == [
        ("GET", "/api/v1/partnership")
    ]
    api.call("get", "/cycles", tokens["a_read"])
    assert used.all().count() == 2  # a fresh query, not the list read above


@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer pl_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 500],
)
def test_no_token_or_a_wrong_one_gets_401(api, world, tokens, header):
    kwargs = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = api.call("get", "/partnership", **kwargs)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Northside" not in response.content.decode()


def test_a_revoked_token_gets_401_and_the_refusal_is_audited(api, world, tokens):
    token = ApiToken.objects.get(name="a read")
    assert api.call("get", "/partnership", tokens["a_read"]).status_code == 200
    revoke_token(token, actor=world["lead"])
    assert api.call("get", "/partnership", tokens["a_read"]).status_code == 401
    refused = AuditEvent.objects.get(verb=verbs.API_TOKEN_REFUSED, object_id=str(token.pk))
    assert refused.detail["reason"] == "revoked"
    assert AuditEvent.objects.filter(verb=verbs.API_TOKEN_REVOKED, actor=world["lead"]).exists()


def test_an_expired_token_gets_401(api, world, db):
    made = create_token(
        world["a"],
        actor=world["lead"],
        name="Short",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    assert api.call("get", "/partnership", made.secret).status_code == 200
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now() - timedelta(1))
    assert api.call("get", "/partnership", made.secret).status_code == 401
    assert AuditEvent.objects.filter(
        verb=verbs.API_TOKEN_REFUSED, object_id=str(made.token.pk), detail__reason="expired"
    ).exists()


def test_a_read_token_may_not_write(api, world, tokens):
    cycle = world["open_cycle"]
    response = api.call("post", f"/cycles/{cycle.pk}/close", tokens["a_read"])
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN
    assert AuditEvent.objects.filter(
        verb=verbs.API_TOKEN_REFUSED, detail__reason="read_only"
    ).exists()


def test_a_write_token_closes_a_cycle_through_the_service(api, world, tokens):
    cycle = world["open_cycle"]
    response = api.call("post", f"/cycles/{cycle.pk}/close", tokens["a_write"])
    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED
    closed = AuditEvent.objects.get(verb=verbs.CYCLE_CLOSED, object_id=str(cycle.pk))
    assert closed.actor == world["lead"]  # on the authority of the token's maker
    again = api.call("post", f"/cycles/{cycle.pk}/close", tokens["a_write"])
    assert again.status_code == 409


def test_api_responses_are_never_cached(api, world, tokens):
    response = api.call("get", "/partnership", tokens["a_read"])
    assert "no-store" in response["Cache-Control"]


def test_a_token_past_its_rate_gets_429_with_retry_after(api, world, tokens, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_REQUESTS_PER_MINUTE = 3
    answers = [api.call("get", "/partnership", tokens["a_read"]).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = api.call("get", "/partnership", tokens["a_read"])
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # The limit is per token: the other token of the same partnership still reads.
    assert api.call("get", "/partnership", tokens["a_write"]).status_code == 200
    cache.clear()
