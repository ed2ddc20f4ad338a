"""Support relationships: progress notes, and ending support as completed or ended early."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.brokerage import emails
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import ProgressNote, SupportRelationship, SupportStatus


def record_progress(
    relationship: SupportRelationship, *, text: str, noted_on: date | None = None, actor
) -> ProgressNote:
    if not text.strip():
        raise BrokerageError(_("Write the progress note."))
    noted_on = noted_on or timezone.localdate()
    if noted_on < relationship.started_on:
        raise BrokerageError(_("A progress note cannot be dated before the support started."))
    with transaction.atomic():
        note = ProgressNote.objects.create(
            relationship=relationship, noted_on=noted_on, text=text.strip(), author=actor
        )
        record(
            actor,
            verbs.BROKERAGE_PROGRESS_RECORDED,
            note,
            partnership_id=relationship.partnership_id,
            relationship=relationship.pk,
        )
    return note


def end_support(
    relationship: SupportRelationship,
    *,
    status: str,
    ended_on: date | None = None,
    reason: str = "",
    actor,
) -> SupportRelationship:
    """Close a support relationship as completed or ended early (which excludes the pair
    from later scenarios, as a failed pairing), with the reason, and tell both schools."""
    if status not in (SupportStatus.COMPLETED, SupportStatus.ENDED_EARLY):
        raise BrokerageError(_("Choose whether the support was completed or ended early."))
    if not reason.strip():
        raise BrokerageError(_("Say why the support is ending."))
    ended_on = ended_on or timezone.localdate()
    with transaction.atomic():
        relationship = SupportRelationship.objects.select_for_update().get(pk=relationship.pk)
        if relationship.status != SupportStatus.ACTIVE:
            raise BrokerageError(_("This support has already ended."))
        if ended_on < relationship.started_on:
            raise BrokerageError(_("The end date cannot be before the support started."))
        relationship.status, relationship.ended_on = status, ended_on
        relationship.end_reason = reason.strip()
        relationship.save(update_fields=["status", "ended_on", "end_reason"])
        notices = emails.support_ended(relationship, actor=actor)
        record(
            actor,
            verbs.BROKERAGE_SUPPORT_ENDED,
            relationship,
            partnership_id=relationship.partnership_id,
            status=status,
            ended_on=ended_on.isoformat(),
            reason=relationship.end_reason,
            notified=sorted(address for notice in notices for address in notice.to),
        )
        for notice in notices:
            notice.send()
    return relationship
