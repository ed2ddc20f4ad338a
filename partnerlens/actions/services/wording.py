"""Changing what people wrote: the English and Welsh of evidence, activities and benefits
once they are recorded (a lead adds the Welsh, or corrects either language). Only the texts
that changed are written, and the audit entry names them; ``apply_changes`` is the step
every change in this app shares (``plans.change_action`` uses it too)."""

from __future__ import annotations

from django.db import models, transaction

from partnerlens.actions.models import Activity, Benefit, EvidenceItem
from partnerlens.audit import verbs
from partnerlens.audit.services import record

EVIDENCE_TEXTS = ("title", "title_cy", "text", "text_cy")
ACTIVITY_TEXTS = ("title", "title_cy", "notes", "notes_cy")
BENEFIT_TEXTS = ("description", "description_cy")


def apply_changes(obj: models.Model, names, fields: dict, *, also=()) -> list[str]:
    """Set each of ``names`` that ``fields`` gives a different value and save just those
    (with ``also``, such as an ``auto_now`` field); the names changed, none: nothing saved.
    Call it inside the caller's transaction, which writes the audit entry."""
    changed = [name for name in names if name in fields and getattr(obj, name) != fields[name]]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save(update_fields=[*changed, *also])
    return changed


def _change_texts(obj, names, verb: str, *, actor, texts: dict) -> list[str]:
    unknown = set(texts) - set(names)
    if unknown:
        # Only the wording changes here: a kind, date or link is not quietly ignored.
        raise TypeError(f"Not a text of {type(obj).__name__}: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        changed = apply_changes(obj, names, texts)
        if changed:
            record(actor, verb, obj, partnership_id=obj.partnership_id, fields=changed)
    return changed


def change_evidence_texts(item: EvidenceItem, *, actor, **texts: str) -> list[str]:
    """Change an evidence item's title and note in either language; the fields changed."""
    return _change_texts(item, EVIDENCE_TEXTS, verbs.EVIDENCE_CHANGED, actor=actor, texts=texts)


def change_activity_texts(activity: Activity, *, actor, **texts: str) -> list[str]:
    """Change an activity's title and notes in either language; the fields changed."""
    return _change_texts(activity, ACTIVITY_TEXTS, verbs.ACTIVITY_CHANGED, actor=actor, texts=texts)


def change_benefit_texts(benefit: Benefit, *, actor, **texts: str) -> list[str]:
    """Change a benefit's description in either language; the fields changed."""
    return _change_texts(benefit, BENEFIT_TEXTS, verbs.BENEFIT_CHANGED, actor=actor, texts=texts)
