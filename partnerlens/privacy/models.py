from __future__ import annotations

from django.conf import settings
from django.db import models

from partnerlens.core.jobs import JobFields


class SubjectExport(JobFields):
    """One subject access request: everything held about one email address, within the
    partnerships the requester may see (``scope``), made by the task worker as a JSON file.

    The address asked about is itself personal data: the row and its file are deleted 7 days
    after the file is made (``retention``), and at once when the person is erased."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.EmailField()  # lower-cased
    scope = models.JSONField(default=list)  # partnership ids; empty with everything=True
    everything = models.BooleanField(default=False)  # a site admin's: every partnership
    file = models.FileField(upload_to="privacy/", max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-queued_at", "-id"]

    def __str__(self) -> str:
        return f"Subject export {self.pk} ({self.status})"
