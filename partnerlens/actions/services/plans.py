"""Action plans: making an action (from a finding or not), changing it, and its updates.
Each workflow owns its transaction and writes its audit entry."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from partnerlens.actions.models import Action, ActionUpdate
from partnerlens.actions.services.wording import apply_changes
from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.enquiries.models import Language

# Fields a change may touch (schools, a many-to-many, are compared apart).
EDITABLE = (
    "title",
    "title_cy",
    "description",
    "description_cy",
    "owner",
    "start_on",
    "due_on",
    "status",
    "success_text",
    "success_text_cy",
    "success_kind",
    "success_code",
)


def create_action(partnership, *, actor, schools=(), finding=None, **fields) -> Action:
    """A new action of the partnership. ``finding`` (``sources.Finding``) records where it
    came from, named in both languages; ``fields`` are the model's (title, title_cy,
    due_on, ...)."""
    source = {}
    if finding is not None:
        source = {
            "source_kind": finding.kind,
            "source_id": finding.id,
            "source_ref": finding.ref,
            "source_label": finding.label,
            "source_label_cy": finding.label_cy,
        }
    with transaction.atomic():
        action = Action.objects.create(
            partnership=partnership, created_by=actor, **source, **fields
        )
        action.schools.set(schools)
        record(
            actor,
            verbs.ACTION_CREATED,
            action,
            partnership_id=partnership.pk,
            source=action.source_kind,
            status=action.status,
        )
    return action


def change_action(action: Action, *, actor, schools=None, **fields) -> list[str]:
    """Change an action; the names of the fields that changed (none: nothing written)."""
    with transaction.atomic():
        changed = apply_changes(action, EDITABLE, fields, also=["updated_at"])
        if schools is not None:
            wanted = {s.pk for s in schools}
            if wanted != set(action.schools.values_list("pk", flat=True)):
                action.schools.set(schools)
                changed.append("schools")
        if changed:
            record(
                actor,
                verbs.ACTION_CHANGED,
                action,
                partnership_id=action.partnership_id,
                fields=[name.removesuffix("_id") for name in changed],
                status=action.status,
            )
    return changed


def add_update(
    action: Action, *, actor, text: str, noted_on: date, language: str = Language.ENGLISH
) -> ActionUpdate:
    """A progress note, in the one ``language`` (``en``/``cy``) its writer wrote it in."""
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action, author=actor, text=text, noted_on=noted_on, language=language
        )
        record(actor, verbs.ACTION_UPDATE_ADDED, action, partnership_id=action.partnership_id)
    return update
