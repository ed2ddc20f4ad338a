"""A fixture built once and copied back (``core/testing_snapshots.py``) is the same, row for
row, as the build itself: the persona world's modules may trust the copy."""

from __future__ import annotations

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction

from partnerlens.core.testing_snapshots import Snapshot, all_rows
from partnerlens.directory.models import Organisation, OrganisationKind, Partnership
from partnerlens.tests import world


def test_a_restored_world_has_every_row_and_value_the_build_made(db):
    empty = all_rows()
    point = transaction.savepoint()
    snapshot, built = Snapshot.take(world.build)
    after_build = all_rows()
    transaction.savepoint_rollback(point)
    assert all_rows() == empty  # the copy below starts from nothing of the world's

    restored = snapshot.restore()

    assert all_rows() == after_build
    assert sum(map(len, snapshot.added.values())) > 100  # answers, a release, audit entries...
    assert restored.keys() == built.keys()
    for key, value in built.items():
        again = restored[key]
        assert type(again) is type(value), key
        if isinstance(value, list):
            assert [item.pk for item in again] == [item.pk for item in value], key
        elif hasattr(value, "pk"):
            assert again.pk == value.pk and again is not value, key
        else:
            assert again == value, key  # tokens and other plain values, as built


def test_keys_made_after_a_restore_follow_the_copied_ones(db):
    point = transaction.savepoint()
    snapshot, _ = Snapshot.take(world.build)
    transaction.savepoint_rollback(point)
    # A flush (test_story's) may have set the counters back to 1 since the build.
    for sql in connection.ops.sequence_reset_by_name_sql(
        no_style(), [{"table": Partnership._meta.db_table, "column": "id"}]
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    restored = snapshot.restore()
    later = Partnership.objects.create(name="Made later")

    assert later.pk > max(restored["a"].pk, restored["b"].pk)


def test_a_build_that_changes_earlier_rows_is_refused(db):
    school = Organisation.objects.create(kind=OrganisationKind.SCHOOL, name="Old Name", urn=1)

    def rename():
        Organisation.objects.filter(pk=school.pk).update(name="New Name")
        return {"school": school}

    with pytest.raises(ValueError, match="did not add"):
        Snapshot.take(rename)


def test_a_value_that_cannot_be_kept_is_refused(db):
    with pytest.raises(TypeError, match="cannot keep a object"):
        Snapshot.take(lambda: {"thing": object()})
