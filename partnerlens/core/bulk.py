"""Writing many rows at once: one prepared statement, run for each row (``executemany``).

Django's ``bulk_update`` builds a CASE expression per object and field, and ``bulk_create``
prepares every value through its field and model; for thousands of rows both take seconds.
A plain parameterised UPDATE or INSERT run with ``executemany`` is many times faster on
SQLite and PostgreSQL, and just as safe: table and column names come from the model's own
metadata, every value is a bound parameter.

These write exactly what they are given: no signals, no ``save()``, no ``auto_now``; the
caller owns the transaction. Used by the directory's importers and the insights aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

BATCH = 2000  # rows per executemany call


def save_fields(objects: Sequence[models.Model], fields: Iterable[str]) -> None:
    """Write the named fields of saved objects of one model, one UPDATE per object."""
    if not objects:
        return
    model = type(objects[0])
    names = sorted(set(fields))
    attnames = [model._meta.get_field(name).attname for name in names]
    rows = [[getattr(obj, attname) for attname in attnames] + [obj.pk] for obj in objects]
    update_rows(model, names, rows)


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: list[list[Any]], *, plain=False
) -> None:
    """Set ``fields`` on the rows with the given keys; each row is its values then its pk.

    Every value goes through its field's ``get_db_prep_save`` (as ``save()`` would), unless
    ``plain``: then the values are numbers, text, booleans or None that the database driver
    takes as they are, and only JSON fields are prepared (much faster for large batches).
    """
    if not rows:
        return
    connection, quote = _connection(model)
    meta = model._meta
    assignments = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in fields)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 - names from metadata
    _execute_many(connection, sql, _prepared(model, fields, rows, connection, plain=plain))


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: list[list[Any]], *, plain=False
) -> None:
    """Insert rows of ``fields`` values (prepared as in ``update_rows``)."""
    if not rows:
        return
    connection, quote = _connection(model)
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from metadata
    _execute_many(connection, sql, _prepared(model, fields, rows, connection, plain=plain))


def _connection(model: type[models.Model]):
    connection = connections[router.db_for_write(model)]
    return connection, connection.ops.quote_name


def _prepared(model, fields, rows, connection, *, plain: bool) -> list[list[Any]]:
    columns = [model._meta.get_field(name) for name in fields]
    if not plain:
        return [
            [f.get_db_prep_save(v, connection) for f, v in zip(columns, row, strict=False)]
            + row[len(columns) :]
            for row in rows
        ]
    # JSON needs its adapter; the rest is passed as is. Rows are changed in place.
    for position, field in enumerate(columns):
        if isinstance(field, models.JSONField):
            for row in rows:
                row[position] = field.get_db_prep_save(row[position], connection)
    return rows


def _execute_many(connection, sql: str, rows: list[list[Any]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
