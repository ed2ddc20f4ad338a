"""Cycles: create one, and move it through draft, open, closed and published.

Each function owns its transaction and writes the audit log. Errors a person can fix are
raised as ``EnquiryError`` carrying a message fit to show them.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.directory.models import Membership, Organisation, Partnership, Role
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import AnonymityMode, Cycle, CycleState, RelationshipsAsked
from partnerlens.enquiries.receipts import forget_receipts
from partnerlens.enquiries.services.invitees import send_invitations
from partnerlens.enquiries.services.reminders import reschedule_reminders
from partnerlens.enquiries.signals import cycle_state_changed
from partnerlens.frameworks.models import FrameworkVersion


def create_cycle(
    partnership: Partnership,
    *,
    actor,
    framework_version: FrameworkVersion,
    title: str,
    opens_on: date,
    closes_on: date,
    anonymity_mode: str = AnonymityMode.CONFIDENTIAL,
    audience_roles: list[str] | None = None,
    audience_organisations: list[Organisation] | None = None,
    title_cy: str = "",
    introduction: str = "",
    introduction_cy: str = "",
    relationships_asked: str = RelationshipsAsked.ALL,
) -> Cycle:
    if not framework_version.is_published:
        raise EnquiryError(_("Only a published framework version can be used for a cycle."))
    owner_id = framework_version.framework.owner_id
    if owner_id is not None and owner_id != partnership.pk:
        raise EnquiryError(_("That framework belongs to another partnership."))
    if closes_on < opens_on:
        raise EnquiryError(_("The closing date must be on or after the opening date."))
    if anonymity_mode not in AnonymityMode.values:
        raise EnquiryError(_("Choose named, confidential or anonymous."))
    if relationships_asked not in RelationshipsAsked.values:
        raise EnquiryError(_("Choose every partner, or only partners whose tie is new or changed."))
    roles = list(audience_roles or [])
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise EnquiryError(_("Unknown role: %(roles)s") % {"roles": ", ".join(unknown)})
    organisations = list(audience_organisations or [])
    members = set(
        Membership.objects.current()
        .filter(partnership=partnership)
        .values_list("organisation_id", flat=True)
    )
    outsiders = [o.name for o in organisations if o.pk not in members]
    if outsiders:
        raise EnquiryError(
            _("Not current members of this partnership: %(names)s")
            % {"names": ", ".join(outsiders)}
        )
    with transaction.atomic():
        cycle = Cycle.objects.create(
            partnership=partnership,
            framework_version=framework_version,
            title=title.strip(),
            title_cy=title_cy.strip(),
            introduction=introduction.strip(),
            introduction_cy=introduction_cy.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            anonymity_mode=anonymity_mode,
            audience_roles=roles,
            relationships_asked=relationships_asked,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        cycle.audience_organisations.set(organisations)
        record(
            actor,
            verbs.CYCLE_CREATED,
            cycle,
            partnership_id=partnership.pk,
            anonymity_mode=anonymity_mode,
            framework_version=framework_version.pk,
            relationships_asked=relationships_asked,
        )
    return cycle


TRANSITIONS = {
    CycleState.OPEN: ({CycleState.DRAFT, CycleState.CLOSED}, verbs.CYCLE_OPENED),
    CycleState.CLOSED: ({CycleState.OPEN}, verbs.CYCLE_CLOSED),
    CycleState.PUBLISHED: ({CycleState.CLOSED}, verbs.CYCLE_PUBLISHED),
}


def _move(cycle: Cycle, target: str, actor) -> Cycle:
    allowed_from, verb = TRANSITIONS[target]
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if locked.state not in allowed_from:
            raise EnquiryError(
                _("A %(state)s cycle cannot become %(target)s.")
                % {
                    "state": CycleState(locked.state).label.lower(),
                    "target": CycleState(target).label.lower(),
                }
            )
        before = locked.state
        locked.state = target
        locked.save(update_fields=["state"])
        record(actor, verb, locked, partnership_id=locked.partnership_id, before=before)
        cycle_state_changed.send(
            sender=Cycle, cycle=locked, before=before, target=target, actor=actor
        )
    cycle.state = target
    return locked


def open_cycle(cycle: Cycle, *, actor) -> int:
    """Open for responses (also re-opens a closed cycle) and send waiting invitations."""
    if cycle.closes_on < timezone.localdate():
        raise EnquiryError(_("The closing date has passed. Change it before opening."))
    _move(cycle, CycleState.OPEN, actor)
    reschedule_reminders(cycle)
    return send_invitations(cycle)


def close_cycle(cycle: Cycle, *, actor) -> Cycle:
    """Stop accepting answers. Drafts are kept as they are; they are simply not submitted."""
    return _move(cycle, CycleState.CLOSED, actor)


def publish_cycle(cycle: Cycle, *, actor) -> Cycle:
    """Publish results. A published cycle never takes responses or sends reminders again,
    so an anonymous cycle's receipts (who has answered) are deleted with it."""
    with transaction.atomic():
        published = _move(cycle, CycleState.PUBLISHED, actor)
        forget_receipts(published)
    return published


class DatesRefused(EnquiryError):
    """New dates a cycle cannot take; ``field`` names the date the message is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_new_dates(cycle: Cycle, opens_on: date, closes_on: date) -> None:
    """Raise ``DatesRefused`` unless the cycle, in its state, may take these dates."""
    today = timezone.localdate()
    if cycle.state == CycleState.PUBLISHED:
        raise DatesRefused(_("The results are published, so this cycle's dates cannot change."))
    if closes_on < opens_on:
        raise DatesRefused(_("The closing date must be on or after the opening date"), "closes_on")
    if (opens_on, closes_on) == (cycle.opens_on, cycle.closes_on):
        raise DatesRefused(_("These are the dates the cycle already has. Change at least one."))
    if cycle.state == CycleState.OPEN and opens_on > today:
        raise DatesRefused(
            _("The cycle is open, so its opening date cannot be after today"), "opens_on"
        )
    if cycle.state in (CycleState.DRAFT, CycleState.OPEN) and closes_on < today:
        raise DatesRefused(
            _("The closing date cannot be in the past. To stop answers now, close the cycle."),
            "closes_on",
        )


def change_cycle_dates(cycle: Cycle, *, actor, opens_on: date, closes_on: date) -> Cycle:
    """Move a cycle's opening and closing dates, and what hangs on them.

    Invitation links last at least until the cycle closes, so a later closing date extends
    every invitee's link alike (no invitee is singled out, whoever has answered). Reminders
    are rescheduled once the change is committed.
    """
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        check_new_dates(locked, opens_on, closes_on)
        before = {
            "opens_on": locked.opens_on.isoformat(),
            "closes_on": locked.closes_on.isoformat(),
        }
        locked.opens_on, locked.closes_on = opens_on, closes_on
        locked.save(update_fields=["opens_on", "closes_on"])
        locked.invitees.filter(expires_at__lt=locked.closing_moment).update(
            expires_at=locked.closing_moment
        )
        record(
            actor,
            verbs.CYCLE_DATES_CHANGED,
            locked,
            partnership_id=locked.partnership_id,
            before=before,
            after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
        transaction.on_commit(lambda: reschedule_reminders(locked))
    cycle.opens_on, cycle.closes_on = opens_on, closes_on
    return locked


def change_cycle_texts(cycle: Cycle, *, actor, **texts: str) -> Cycle:
    """Change a cycle's title and introduction in either language (any state: wording
    people read, not what they answered); the audit entry lists the fields changed."""
    changed = {
        name: value.strip()
        for name, value in texts.items()
        if name in TEXT_FIELDS and getattr(cycle, name) != value.strip()
    }
    if not changed:
        return cycle
    with transaction.atomic():
        for name, value in changed.items():
            setattr(cycle, name, value)
        cycle.save(update_fields=list(changed))
        record(
            actor,
            verbs.CYCLE_TEXTS_CHANGED,
            cycle,
            partnership_id=cycle.partnership_id,
            fields=sorted(changed),
        )
    return cycle


TEXT_FIELDS = ("title", "title_cy", "introduction", "introduction_cy")
