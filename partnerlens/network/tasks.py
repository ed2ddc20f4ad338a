"""Background tasks of the network, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_network(partnership_id: int, generation: int) -> str:
    """Compute one partnership's network snapshot for one request (services.py)."""
    from partnerlens.network.services import run_network_job

    return run_network_job(partnership_id, generation)
