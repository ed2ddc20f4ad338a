"""Background tasks of enquiries, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def remind_cycle(cycle_id: int, schedule: str, attempt: int = 0) -> int:
    """A scheduled reminder round; see services/reminders.py."""
    from partnerlens.enquiries.services.reminders import run_scheduled_round

    return run_scheduled_round(cycle_id, schedule, attempt)
