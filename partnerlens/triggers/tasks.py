"""Background tasks of triggers, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def evaluate_partnership(partnership_id: int, generation: int) -> str:
    """Evaluate one partnership's indicators for one request (services/evaluating.py)."""
    from partnerlens.triggers.services.evaluating import run_evaluation_job

    return run_evaluation_job(partnership_id, generation)


@task()
def daily_evaluation(token: str) -> int:
    """The daily round: ask for every partnership's evaluation, then queue tomorrow's
    (services/schedule.py)."""
    from partnerlens.triggers.services.schedule import run_daily

    return run_daily(token)
