"""Helpers for tests of the outbox as it runs in production: the database task backend and
the real ``db_worker`` command (the ``mail_server`` fixture is in the root conftest.py)."""

from __future__ import annotations

from django.core.management import call_command


def run_worker() -> None:
    """Run every task that is due, with the real worker command, then return."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def make_due() -> int:
    """Let the clock reach every task waiting to be retried (as if minutes had passed)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
