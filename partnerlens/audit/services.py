from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent, Pseudonym

# An email address anywhere in a value of ``detail`` (the same shape the outbox accepts).
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PREFIX = "person:"


def record(
    actor: Any,
    verb: str,
    obj: Any,
    *,
    partnership_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Write one audit entry; call inside the transaction of the change it describes.

    Email addresses in ``detail`` are stored as pseudonyms (``pseudonym``), never as
    written, so erasing a person later needs no change to the log."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        verb=verb,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        partnership_id=partnership_id,
        detail=pseudonymised(detail),
    )


def record_export(
    user: Any, obj: Any, *, export: str, fmt: str, partnership_id: int | None = None, **detail: Any
) -> AuditEvent:
    """One download: which export (``export``, a code such as "results") in which format,
    of which object. Never the file's content: no answers, names or figures."""
    return record(
        user,
        verbs.EXPORT_DOWNLOADED,
        obj,
        partnership_id=partnership_id,
        export=export,
        format=fmt,
        **detail,
    )


def pseudonym(email: str, *, create: bool = True) -> str | None:
    """``person:<token>`` for an address: the same token every time until the person is
    forgotten. None when ``create`` is off and the address has none."""
    email = email.strip().lower()
    row = Pseudonym.objects.filter(email=email).first()
    if row is None and create:
        try:
            with transaction.atomic():
                row = Pseudonym.objects.create(email=email, token=secrets.token_hex(16))
        except IntegrityError:  # written at the same moment by another request
            row = Pseudonym.objects.get(email=email)
    return f"{PREFIX}{row.token}" if row is not None else None


def pseudonymised(value: Any) -> Any:
    """``value`` with every email address in it replaced by its pseudonym."""
    if isinstance(value, str):
        return EMAIL.sub(lambda match: pseudonym(match.group(0)), value)
    if isinstance(value, dict):
        return {key: pseudonymised(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [pseudonymised(item) for item in value]
    return value


def forget(email: str) -> int:
    """Erase the link between an address and its pseudonym: entries naming the pseudonym
    stay, and point at nobody. Returns how many links were removed (0 or 1)."""
    deleted, _ = Pseudonym.objects.filter(email=email.strip().lower()).delete()
    return deleted
