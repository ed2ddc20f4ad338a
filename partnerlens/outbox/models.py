"""One row per outgoing email: what was sent to whom, and how delivery went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingMail(models.Model):
    """A stored message. ``mime`` is the whole message as it will go on the wire; it is
    emptied once the mail is sent, so live links in it are not kept longer than needed."""

    reference = models.CharField(max_length=100, blank=True, db_index=True)
    # A message whose mere existence says something about its recipient (a reminder goes
    # only to people who have not answered): kept out of the staff admin (docs/anonymity.md).
    confidential = models.BooleanField(default=False)
    to = models.TextField(help_text="Recipients as shown to people, comma-separated")
    recipients = models.JSONField(default=list, help_text="Envelope recipients (to, cc, bcc)")
    from_email = models.CharField(max_length=320)
    subject = models.CharField(max_length=998)
    mime = models.BinaryField(editable=False)
    status = models.CharField(max_length=6, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "created"], name="outbox_status_created")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"
