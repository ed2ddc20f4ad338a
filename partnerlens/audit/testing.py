"""For tests only: empty the audit log as the database's owner could, around the app.

The application cannot delete audit entries (models.AuditEvent, migration 0002). A test
that needs an empty log (to prove nothing else reads it) empties the table directly:
TRUNCATE on PostgreSQL, whose row trigger refuses DELETE; DELETE on SQLite, which has no
DELETE trigger (see the migration for why).
"""

from __future__ import annotations

from django.db import connection


def empty_the_log() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses while deferred foreign-key checks are pending in the
            # transaction; run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("TRUNCATE audit_auditevent")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DELETE FROM audit_auditevent")
