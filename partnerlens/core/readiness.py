"""Is this server ready to serve? The checks behind ``/readyz``.

Each check returns a small dict of plain values, ``status`` ``ok`` or ``fail``; a failing
check names the exception's class only (its message could hold a host name or a path), and
the full error goes to the log. No check ever raises.

- ``database``: one ``SELECT 1`` on the default database.
- ``queue``: the database task queue's table answers a query. It reports how many tasks
  are ready, how long the oldest has waited and how long ago a worker last started one.
  A queue with no worker does not make this server unready (taking every app server out
  of the load balancer would not start a worker); ``stalled`` says a ready task has waited
  longer than ``QUEUE_STALLED_SECONDS``, for monitoring to alert on.
- ``storage``: Django's default storage takes a small probe file, gives the same bytes back
  and deletes it.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Case, Count, F, Max, Min, When
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)

QUEUE_STALLED_SECONDS = 300
PROBE = b"partnerlens readiness probe\n"


def _timed(name: str, check) -> dict:
    started = time.perf_counter()
    try:
        result = {"status": "ok", **check()}
    except Exception as error:  # every failure becomes a named "fail", never a 500
        logger.warning("readiness check %s failed", name, exc_info=True)
        result = {"status": "fail", "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")
    return {}


def _seconds_since(moment) -> float | None:
    return None if moment is None else round((timezone.now() - moment).total_seconds(), 1)


def check_queue() -> dict:
    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        # Nothing of ours to reach: the immediate backend of tests, or another service.
        return {"backend": type(backend).__name__}
    with transaction.atomic():
        # A task waits from when it was enqueued, or from when its back-off ended.
        waiting_since = Case(
            When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after")
        )
        ready = DBTaskResult.objects.ready().aggregate(n=Count("id"), oldest=Min(waiting_since))
        last_started = DBTaskResult.objects.aggregate(at=Max("started_at"))["at"]
    oldest_seconds = _seconds_since(ready["oldest"])
    return {
        "backend": type(backend).__name__,
        "ready_tasks": ready["n"],
        "oldest_ready_seconds": oldest_seconds,
        "last_started_seconds_ago": _seconds_since(last_started),
        "stalled": oldest_seconds is not None and oldest_seconds > QUEUE_STALLED_SECONDS,
    }


def check_storage() -> dict:
    name = default_storage.save(f"readiness/{uuid.uuid4().hex}.probe", ContentFile(PROBE))
    try:
        with default_storage.open(name, "rb") as probe:
            if probe.read() != PROBE:
                raise OSError("the probe file came back different")
    finally:
        default_storage.delete(name)
    if default_storage.exists(name):
        raise OSError("the probe file was not deleted")
    return {}


CHECKS = {"database": check_database, "queue": check_queue, "storage": check_storage}


def readiness() -> tuple[bool, dict]:
    """(all ok, the report): each check's result by name."""
    checks = {name: _timed(name, check) for name, check in CHECKS.items()}
    ready = all(result["status"] == "ok" for result in checks.values())
    return ready, {"status": "ok" if ready else "fail", "checks": checks}
