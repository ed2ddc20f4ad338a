"""Making, revoking and checking API tokens. Each write owns its transaction and is audited.

A token is ``pl_`` and 43 random URL-safe characters (``secrets.token_urlsafe(32)``); only
its hash is stored (``core.tokens.hash_token``, purpose ``api``), with its first characters
(``prefix``) so the lead can tell tokens apart. Looking one up is one indexed query.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from partnerlens.api.models import ApiToken, Scope
from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core.tokens import hash_token
from partnerlens.directory.models import Partnership

PURPOSE = "api"
TOKEN_START = "pl_"  # noqa: S105 (what every token starts with, not a secret)
PREFIX_LENGTH = 10  # "pl_" and seven random characters: enough to recognise, useless alone
# Refusal codes (the API's 401 body carries none of them: a caller learns only "not valid").
UNKNOWN, REVOKED, EXPIRED = "unknown", "revoked", "expired"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown to the lead once, never stored


@dataclass(frozen=True)
class Check:
    token: ApiToken | None
    refusal: str = ""  # "" when the token may be used


def create_token(
    partnership: Partnership,
    *,
    actor,
    name: str,
    scope: str = Scope.READ,
    expires_at: datetime | None = None,
) -> NewToken:
    if scope not in Scope.values:
        raise ValueError(f"unknown scope {scope!r}")
    secret = TOKEN_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            partnership=partnership,
            name=name.strip(),
            scope=scope,
            token_hash=hash_token(secret, purpose=PURPOSE),
            prefix=secret[:PREFIX_LENGTH],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=expires_at,
        )
        record(
            actor,
            verbs.API_TOKEN_CREATED,
            token,
            partnership_id=partnership.pk,
            scope=scope,  # not its name: typed text, which may name a person (privacy)
            expires_at=expires_at.isoformat() if expires_at else None,
        )
    return NewToken(token, secret)


def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    """Stop the token working at once; revoking twice changes nothing."""
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(actor, verbs.API_TOKEN_REVOKED, locked, partnership_id=locked.partnership_id)
    token.revoked_at, token.revoked_by = locked.revoked_at, locked.revoked_by
    return locked


def check_token(secret: str) -> Check:
    """The token a caller presented, and why it may not be used, if it may not."""
    if not secret.startswith(TOKEN_START) or len(secret) > 100:
        return Check(None, UNKNOWN)
    token = (
        ApiToken.objects.select_related("partnership")
        .filter(token_hash=hash_token(secret, purpose=PURPOSE))
        .first()
    )
    if token is None:
        return Check(None, UNKNOWN)
    if token.revoked_at is not None:
        return Check(token, REVOKED)
    if token.is_expired:
        return Check(token, EXPIRED)
    return Check(token)


def record_use(token: ApiToken, *, method: str, path: str) -> None:
    """Note a request the token opened: its last-used time and an audit entry."""
    now = timezone.now()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        record(
            None,
            verbs.API_TOKEN_USED,
            token,
            partnership_id=token.partnership_id,
            method=method,
            path=path[:200],
        )
    token.last_used_at = now


def record_refusal(token: ApiToken, *, reason: str, method: str, path: str) -> None:
    """A known token turned away (revoked, expired, or a read token asked to write)."""
    record(
        None,
        verbs.API_TOKEN_REFUSED,
        token,
        partnership_id=token.partnership_id,
        reason=reason,
        method=method,
        path=path[:200],
    )
