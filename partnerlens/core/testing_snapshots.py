"""Build an expensive test fixture once per test process, and put it back in a moment.

A fixture such as the persona world (``partnerlens/tests/world.py``) is made through the
apps' own services, which is honest but slow (several seconds), and many test modules use
it. ``Snapshot.take(build)`` runs ``build()`` once, inside the caller's transaction, and
keeps a copy of every row it added, table by table. ``snapshot.restore()`` writes those rows
again, with the same keys, into a database that does not have them (each module's own
transaction, rolled back when the module ends), and returns what ``build()`` returned, its
model instances read back from the database.

The copy is exact: every concrete column of every model's own table (many-to-many tables
and multi-table parents included), through Django's fields, so values go back as they came
out. A build that changed or deleted rows it did not add is refused, since a copy of added
rows could not repeat it. Each pytest-xdist worker is its own process with its own
database, so each builds its own snapshot.

Imported by tests only.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

# Rows Django makes for itself when the test database is created; never a fixture's.
NOT_COPIED = {"contenttypes.ContentType", "auth.Permission", "sessions.Session"}
PLAIN = (str, bytes, int, float, bool, type(None), decimal.Decimal, uuid.UUID)
PLAIN += (datetime.date, datetime.datetime, datetime.time, datetime.timedelta)


def copied_models() -> list[type[models.Model]]:
    """Every model with a table of its own, in the app registry's order."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and model._meta.label not in NOT_COPIED
    ]


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.local_concrete_fields]


def table_rows(model) -> dict:
    """The model's own table: {primary key: row as a tuple of its concrete columns}."""
    pk = model._meta.pk.attname
    names = _columns(model)
    at = names.index(pk)
    return {row[at]: row for row in model._base_manager.order_by().values_list(*names)}


def all_rows() -> dict:
    return {model: table_rows(model) for model in copied_models()}


@dataclass
class Ref:
    """A model instance in a built value, kept as its class and key."""

    model: type[models.Model]
    pk: object


def _freeze(value):
    if isinstance(value, models.Model):
        return Ref(type(value), value.pk)
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_freeze(item) for item in value)
    if isinstance(value, PLAIN):
        return value
    raise TypeError(f"a snapshot cannot keep a {type(value).__name__}; return rows or plain data")


def _thaw(value):
    if isinstance(value, Ref):
        return value.model._base_manager.get(pk=value.pk)
    if isinstance(value, dict):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_thaw(item) for item in value)
    return value


@dataclass
class Snapshot:
    added: dict  # model -> list of rows (tuples in _columns order)
    value: object  # what build() returned, model instances as Refs

    @classmethod
    def take(cls, build: Callable[[], object]) -> tuple[Snapshot, object]:
        """Run ``build()`` and copy what it added; returns (the snapshot, build's value)."""
        before = all_rows()
        value = build()
        added = {}
        for model, rows in all_rows().items():
            old = before[model]
            changed = [pk for pk, row in old.items() if rows.get(pk) != row]
            if changed:
                raise ValueError(
                    f"the build changed or deleted rows it did not add ({model._meta.label}); "
                    "a copy of its new rows would not repeat it"
                )
            new = [row for pk, row in rows.items() if pk not in old]
            if new:
                added[model] = new
        return cls(added, _freeze(value)), value

    def restore(self):
        """Write the rows again (inside the caller's transaction) and return build's value."""
        for model, rows in self.added.items():
            names = _columns(model)
            objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
            fields = model._meta.local_concrete_fields
            size = max(1, connection.ops.bulk_batch_size(fields, objects))
            for start in range(0, len(objects), size):
                model._base_manager._insert(objects[start : start + size], fields=fields, raw=True)
        # Keys made later must not collide with the copied ones (PostgreSQL's sequences may
        # have been reset by a flush since the build).
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.added))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        return _thaw(self.value)
