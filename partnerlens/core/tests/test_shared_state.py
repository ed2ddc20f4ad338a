"""What several app servers share: the database cache's counter, and the client address
behind trusted proxies (both in core, used by the rate limits)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from partnerlens.core.addresses import client_address
from partnerlens.core.cache import _as_datetime

postgres_only = pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite runs one writer at a time: counts at the same moment need PostgreSQL",
)


def expires_of(key: str):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM partnerlens_cache WHERE cache_key = %s",
            [cache.make_key(key)],
        )
        (value,) = cursor.fetchone()
    return _as_datetime(value, connection)  # as the cache itself reads it


def test_a_count_keeps_the_window_it_was_started_with(db):
    cache.add("window-count", 0, 3600)
    before = expires_of("window-count")
    assert [cache.incr("window-count") for _ in range(3)] == [1, 2, 3]
    assert cache.get("window-count") == 3
    # Django's own database cache would have moved the expiry to five minutes from now.
    assert expires_of("window-count") == before
    assert before > timezone.now() + timedelta(minutes=55)
    assert cache.decr("window-count", 2) == 1


def test_a_missing_or_expired_count_cannot_be_added_to(db):
    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-started")
    cache.set("expired", 5, 3600)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE partnerlens_cache SET expires = %s WHERE cache_key = %s",
            [timezone.now() - timedelta(seconds=1), cache.make_key("expired")],
        )
    with pytest.raises(ValueError, match="not found"):
        cache.incr("expired")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_counts_made_at_the_same_moment_all_land():
    cache.add("together", 0, 3600)
    barrier = threading.Barrier(12)
    errors = []

    def count():
        try:
            connection.ensure_connection()
            barrier.wait(30)
            for _ in range(10):
                cache.incr("together")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert cache.get("together") == 120
    cache.delete("together")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.5"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # nginx appended the client
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client's own entry ignored
        (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # a balancer, then nginx
        (2, "10.0.0.2", "10.0.0.5"),  # fewer entries than proxies: the connection's
        (1, "", "10.0.0.5"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    settings, proxies, forwarded, expected
):
    settings.AXES_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_value_is_set_and_replaced_in_one_statement(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        cache.set("history", [1, 2], 3600)
    with django_assert_num_queries(1):
        cache.set("history", [3], 60)
    assert cache.get("history") == [3]
    assert expires_of("history") < timezone.now() + timedelta(seconds=61)
    cache.set("forever", "kept", None)
    assert cache.get("forever") == "kept"
    cache.set("gone", "soon", -1)  # a past expiry: never read back
    assert cache.get("gone") is None
    assert cache.add("history", "not replaced") is False
    assert cache.get("history") == [3]


@pytest.mark.django_db
def test_a_set_that_looks_at_the_size_culls_a_full_table(monkeypatch):
    from django.core.cache import caches

    monkeypatch.setattr("partnerlens.core.cache.CULL_EVERY", 1)  # every set looks
    full = caches["default"]
    monkeypatch.setattr(full, "_max_entries", 5)
    monkeypatch.setattr(full, "_cull_frequency", 2)
    full.clear()  # a live-server test commits rows here, and a flush does not empty this table
    for number in range(8):
        full.set(f"row-{number}", number, 3600)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM partnerlens_cache")
        assert cursor.fetchone()[0] <= 5
    assert full.get("row-7") == 7  # the newest write is always kept
