"""The audit log only grows: the model, its QuerySet and the database refuse to change or
remove an entry. The one change let through is Django's own when an account is deleted:
its entries stay, without the link to it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from partnerlens.audit import verbs
from partnerlens.audit.models import AppendOnlyError, AuditEvent
from partnerlens.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(make_user):
    return record(make_user("lead_a"), verbs.PARTNERSHIP_UPDATED, None, partnership_id=7, a=1)


def as_stored(entry) -> dict:
    return AuditEvent.objects.filter(pk=entry.pk).values().get()


def test_an_entry_cannot_be_saved_again(entry):
    before = as_stored(entry)
    entry.verb = verbs.PARTNERSHIP_CREATED
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert as_stored(entry) == before


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda rows: rows.update(verb="forged"),
        lambda rows: rows.delete(),
        lambda rows: AuditEvent.objects.bulk_update(list(rows), ["verb"]),
    ],
    ids=["update", "delete", "bulk_update"],
)
def test_a_queryset_cannot_change_or_delete_entries(entry, change):
    before = as_stored(entry)
    with pytest.raises(AppendOnlyError):
        change(AuditEvent.objects.filter(pk=entry.pk))
    assert as_stored(entry) == before


def run_sql(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_an_update(entry):
    before = as_stored(entry)
    with pytest.raises(IntegrityError):
        run_sql("UPDATE audit_auditevent SET verb = %s WHERE id = %s", "forged", entry.pk)
    assert as_stored(entry) == before


def test_the_database_refuses_to_forget_the_actor_and_change_anything_else(entry):
    before = as_stored(entry)
    with pytest.raises(IntegrityError):
        run_sql(
            "UPDATE audit_auditevent SET actor_id = NULL, partnership_id = 8 WHERE id = %s",
            entry.pk,
        )
    assert as_stored(entry) == before


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no DELETE trigger: Django's flush between transactional tests "
    "empties its tables with DELETE (migration audit 0002)",
)
def test_the_database_refuses_a_delete(entry):
    with pytest.raises(IntegrityError):
        run_sql("DELETE FROM audit_auditevent WHERE id = %s", entry.pk)
    assert AuditEvent.objects.filter(pk=entry.pk).exists()


def test_deleting_an_account_keeps_its_entries_without_it(entry):
    entry.actor.delete()
    kept = as_stored(entry)
    assert kept["actor_id"] is None
    assert (kept["verb"], kept["partnership_id"], kept["detail"]) == (
        verbs.PARTNERSHIP_UPDATED,
        7,
        {"a": 1},
    )


def test_new_entries_are_still_written(entry):
    record(None, verbs.ACCESS_REFUSED, None, status=404)
    assert AuditEvent.objects.count() == 2
