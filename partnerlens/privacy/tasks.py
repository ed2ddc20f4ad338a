"""Background tasks of privacy, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_export(export_id: int, generation: int) -> str:
    """Make one subject access export (``exports.run_export_job``)."""
    from partnerlens.privacy.exports import run_export_job

    return run_export_job(export_id, generation)


@task()
def apply_retention() -> dict:
    """The daily retention job (``retention.apply_retention``), for a queue-driven schedule."""
    from partnerlens.privacy.retention import apply_retention as run

    return run()
