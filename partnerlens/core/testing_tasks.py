"""Helpers for tests that run background tasks as production does: the database task
backend (``mail_server`` in the root conftest.py, or ``TASKS`` set by the test) and the real
``db_worker`` command.

Imported by tests only.
"""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend


def run_worker() -> None:
    """Run every task that is due, with the real worker command, then return."""
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)


def make_due() -> int:
    """Let the clock reach every task waiting to run later (a retry's back-off, a scheduled
    reminder), as if that time had passed. Returns how many tasks were made due."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


class UnreachableBackend(BaseTaskBackend):
    """A task backend that is down: every enqueue fails as a lost connection would.
    ``settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}``."""

    supports_defer = True

    def enqueue(self, task, args, kwargs):
        raise ConnectionRefusedError("the task queue cannot be reached")


UNREACHABLE = f"{__name__}.UnreachableBackend"
