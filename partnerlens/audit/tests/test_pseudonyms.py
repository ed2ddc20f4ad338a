"""The audit log stores a pseudonym wherever an email address would be, so erasing a person
deletes one link and never changes an entry."""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnerlens.audit import verbs
from partnerlens.audit.models import AppendOnlyError, AuditEvent, Pseudonym
from partnerlens.audit.services import forget, pseudonym, record

pytestmark = pytest.mark.django_db
ADDRESS = "Gwen.Ifans@Example.org"


def test_addresses_in_detail_are_stored_as_pseudonyms():
    entry = record(None, verbs.INVITATION_SENT, None, email=ADDRESS, told=[ADDRESS, "x@y.org"])
    stored = AuditEvent.objects.filter(pk=entry.pk).values_list("detail", flat=True).get()
    assert "@" not in str(stored)
    token = pseudonym(ADDRESS.lower())
    assert token.startswith("person:") and stored["email"] == token
    assert stored["told"] == [token, pseudonym("x@y.org")]


def test_the_same_address_gets_the_same_pseudonym_in_any_case():
    assert pseudonym(ADDRESS) == pseudonym(ADDRESS.upper()) == pseudonym(f" {ADDRESS} ")
    assert pseudonym("someone.else@example.org") != pseudonym(ADDRESS)


def test_forgetting_removes_the_link_and_leaves_the_entry():
    entry = record(None, verbs.INVITATION_SENT, None, email=ADDRESS)
    before = AuditEvent.objects.filter(pk=entry.pk).values().get()
    assert forget(ADDRESS) == 1
    assert not Pseudonym.objects.exists()
    assert pseudonym(ADDRESS, create=False) is None
    assert AuditEvent.objects.filter(pk=entry.pk).values().get() == before
    assert pseudonym(ADDRESS) != before["detail"]["email"], "a new token links to nothing old"


class _Editor:
    """What the migration uses of a schema editor, inside the test's transaction (SQLite's
    own editor refuses to open inside one)."""

    connection = connection

    def execute(self, sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_pseudonymises_earlier_entries_and_keeps_the_log_append_only():
    migration = importlib.import_module(
        "partnerlens.audit.migrations.0004_pseudonymise_earlier_entries"
    )
    # An entry as written before pseudonyms: the address in plain text.
    old = AuditEvent.objects.create(verb=verbs.INVITATION_SENT, detail={"email": ADDRESS})
    state = MigrationExecutor(connection).loader.project_state(
        ("audit", "0004_pseudonymise_earlier_entries")
    )
    migration._pseudonymise(state.apps, _Editor())
    detail = AuditEvent.objects.filter(pk=old.pk).values_list("detail", flat=True).get()
    assert detail == {"email": pseudonym(ADDRESS)}
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=old.pk).update(detail={})
    with connection.cursor() as cursor, pytest.raises(Exception, match="append-only"):
        cursor.execute("UPDATE audit_auditevent SET verb = 'x' WHERE id = %s", [old.pk])
