"""A cycle's invitee list as a lead manages it: mail status, correct, remove, re-send.

Nothing here tells who has answered. The status shown is that of the invitation email
only (reminders go only to people who have not answered, so their status would tell).
Whether someone has started cannot be known in an anonymous cycle, and must not be shown
in the others; so an invitee can be removed only while no invitation has reached them.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core.tokens import hash_token
from partnerlens.enquiries.emails import build_message, invitee_reference
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle, CycleState, Invitee
from partnerlens.enquiries.services.invitees import _issue_link, _link_expiry
from partnerlens.outbox.models import MailStatus, OutgoingMail
from partnerlens.outbox.services import latest

NOT_SENT = "not_sent"  # a draft cycle's invitee: the invitation goes when the cycle opens


@dataclass
class InviteeRow:
    invitee: Invitee
    status: str  # NOT_SENT or a MailStatus value
    removable: bool

    @property
    def failed(self) -> bool:
        return self.status == MailStatus.FAILED


def rows_for(cycle: Cycle) -> list[InviteeRow]:
    invitees = list(cycle.invitees.select_related("organisation"))
    mails = latest(invitee_reference(i.pk) for i in invitees)
    delivered = _delivered(invitees)
    changeable = cycle.state in (CycleState.DRAFT, CycleState.OPEN)
    rows = []
    for invitee in invitees:
        mail = mails.get(invitee_reference(invitee.pk))
        if invitee.sent_at is None:
            status = NOT_SENT
        elif mail is None:  # sent before the outbox existed, when sending was immediate
            status = MailStatus.SENT
        else:
            status = mail.status
        removable = changeable and invitee.pk not in delivered
        rows.append(InviteeRow(invitee, status, removable))
    return rows


def _delivered(invitees: list[Invitee]) -> set[int]:
    """Invitees an invitation may have reached: one was sent, or it went before the outbox."""
    references = {invitee_reference(i.pk): i for i in invitees}
    statuses = defaultdict(set)
    rows = OutgoingMail.objects.filter(reference__in=references).values_list("reference", "status")
    for reference, status in rows:
        statuses[reference].add(status)
    return {
        invitee.pk
        for reference, invitee in references.items()
        if MailStatus.SENT in statuses[reference]
        or (not statuses[reference] and invitee.sent_at is not None)
    }


def _refuse_unless_changeable(cycle: Cycle) -> None:
    if cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        raise EnquiryError(_("Invitees can only be changed while the cycle is a draft or open."))


def correct_address(invitee: Invitee, email: str, *, actor) -> bool:
    """Give the invitee a new address and a new link (earlier links stop working, in case
    they went to the wrong person); in an open cycle the invitation goes again. Returns
    whether an email was queued."""
    cycle = invitee.cycle
    _refuse_unless_changeable(cycle)
    email = email.strip()
    if email.lower() == invitee.email.lower():
        raise EnquiryError(_("Enter a different email address to correct this one."))
    if cycle.invitees.filter(email__iexact=email).exclude(pk=invitee.pk).exists():
        raise EnquiryError(_("Someone with that email address is already invited."))
    send = cycle.state == CycleState.OPEN
    with transaction.atomic():
        token = secrets.token_urlsafe(32)
        invitee.email = email
        invitee.token_hash = hash_token(token, purpose="invitee")
        invitee.earlier_token_hashes = ""
        invitee.expires_at = _link_expiry(cycle)
        if send:
            invitee.sent_at = timezone.now()
        invitee.save(
            update_fields=["email", "token_hash", "earlier_token_hashes", "expires_at", "sent_at"]
        )
        record(actor, verbs.INVITEE_CORRECTED, cycle, partnership_id=cycle.partnership_id)
    if send:  # queued after the invitee's own transaction, as services/invitees.py does
        build_message("invitation", invitee, token).send()
    return send


def remove_invitee(invitee: Invitee, *, actor) -> None:
    cycle = invitee.cycle
    _refuse_unless_changeable(cycle)
    if invitee.pk in _delivered([invitee]):
        raise EnquiryError(
            _("This person's invitation has been sent, so they may have started answering.")
        )
    with transaction.atomic():
        # An invitation still waiting in the outbox is withdrawn with the person.
        queued = OutgoingMail.objects.filter(status=MailStatus.QUEUED)
        queued.filter(reference=invitee_reference(invitee.pk)).delete()
        invitee.delete()
        record(actor, verbs.INVITEE_REMOVED, cycle, partnership_id=cycle.partnership_id)


def resend_failed(cycle: Cycle, *, actor, only: Invitee | None = None) -> int:
    """Send the invitation again (with a fresh link) to everyone whose last one failed."""
    if cycle.state != CycleState.OPEN:
        raise EnquiryError(_("Invitations are sent only while the cycle is open."))
    failed = [row.invitee for row in rows_for(cycle) if row.failed]
    if only is not None:
        failed = [i for i in failed if i.pk == only.pk]
    if not failed:
        return 0
    tokens = {}
    with transaction.atomic():
        for invitee in failed:
            tokens[invitee.pk] = _issue_link(invitee)
            invitee.save(update_fields=["token_hash", "earlier_token_hashes", "expires_at"])
        record(
            actor,
            verbs.INVITEE_RESENT,
            cycle,
            partnership_id=cycle.partnership_id,
            count=len(failed),
        )
    for invitee in failed:
        build_message("invitation", invitee, tokens[invitee.pk]).send()
    return len(failed)
