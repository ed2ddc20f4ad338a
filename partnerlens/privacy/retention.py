"""The retention job: removes or anonymises what has passed its period (``datamap.KINDS``).

``apply_retention`` runs every kind's rule and returns how many rows each changed. It is
idempotent (a second run the same day changes nothing) and never touches what results
depend on: responses and their answers, releases, aggregates, and each invitee's role and
school (the invitation counts the anonymity audit reads, docs/anonymity.md) are kept.
Run daily by cron or a systemd timer (``manage.py apply_retention``, docs/operations.md),
or on the task queue (``tasks.apply_retention``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partnerlens.api.models import ApiToken
from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import stored_files
from partnerlens.directory.models import RoleInvitation
from partnerlens.enquiries.models import CycleState, Invitee, Response
from partnerlens.outbox.models import MailStatus, OutgoingMail
from partnerlens.privacy import datamap
from partnerlens.privacy.models import SubjectExport

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be a real address


def placeholder_email() -> str:
    """A unique address that is nobody's, for a row that must keep a unique email."""
    return f"erased-{secrets.token_hex(8)}@{ERASED_DOMAIN}"


def _cutoff(days: int, now: datetime) -> datetime:
    return now - timedelta(days=days)


def _role_invitations(cutoff: datetime, now: datetime) -> int:
    done = Q(accepted_at__lt=cutoff) | Q(accepted_at__isnull=True, expires_at__lt=cutoff)
    return RoleInvitation.objects.filter(done).delete()[0]


def anonymise_invitees(invitees) -> int:
    """Remove the address, name and link hashes of these invitees, keeping the row (its
    role and school are counted as invited by the anonymity audit) and unlinking answers."""
    count = 0
    for invitee in invitees.exclude(email__endswith=f"@{ERASED_DOMAIN}").only("pk"):
        Response.objects.filter(invitee_id=invitee.pk).update(invitee=None)
        Invitee.objects.filter(pk=invitee.pk).update(
            email=placeholder_email(),
            name="",
            token_hash=secrets.token_hex(32),
            earlier_token_hashes="",
            sent_at=None,  # never reminded again: reminders go only to invitations sent
        )
        count += 1
    return count


def _closed_before(cutoff: datetime) -> Q:
    ended = (CycleState.CLOSED, CycleState.PUBLISHED)
    return Q(cycle__state__in=ended, cycle__closes_on__lt=cutoff.date())


def _invitees(cutoff: datetime, now: datetime) -> int:
    return anonymise_invitees(Invitee.objects.filter(_closed_before(cutoff)))


def _resume_keys(cutoff: datetime, now: datetime) -> int:
    rows = Response.objects.filter(_closed_before(cutoff), resume_key__isnull=False)
    return rows.update(resume_key=None)


def _mail(cutoff: datetime, now: datetime) -> int:
    sent = Q(status=MailStatus.SENT, sent_at__lt=cutoff)
    failed = Q(status=MailStatus.FAILED, created__lt=cutoff)
    return OutgoingMail.objects.filter(sent | failed).delete()[0]


def _admin_log(cutoff: datetime, now: datetime) -> int:
    return LogEntry.objects.filter(action_time__lt=cutoff).delete()[0]


def _axes_attempts(cutoff: datetime, now: datetime) -> int:
    return AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()[0]


def _axes_log(cutoff: datetime, now: datetime) -> int:
    return AccessLog.objects.filter(attempt_time__lt=cutoff).delete()[0]


def _axes_failures(cutoff: datetime, now: datetime) -> int:
    return AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()[0]


def _sessions(cutoff: datetime, now: datetime) -> int:
    return Session.objects.filter(expire_date__lt=cutoff).delete()[0]


def _task_results(cutoff: datetime, now: datetime) -> int:
    return DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()[0]


def _api_tokens(cutoff: datetime, now: datetime) -> int:
    ended = Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
    return ApiToken.objects.filter(ended).delete()[0]


def delete_exports(exports) -> int:
    """Delete subject exports and their stored files."""
    count = 0
    for export in exports:
        if export.file:
            stored_files.delete(export.file.name)
        export.delete()
        count += 1
    return count


def _subject_exports(cutoff: datetime, now: datetime) -> int:
    old = Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, queued_at__lt=cutoff)
    return delete_exports(SubjectExport.objects.filter(old))


RULES: dict[str, Callable[[datetime, datetime], int]] = {
    "role_invitations": _role_invitations,
    "invitees": _invitees,
    "resume_keys": _resume_keys,
    "mail": _mail,
    "admin_log": _admin_log,
    "axes_attempts": _axes_attempts,
    "axes_log": _axes_log,
    "axes_failures": _axes_failures,
    "sessions": _sessions,
    "task_results": _task_results,
    "api_tokens": _api_tokens,
    "subject_exports": _subject_exports,
}


def apply_retention(now: datetime | None = None) -> dict[str, int]:
    """Run every kind's rule; returns rows changed per kind code (0 when nothing was due)."""
    now = now or timezone.now()
    counts = {}
    for kind in datamap.KINDS:
        if not kind.rule:
            continue
        with transaction.atomic():
            counts[kind.code] = RULES[kind.rule](_cutoff(kind.days, now), now)
    if any(counts.values()):
        record(None, verbs.PRIVACY_RETENTION_APPLIED, None, **counts)
    return counts
