"""Entries written before pseudonyms (0003) may name email addresses (``invitation.sent``,
``brokerage.match_accepted``). This migration rewrites them once, as ``services.record``
now writes them: the only change ever made to stored entries, made by the schema's owner
while the triggers of 0002 are briefly lifted inside the migration's own transaction.
"""

import importlib
import re
import secrets

from django.db import migrations

EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
append_only = importlib.import_module("partnerlens.audit.migrations.0002_append_only")


def _pseudonymise(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    Pseudonym = apps.get_model("audit", "Pseudonym")
    vendor = schema_editor.connection.vendor
    tokens = {}

    def token(email):
        email = email.lower()
        if email not in tokens:
            row = Pseudonym.objects.filter(email=email).first()
            if row is None:
                row = Pseudonym.objects.create(email=email, token=secrets.token_hex(16))
            tokens[email] = f"person:{row.token}"
        return tokens[email]

    def rewrite(value):
        if isinstance(value, str):
            return EMAIL.sub(lambda match: token(match.group(0)), value)
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    changed = []
    for pk, detail in AuditEvent.objects.values_list("pk", "detail").iterator():
        new = rewrite(detail)
        if new != detail:
            changed.append((pk, new))
    if not changed:
        return
    undo = {"postgresql": append_only.POSTGRESQL_UNDO, "sqlite": append_only.SQLITE_UNDO}
    redo = {"postgresql": append_only.POSTGRESQL, "sqlite": append_only.SQLITE}
    for statement in undo.get(vendor, []):
        schema_editor.execute(statement, params=None)
    for pk, detail in changed:
        # The model's QuerySet refuses updates; the historical model's plain one does not.
        AuditEvent.objects.filter(pk=pk).update(detail=detail)
    for statement in redo.get(vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_pseudonyms")]

    operations = [migrations.RunPython(_pseudonymise, migrations.RunPython.noop)]
