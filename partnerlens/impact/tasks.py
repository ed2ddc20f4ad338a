"""Background tasks of impact, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_estimate(estimate_id: int, generation: int) -> str:
    """Run an estimate for one request (``estimates.run_estimate_job``)."""
    from partnerlens.impact.estimates import run_estimate_job

    return run_estimate_job(estimate_id, generation)
