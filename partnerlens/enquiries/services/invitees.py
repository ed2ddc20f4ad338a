"""Invitees: who is asked, their cycle invitations (the emails carrying their personal links),
reminders, and the open link.

Each function owns its transaction and writes the audit log.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core.tokens import hash_token
from partnerlens.enquiries.emails import build_message
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.invitee_files import (
    InviteeRow,
    RowError,
    check_rows,
    read_file,
    read_pasted,
)
from partnerlens.enquiries.models import Cycle, CycleState, Invitee
from partnerlens.enquiries.receipts import responders_among
from partnerlens.outbox.services import delivery_connection

REMINDER_GAP = timedelta(days=3)
MAX_REMINDERS = 3


@dataclass
class ImportResult:
    created: list[Invitee]
    errors: list[RowError]
    sent: int = 0


def _link_expiry(cycle: Cycle) -> datetime:
    """A link lasts the invitation period and at least until the cycle closes."""
    return max(timezone.now() + timedelta(days=settings.INVITATION_DAYS), cycle.closing_moment)


def _unusable_hash() -> str:
    # A hash of a token nobody keeps: the real link is minted when the email is sent.
    return hash_token(secrets.token_urlsafe(32), purpose="invitee")


def invite_people(cycle: Cycle, rows: list[InviteeRow], *, actor) -> ImportResult:
    """Create invitees from checked rows; emails go now if the cycle is open, else on opening."""
    if cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        raise EnquiryError(_("Invitations can only be added to a draft or open cycle."))
    with transaction.atomic():
        created = Invitee.objects.bulk_create(
            [
                Invitee(
                    cycle=cycle,
                    email=row.email,
                    name=row.name,
                    role=row.role,
                    organisation=row.organisation,
                    language=row.language,
                    token_hash=_unusable_hash(),
                    expires_at=_link_expiry(cycle),
                )
                for row in rows
            ]
        )
        record(
            actor, verbs.CYCLE_INVITED, cycle, partnership_id=cycle.partnership_id, count=len(rows)
        )
    sent = send_invitations(cycle) if cycle.state == CycleState.OPEN else 0
    return ImportResult(created=created, errors=[], sent=sent)


def import_invitees(cycle: Cycle, *, actor, upload=None, pasted: str = "") -> ImportResult:
    """Check every row first; save only if all rows are good, so a fix-and-retry never
    creates duplicates. Invitees already saved are never touched."""
    rows = read_file(upload) if upload is not None else read_pasted(pasted)
    good, errors = check_rows(cycle, rows)
    if errors:
        return ImportResult(created=[], errors=errors)
    return invite_people(cycle, good, actor=actor)


def _issue_link(invitee: Invitee) -> str:
    """Mint a fresh link token; the earlier one keeps working until it expires."""
    token = secrets.token_urlsafe(32)
    if invitee.sent_at is not None:
        invitee.earlier_token_hashes = f"{invitee.earlier_token_hashes} {invitee.token_hash}"
    invitee.token_hash = hash_token(token, purpose="invitee")
    invitee.expires_at = _link_expiry(invitee.cycle)
    return token


REMINDER_FIELDS = [
    "token_hash",
    "earlier_token_hashes",
    "expires_at",
    "reminder_count",
    "last_reminded_at",
]


def _send_each(invitees, kind: str) -> int:
    """Queue one email per invitee (settings.EMAIL_BACKEND is the outbox), each just after
    the invitee's new link is saved. The two are separate transactions, so no transaction
    id joins an invitee row to anything else stored (see docs/anonymity.md)."""
    sent = 0
    connection = get_connection()
    with connection:
        for invitee in invitees:
            with transaction.atomic():
                token = _issue_link(invitee)
                now = timezone.now()
                if kind == "invitation":
                    invitee.sent_at = now
                else:
                    invitee.reminder_count += 1
                    invitee.last_reminded_at = now
                invitee.save(
                    update_fields=[
                        "token_hash",
                        "earlier_token_hashes",
                        "expires_at",
                        "sent_at",
                        "reminder_count",
                        "last_reminded_at",
                    ]
                )
            connection.send_messages([build_message(kind, invitee, token)])
            sent += 1
    return sent


def send_invitations(cycle: Cycle) -> int:
    """Email everyone not yet emailed. Only an open cycle sends."""
    if cycle.state != CycleState.OPEN:
        return 0
    waiting = cycle.invitees.filter(sent_at__isnull=True).select_related(
        "cycle__partnership", "cycle__framework_version__framework"
    )
    return _send_each(list(waiting), "invitation")


def send_reminders(cycle: Cycle, *, actor=None) -> int:
    """Remind people who have not submitted, at most every REMINDER_GAP and MAX_REMINDERS
    times, so nobody is nagged daily."""
    if not cycle.accepts_responses:
        return 0
    cutoff = timezone.now() - REMINDER_GAP
    candidates = cycle.invitees.filter(
        sent_at__isnull=False, reminder_count__lt=MAX_REMINDERS
    ).select_related("cycle__partnership", "cycle__framework_version__framework")
    if not cycle.is_anonymous:
        candidates = candidates.awaiting()
    due = [i for i in candidates if (i.last_reminded_at or i.sent_at) <= cutoff]
    if cycle.is_anonymous:
        sent = _remind_blindly(cycle, due)
    else:
        sent = _send_each(due, "reminder")
    if sent:
        record(actor, verbs.CYCLE_REMINDED, cycle, partnership_id=cycle.partnership_id, count=sent)
    return sent


def _remind_blindly(cycle: Cycle, due: list[Invitee]) -> int:
    """Anonymous cycles: every invitee due gets the same bookkeeping (a fresh link, the
    count, the time), responders included, in one transaction; only the email is kept
    from those whose receipt shows they answered. So the database records nobody as a
    non-responder; only the mail server sees who was written to.

    For the same reason these reminders bypass the outbox (which stores every message):
    they go straight to the mail server, and if it cannot be reached nothing is written
    and ``EnquiryError`` says so (the scheduled reminder task tries again later). If it
    refuses them part way, the round stands as written (redoing it would remind some people
    twice) and ``EnquiryError`` says so, rather than failing the page."""
    if not due:
        return 0
    connection = delivery_connection()
    try:
        connection.open()
    except OSError as error:
        raise EnquiryError(
            _("The mail server cannot be reached, so no reminders were sent. Try again later.")
        ) from error
    with connection:
        now = timezone.now()
        tokens = {}
        with transaction.atomic():
            for invitee in due:
                tokens[invitee.pk] = _issue_link(invitee)
                invitee.reminder_count += 1
                invitee.last_reminded_at = now
            Invitee.objects.bulk_update(due, REMINDER_FIELDS)
        answered = responders_among(cycle, due)  # as late as possible before sending
        messages = [
            build_message("reminder", invitee, tokens[invitee.pk])
            for invitee in due
            if invitee.pk not in answered
        ]
        if not messages:
            return 0
        try:
            return connection.send_messages(messages) or 0
        except OSError as error:  # smtplib's errors too: refused, or dropped part way
            raise EnquiryError(
                _(
                    "The mail server did not accept all the reminders, so some people may "
                    "not have been reminded. They will be reminded in the next round."
                )
            ) from error


def create_open_link(cycle: Cycle, *, actor) -> str:
    """A link anyone may use to start a fresh response; replacing it retires the old one."""
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        cycle.open_link_hash = hash_token(token, purpose="public")
        cycle.save(update_fields=["open_link_hash"])
        record(actor, verbs.CYCLE_PUBLIC_LINK, cycle, partnership_id=cycle.partnership_id)
    return token
