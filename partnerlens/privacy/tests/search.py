"""For tests: search every column of every table of the database for some text."""

from __future__ import annotations

import json

from django.db import connection


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "ignore")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def tables_holding(*needles: str) -> dict[str, set[str]]:
    """Each needle (lower case) -> the tables where some column of some row contains it."""
    found: dict[str, set[str]] = {needle: set() for needle in needles}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(_text(value) for value in row).lower()
                for needle in needles:
                    if needle in text:
                        found[needle].add(table)
    return found
