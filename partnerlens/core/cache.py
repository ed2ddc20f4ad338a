"""Django's database cache, shared by every app server, with a counter that counts.

Why: several app servers (docs/deployment.md, "Several app servers") must share the counts
that limit open-link starts and API calls, so the cache lives in the database they share.
Django's ``DatabaseCache`` inherits ``incr`` from ``BaseCache``: it reads the value, then
writes value + delta with a fresh default timeout. Two servers counting at the same moment
then both write the same number (one count lost), and the counter's window is silently
replaced by five minutes. ``incr`` here locks the row (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's ``IMMEDIATE`` transactions already run one writer at a time) and
rewrites only the value, so concurrent counts all land and the expiry stays as set. And
``set`` is one upsert rather than Django's four or five statements.

The table is made by ``manage.py createcachetable``, which core's migration 0001 runs, so
``manage.py migrate`` makes it everywhere (and Django's test runner makes it too).
"""

from __future__ import annotations

import base64
import pickle
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

# A plain set looks at the table's size once in this many writes, at random (None: never;
# the tests turn it off so that a request's query count does not change by chance).
CULL_EVERY: int | None = 100


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        """``set`` in one statement (insert, or replace the row), where Django's takes four
        or five (count, select, then update or insert, in a savepoint): the API's rate
        limit sets a value on every call. ``add`` and ``touch`` stay Django's."""
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if mode != "set" or connection.vendor not in ("postgresql", "sqlite"):
            return super()._base_set(mode, key, value, timeout)
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(timeout, tz=UTC)
        if not settings.USE_TZ:
            expires = expires.replace(tzinfo=None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        quote = connection.ops.quote_name
        table = quote(self._table)
        with connection.cursor() as cursor:
            if CULL_EVERY and secrets.randbelow(CULL_EVERY) == 0:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, tz_now().replace(microsecond=0), count)
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, "  # noqa: S608
                f"{quote('expires')}) VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) "
                f"DO UPDATE SET {quote('value')} = EXCLUDED.{quote('value')}, "
                f"{quote('expires')} = EXCLUDED.{quote('expires')}",
                [key, stored, expires],
            )
        return True

    def incr(self, key, delta=1, version=None):
        made = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608
                f"WHERE {quote('cache_key')} = %s{lock}",
                [made],
            )
            row = cursor.fetchone()
            if row is None or _as_datetime(row[1], connection) < tz_now():
                raise ValueError(f"Key '{made}' not found.")
            value = pickle.loads(  # noqa: S301 - written by this cache only
                base64.b64decode(connection.ops.process_clob(row[0]).encode())
            )
            value += delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s "  # noqa: S608
                f"WHERE {quote('cache_key')} = %s",
                [stored, made],
            )
        return value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)


def _as_datetime(value, connection):
    """The ``expires`` column as an aware datetime, as Django's cache reads it."""
    expression = models.Expression(output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(expression)
    for converter in converters + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value
