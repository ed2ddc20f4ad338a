"""Background tasks of insights, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_release(cycle_id: int, generation: int) -> str:
    """Build a cycle's release for one request (``insights.jobs.run_release_job``)."""
    from partnerlens.insights.jobs import run_release_job

    return run_release_job(cycle_id, generation)


@task()
def prepare_download(download_id: int, generation: int) -> str:
    """Make one slow download of a release (``insights.exporters.prepared.run_prepare_job``)."""
    from partnerlens.insights.exporters.prepared import run_prepare_job

    return run_prepare_job(download_id, generation)
