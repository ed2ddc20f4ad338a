"""Everything held about one person, found by email address: the account with that
address (if any) and every trace of the address itself.

``find(email)`` returns who that is (``Subject``); ``collect(subject, scope)`` gathers what
is held, limited to the partnerships in ``scope`` (None: every partnership, for a site
admin). Rows that belong to no partnership (the account itself, its sessions, sign-in
records, mail to the address) are included only for a site admin. Every model the data map
lists is read here or in ``erasure``; ``tests/test_subjects.py`` proves each section is found.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import getaddresses
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models import Q
from django.utils import timezone

from partnerlens.audit.models import AuditEvent
from partnerlens.audit.services import pseudonym
from partnerlens.brokerage.models import AreaAssessment, ProgressNote
from partnerlens.directory.models import PartnershipRole, RoleInvitation
from partnerlens.enquiries.models import Answer, Invitee, Reflection
from partnerlens.outbox.models import OutgoingMail


@dataclass(frozen=True)
class Subject:
    email: str  # lower-cased
    user: Any  # the account with this address, or None


def find(email: str) -> Subject:
    email = email.strip().lower()
    user = get_user_model()._default_manager.filter(email__iexact=email).order_by("pk").first()
    return Subject(email=email, user=user)


def user_sessions(user, *, live_only: bool = True) -> list[Session]:
    """The database sessions signed in as ``user`` (read by decoding each one); with
    ``live_only`` off, expired ones the daily job has not yet removed as well."""
    found = []
    sessions = Session.objects.all()
    if live_only:
        sessions = sessions.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            found.append(session)
    return found


def mail_to(address: str, names: tuple[str, ...] = ()):
    """Messages to ``address`` (an exact recipient, shown or in the envelope), or naming the
    address or one of ``names`` in their subject."""
    about = Q(to__icontains=address) | Q(subject__icontains=address)
    for name in names:
        about |= Q(subject__icontains=name)
    found = []
    for mail in OutgoingMail.objects.filter(about).only("to", "recipients", "subject"):
        shown = {found_address.lower() for _name, found_address in getaddresses([mail.to])}
        envelope = {str(recipient).strip().lower() for recipient in mail.recipients}
        subject = mail.subject.lower()
        named = any(text.lower() in subject for text in (address, *names))
        if address in shown | envelope or named:
            found.append(mail.pk)
    return OutgoingMail.objects.filter(pk__in=found)


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _in(scope, field: str = "partnership_id") -> Q:
    return Q() if scope is None else Q(**{f"{field}__in": list(scope)})


def _invitations(subject: Subject, scope) -> list[dict]:
    invitees = (
        Invitee.objects.filter(_in(scope, "cycle__partnership_id"), email__iexact=subject.email)
        .select_related("cycle", "organisation")
        .order_by("cycle_id")
    )
    found = []
    for invitee in invitees:
        responses = []
        # Linked only in named and confidential cycles: in anonymous ones nothing links a
        # person to a response, so there is nothing of theirs to find (docs/anonymity.md).
        for response in invitee.responses.all().order_by("started_at"):
            answers = Answer.objects.filter(response=response).select_related("question")
            responses.append(
                {
                    "state": response.state,
                    "submitted_at": _when(response.submitted_at),
                    "answers": [
                        {
                            "question": answer.question.key,
                            "option": answer.option_value,
                            "choices": answer.choices,
                            "text": answer.text,
                            "evidence_note": answer.evidence_note,
                            "evidence_link": answer.evidence_link,
                        }
                        for answer in answers
                    ],
                }
            )
        found.append(
            {
                "partnership_id": invitee.cycle.partnership_id,
                "cycle": invitee.cycle.title,
                "anonymity_mode": invitee.cycle.anonymity_mode,
                "email": invitee.email,
                "name": invitee.name,
                "role": invitee.role,
                "organisation": invitee.organisation.name if invitee.organisation else None,
                "language": invitee.language,
                "sent_at": _when(invitee.sent_at),
                "reminders": invitee.reminder_count,
                "completed": invitee.completed,
                "responses": responses,
            }
        )
    return found


def _account(subject: Subject, scope) -> dict[str, Any]:
    user = subject.user
    held: dict[str, Any] = {}
    if scope is None:
        held["account"] = {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "date_joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "is_active": user.is_active,
            "second_factor_devices": [d.name for d in user.totpdevice_set.all()]
            + [d.name for d in user.staticdevice_set.all()],
            "sessions": len(user_sessions(user)),
        }
    held["roles"] = [
        {
            "partnership_id": role.partnership_id,
            "partnership": role.partnership.name,
            "role": role.role,
            "organisation": role.organisation.name if role.organisation else None,
            "started": str(role.started),
            "ended": str(role.ended) if role.ended else None,
        }
        for role in PartnershipRole.objects.filter(_in(scope), user=user).select_related(
            "partnership", "organisation"
        )
    ]
    held["reflections"] = [
        {"cycle": r.cycle.title, "prompt": r.prompt.key, "text": r.text}
        for r in Reflection.objects.filter(_in(scope, "cycle__partnership_id"), user=user)
        .select_related("cycle", "prompt")
        .order_by("pk")
    ]
    held["progress_notes"] = [
        {"noted_on": str(note.noted_on), "text": note.text}
        for note in ProgressNote.objects.filter(
            _in(scope, "relationship__partnership_id"), author=user
        ).order_by("pk")
    ]
    held["need_adjustments"] = [
        {"area": a.area, "reason": a.adjustment_reason, "at": _when(a.adjusted_at)}
        for a in AreaAssessment.objects.filter(_in(scope), adjusted_by=user).order_by("pk")
    ]
    return held


def _audit(subject: Subject, scope) -> list[dict]:
    token = pseudonym(subject.email, create=False)
    about = Q(actor=subject.user) if subject.user is not None else Q(pk__in=[])
    if token is not None:
        # The pseudonym appears inside JSON; a text search of the column finds it on every
        # database (the token is random hex, so no other text contains it).
        about |= Q(detail__icontains=token)
    entries = AuditEvent.objects.filter(about, _in(scope) if scope is not None else Q())
    return [
        {
            "at": _when(entry.at),
            "verb": entry.verb,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "partnership_id": entry.partnership_id,
            "detail": entry.detail,
        }
        for entry in entries.order_by("at", "id")[:5000]
    ]


def _service_wide(subject: Subject) -> dict[str, Any]:
    """What belongs to no partnership: for a site admin's export only."""
    address = subject.email
    names = Q(username__iexact=address)
    return {
        "mail": [
            {
                "to": mail.to,
                "subject": mail.subject,
                "status": mail.status,
                "created": _when(mail.created),
                "sent_at": _when(mail.sent_at),
            }
            for mail in mail_to(address).order_by("created")
        ],
        "sign_in_attempts": [
            {
                "at": _when(row.attempt_time),
                "ip_address": row.ip_address,
                "browser": row.user_agent,
                "failures": row.failures_since_start,
            }
            for row in AccessAttempt.objects.filter(names)
        ],
        "sign_in_log": [
            {"at": _when(row.attempt_time), "ip_address": row.ip_address, "browser": row.user_agent}
            for row in AccessLog.objects.filter(names)
        ],
        "sign_in_failures": [
            {
                "at": _when(row.attempt_time),
                "ip_address": row.ip_address,
                "browser": row.user_agent,
                "locked_out": row.locked_out,
            }
            for row in AccessFailureLog.objects.filter(names)
        ],
    }


def collect(subject: Subject, scope=None) -> dict[str, Any]:
    """Everything held about ``subject`` in ``scope`` (partnership ids; None: all)."""
    held: dict[str, Any] = {
        "email": subject.email,
        "made_at": timezone.now().isoformat(),
        "scope": "all partnerships" if scope is None else sorted(scope),
        "invitations_to_answer": _invitations(subject, scope),
        "role_invitations": [
            {
                "partnership_id": inv.partnership_id,
                "role": inv.role,
                "created_at": _when(inv.created_at),
                "accepted_at": _when(inv.accepted_at),
            }
            for inv in RoleInvitation.objects.filter(_in(scope), email__iexact=subject.email)
        ],
        "audit_log": _audit(subject, scope),
    }
    if subject.user is not None:
        held.update(_account(subject, scope))
    if scope is None:
        held.update(_service_wide(subject))
    return held
