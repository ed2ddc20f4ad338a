"""Background tasks of brokerage, run by the task worker (``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_matching(scenario_id: int, generation: int) -> str:
    """Run a scenario for one request (``services.scenarios.run_scenario_job``)."""
    from partnerlens.brokerage.services.scenarios import run_scenario_job

    return run_scenario_job(scenario_id, generation)
