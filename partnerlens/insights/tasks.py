"""Background tasks of insights, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_release(cycle_id: int, generation: int) -> str:
    """Build a cycle's release for one request (``insights.jobs.run_release_job``)."""
    from partnerlens.insights.jobs import run_release_job

    return run_release_job(cycle_id, generation)
