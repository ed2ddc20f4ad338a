from __future__ import annotations

from typing import Any

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent


def record(
    actor: Any,
    verb: str,
    obj: Any,
    *,
    partnership_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Write one audit entry; call inside the transaction of the change it describes."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        verb=verb,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        partnership_id=partnership_id,
        detail=detail,
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
