"""The outbox: store messages, deliver them with retries, and report each one's status.

A message is stored first (``store``), then a ``deliver_mail`` task sends it over the real
backend named by ``settings.OUTBOX_DELIVERY_BACKEND``. A failure is retried on the back-off
schedule of every background job (``core.jobs.BACKOFF``: 1, 5 and 25 minutes), then the
mail is marked failed; nothing here ever raises into a page.
Callers that want to follow a message give it the header ``X-Partnerlens-Reference:
<kind>:<pk>``; ``latest`` returns each reference's newest mail.
"""

from __future__ import annotations

import email
import logging
from collections.abc import Iterable
from email.message import Message
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from partnerlens.core import jobs
from partnerlens.outbox import tasks
from partnerlens.outbox.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

REFERENCE_HEADER = "X-Partnerlens-Reference"
# Set on a message whose existence tells something about its recipient; taken off before
# the message is stored or sent, and kept as OutgoingMail.confidential.
CONFIDENTIAL_HEADER = "X-Partnerlens-Confidential"
QUEUED_BACKEND = "partnerlens.outbox.backend.QueuedEmailBackend"


def delivery_connection(**kwargs):
    """A connection to the real mail backend: OUTBOX_DELIVERY_BACKEND (SMTP by default)
    when mail is queued, else whatever EMAIL_BACKEND is (e.g. the tests' in-memory one)."""
    backend = settings.EMAIL_BACKEND
    if backend == QUEUED_BACKEND:
        backend = settings.OUTBOX_DELIVERY_BACKEND
    return get_connection(backend, **kwargs)


def store(message: EmailMessage) -> OutgoingMail:
    """Keep the message as it will go on the wire, and deliver it once the caller commits."""
    reference = str(message.extra_headers.get(REFERENCE_HEADER, ""))[:100]
    confidential = bool(message.extra_headers.pop(CONFIDENTIAL_HEADER, ""))
    mail = OutgoingMail.objects.create(
        reference=reference,
        confidential=confidential,
        to=", ".join(message.to),
        recipients=list(message.recipients()),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        subject=str(message.subject)[:998],
        mime=message.message().as_bytes(),
    )
    jobs.enqueue(tasks.deliver_mail, mail.pk, on_error=partial(_not_queued, mail.pk))
    return mail


def _not_queued(mail_id: int, code: str) -> None:
    """The task queue would not take the delivery: the mail is failed, so it can be re-sent."""
    OutgoingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED).update(
        status=MailStatus.FAILED, last_error=f"{code}: the task queue could not be reached"
    )


class _WireMessage(Message):
    """A parsed stored message (for backends that read headers) sent back byte for byte."""

    raw: bytes | None = None

    def as_bytes(self, unixfrom=False, linesep="\n", **kwargs):
        if self.raw is None:
            return super().as_bytes(unixfrom=unixfrom, **kwargs)
        return self.raw.replace(b"\r\n", b"\n").replace(b"\n", linesep.encode())


class StoredEmail(EmailMessage):
    """An ``EmailMessage`` whose MIME form is the stored one, for any Django mail backend."""

    def __init__(self, mail: OutgoingMail):
        super().__init__(subject=mail.subject, from_email=mail.from_email, to=mail.to.split(", "))
        self._raw = bytes(mail.mime)
        self._recipients = list(mail.recipients)

    def message(self, *, policy=None):
        parsed = email.message_from_bytes(self._raw, _class=_WireMessage)
        parsed.raw = self._raw
        return parsed

    def recipients(self):
        return list(self._recipients)


def deliver(mail_id: int) -> str:
    """One delivery attempt; on failure schedule the next one or give up. Returns the status."""
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or mail.status != MailStatus.QUEUED:
        return mail.status if mail else "missing"
    # Claim this attempt; a duplicate task for the same attempt finds nothing to do.
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, status=MailStatus.QUEUED, attempts=mail.attempts
    ).update(attempts=mail.attempts + 1, next_attempt_at=None)
    if not claimed:
        return "claimed"
    mail.attempts += 1
    try:
        with delivery_connection() as connection:
            connection.send_messages([StoredEmail(mail)])
    except Exception as error:  # any failure of the mail server is retried
        return _failed(mail, error)
    OutgoingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error="", mime=b""
    )
    return MailStatus.SENT


def _failed(mail: OutgoingMail, error: Exception) -> str:
    text = f"{type(error).__name__}: {error}"[:1000]
    can_wait = getattr(tasks.deliver_mail.get_backend(), "supports_defer", False)
    if mail.attempts < jobs.MAX_ATTEMPTS and can_wait:
        delay = jobs.BACKOFF[mail.attempts - 1]
        OutgoingMail.objects.filter(pk=mail.pk).update(
            last_error=text, next_attempt_at=timezone.now() + delay
        )
        jobs.enqueue(
            tasks.deliver_mail, mail.pk, delay=delay, on_error=partial(_not_queued, mail.pk)
        )
        logger.warning("Mail %s not sent (attempt %s), retrying: %s", mail.pk, mail.attempts, text)
        return MailStatus.QUEUED
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, last_error=text)
    logger.error("Mail %s failed after %s attempts: %s", mail.pk, mail.attempts, text)
    return MailStatus.FAILED


def latest(references: Iterable[str]) -> dict[str, OutgoingMail]:
    """Each reference's newest mail (references with no mail are absent)."""
    wanted = list(references)
    found: dict[str, OutgoingMail] = {}
    rows = (
        OutgoingMail.objects.filter(reference__in=wanted)
        .defer("mime")
        .order_by("reference", "-created", "-pk")
    )
    for mail in rows:
        found.setdefault(mail.reference, mail)
    return found
