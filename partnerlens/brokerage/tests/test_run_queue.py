"""Matching runs through the real task worker: the database task backend and ``db_worker``.

Running a scenario only queues the run; the scenario page says so, with the time, until the
worker has run it, then shows the proposals. A run the data cannot support fails with its
reasons in words and a "Try again" button.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from partnerlens.brokerage.models import ScenarioJob
from partnerlens.brokerage.services.matches import pin_match
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.core.testing_tasks import run_worker
from partnerlens.directory.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = True


def urls(cluster, scenario) -> tuple[str, str]:
    kwargs = {"pk": cluster["a"].pk, "scenario_pk": scenario.pk}
    return (
        reverse("brokerage:scenario_detail", kwargs=kwargs),
        reverse("brokerage:scenario_run", kwargs=kwargs),
    )


def test_a_run_is_queued_then_the_worker_runs_it(client, cluster, scenario, queue):
    page, run = urls(cluster, scenario)
    client.force_login(cluster["broker"])
    html = client.post(run, follow=True).content.decode()
    job = ScenarioJob.objects.get(scenario=scenario)
    assert job.status == "queued" and not scenario.runs.exists()
    assert "Run queued" in html and "The matching run is queued" in html
    assert f"Asked for at {job.queued_at:%-d} " in html and 'id="run-refresh"' in html
    assert "This scenario has not been run yet." in html
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    job.refresh_from_db()
    made = scenario.runs.get()
    assert (job.status, job.run_id, job.attempts) == ("done", made.pk, 1)
    html = client.get(page).content.decode()
    assert "The matching run is queued" not in html and 'data-status="done"' in html
    assert "2 of 2 needs met" in html and "Cedar Primary" in html


def test_the_earlier_run_stays_while_a_new_one_waits(client, cluster, scenario, queue):
    run_scenario(scenario, actor=cluster["broker"])
    _page, run = urls(cluster, scenario)
    client.force_login(cluster["broker"])
    html = client.post(run, follow=True).content.decode()
    assert "The matching run is queued" in html
    assert "Until it finishes you see the run before." in html
    assert "2 of 2 needs met" in html
    run_worker()
    assert scenario.runs.count() == 2


def test_a_run_that_cannot_honour_a_pin_fails_in_words_and_try_again_works(
    client, cluster, scenario, queue
):
    first = run_scenario(scenario, actor=cluster["broker"])
    pin_match(first.matches.get(need_school=cluster["ash"]), actor=cluster["broker"])
    Membership.objects.filter(organisation=cluster["cedar"]).update(left="2020-01-01")
    page, run = urls(cluster, scenario)
    client.force_login(cluster["broker"])
    client.post(run)
    run_worker()
    job = ScenarioJob.objects.get(scenario=scenario)
    assert (job.status, job.error, job.attempts) == ("failed", "refused", 1)
    assert job.problems[0]["code"] == "pin.out_of_pool"
    html = client.get(page).content.decode()
    assert "The matching run could not be finished" in html
    assert "The pin of Cedar Primary supporting Ash Primary (Mathematics) cannot be used" in html
    assert 'id="run-retry"' in html
    assert scenario.runs.count() == 1

    Membership.objects.filter(organisation=cluster["cedar"]).update(left=None)
    client.post(run)  # "Try again"
    assert ScenarioJob.objects.get(scenario=scenario).status == "queued"
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.problems) == ("done", [])
    assert scenario.runs.count() == 2
    assert "could not be finished" not in client.get(page).content.decode()
