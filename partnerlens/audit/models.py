from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEventQuerySet(models.QuerySet):
    def for_partnership(self, partnership_id: int) -> AuditEventQuerySet:
        return self.filter(partnership_id=partnership_id)


class AuditEvent(models.Model):
    """One significant change: who did what to which object, and when.

    partnership_id is a plain integer (not a foreign key) so the audit app stays at the
    bottom of the layer stack and the trail survives deletion of what it describes.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    verb = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    partnership_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb} {self.object_type} {self.object_id}"
