from __future__ import annotations

from django.conf import settings
from django.db import models

from partnerlens.audit import verbs

# Who signed in or failed to, who was refused, and what left the service: entries about
# reaching things rather than changing them. ``AuditEvent.objects.changes()`` leaves them out.
ACCESS_VERBS = frozenset(
    {
        verbs.ACCOUNT_SIGNED_IN,
        verbs.ACCOUNT_SIGN_IN_FAILED,
        verbs.ACCOUNT_LOCKED_OUT,
        verbs.ACCESS_REFUSED,
        verbs.EXPORT_DOWNLOADED,
        verbs.API_TOKEN_USED,
        verbs.API_TOKEN_REFUSED,
    }
)


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit entry: the log only grows."""


class AuditEventQuerySet(models.QuerySet):
    def for_partnership(self, partnership_id: int) -> AuditEventQuerySet:
        return self.filter(partnership_id=partnership_id)

    def changes(self) -> AuditEventQuerySet:
        """Entries about changes made, without sign-ins, refusals and downloads."""
        return self.exclude(verb__in=ACCESS_VERBS)

    def access(self) -> AuditEventQuerySet:
        """Sign-ins, failed sign-ins, lockouts, refusals and downloads."""
        return self.filter(verb__in=ACCESS_VERBS)

    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit entries cannot be changed")


class AuditEvent(models.Model):
    """One significant change, or one sign-in, refusal or download: who, what, when.

    partnership_id is a plain integer (not a foreign key) so the audit app stays at the
    bottom of the layer stack and the trail survives deletion of what it describes.

    The log is append-only. Saving an existing entry, deleting one, and a QuerySet's update
    or delete raise ``AppendOnlyError``; a database trigger refuses UPDATE and DELETE too
    (migration 0002). The one change allowed is the database's own: when an account is
    deleted, its entries keep everything but the link to it (``actor`` becomes NULL).
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

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted")


class Pseudonym(models.Model):
    """The one place the audit log's email addresses are kept (``services.record``).

    An entry's ``detail`` never holds an address: each is replaced, when the entry is
    written, by ``person:<token>``, a random token kept here beside the address. Erasing a
    person deletes their row (``forget``): the entries stay as they were, append-only, and
    their tokens then point at nobody."""

    email = models.CharField(max_length=320, unique=True)  # lower-cased
    token = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"person:{self.token}"
