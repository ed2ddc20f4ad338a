"""A lead's changes to the partnership's indicators and to a trigger's status."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership
from partnerlens.triggers.defaults import NOTIFY, RECOMMENDED
from partnerlens.triggers.models import Indicator, Status, Trigger
from partnerlens.triggers.services.schedule import ensure_scheduled


def add_recommended(partnership: Partnership, *, actor) -> list[Indicator]:
    """The recommended indicators (defaults.py), for a partnership that has none yet."""
    with transaction.atomic():
        if partnership.trigger_indicators.exists():
            return []
        made = [
            Indicator.objects.create(partnership=partnership, notify_roles=list(NOTIFY), **row)
            for row in RECOMMENDED
        ]
        record(
            actor,
            verbs.TRIGGERS_INDICATOR_SAVED,
            partnership,
            partnership_id=partnership.pk,
            recommended=len(made),
        )
    ensure_scheduled()
    return made


def save_indicator(form, *, actor) -> Indicator:
    """Save an indicator's form (new or changed) and make sure the daily round runs."""
    with transaction.atomic():
        indicator = form.save()
        record(
            actor,
            verbs.TRIGGERS_INDICATOR_SAVED,
            indicator,
            partnership_id=indicator.partnership_id,
            kind=indicator.kind,
            fields=sorted(form.changed_data),
        )
    ensure_scheduled()
    return indicator


def set_status(trigger: Trigger, status: str, *, actor) -> bool:
    """Acknowledge or resolve a trigger (or reopen it); False when nothing changed."""
    if status not in Status.values or status == trigger.status:
        return False
    with transaction.atomic():
        trigger.status = status
        trigger.status_changed_at = timezone.now()
        trigger.status_changed_by = actor
        trigger.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        record(
            actor,
            verbs.TRIGGERS_STATUS_CHANGED,
            trigger,
            partnership_id=trigger.partnership_id,
            status=status,
        )
    return True
