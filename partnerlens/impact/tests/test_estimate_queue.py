"""Estimates through the real task worker (the database backend and ``db_worker``): asking
queues the run and the page says so; the worker chooses the families and estimates; an
engine failure is a clear message with "Try again", never a 500; other errors are retried."""

from __future__ import annotations

import numpy as np
import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.impact import estimates as service
from partnerlens.impact.analytics import did
from partnerlens.impact.models import Estimate, EstimateJob
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = True


@pytest.fixture
def world():
    return ew.build(treated=10, comparison=110, effect=0.5, seed=11)


def _ask(client, world, **extra) -> Estimate:
    client.force_login(world["lead"])
    url = reverse("impact:estimate_create", args=[world["partnership"].pk])
    data = {"measure": ew.MEASURE, "schools": world["treated"], "start_year": ew.START, **extra}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Estimate.objects.get(partnership=world["partnership"])


def _page(client, estimate) -> str:
    url = reverse("impact:estimate", args=[estimate.partnership_id, estimate.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_estimate_is_queued_then_the_worker_runs_it(client, world, queue):
    estimate = _ask(client, world)
    job = EstimateJob.objects.get(estimate=estimate)
    assert job.status == "queued" and estimate.status == "pending"
    html = _page(client, estimate)
    assert "The estimate is queued" in html and 'id="run-refresh"' in html
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    run_worker()

    job.refresh_from_db()
    estimate.refresh_from_db()
    assert (job.status, job.attempts, estimate.status) == ("done", 1, "estimated")
    result = estimate.result
    # 0.5 pupil SDs were added from the start: the interval finds it and excludes zero.
    assert result["ci_low"] > 0 and result["ci_low"] < result["effect"] < result["ci_high"]
    assert result["method"] == "wild_bootstrap" and result["treated"] == 10
    assert result["comparison"] == len(
        set(estimate.group.members.values_list("member_id", flat=True))
    )
    assert result["sd_basis"] == "pupil" and result["months"] >= 4
    assert [row["relative_year"] for row in result["event_study"]] == list(
        range(-ew.START_INDEX, ew.YEARS - ew.START_INDEX)
    )
    html = _page(client, estimate)
    assert 'data-status="done"' in html and "Estimated effect" in html
    assert "The partnership's schools did better" in html
    assert '<svg role="img"' in html and 'id="event-study"' in html
    assert "on the Education Endowment Foundation's scale" in html
    assert "This analysis was not registered beforehand." in html


def test_an_engine_failure_is_a_message_with_try_again(client, world, queue, monkeypatch):
    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(did, "estimate", broken)
    estimate = _ask(client, world)
    run_worker()
    job = EstimateJob.objects.get(estimate=estimate)
    assert (job.status, job.error, job.attempts) == ("failed", "engine:LinAlgError", 1)
    html = _page(client, estimate)
    assert "The estimate could not be finished" in html and 'id="run-retry"' in html
    assert "engine:LinAlgError" in html

    monkeypatch.undo()
    retry = reverse("impact:estimate_run", args=[world["partnership"].pk, estimate.pk])
    assert client.post(retry).status_code == 302
    run_worker()
    job.refresh_from_db()
    estimate.refresh_from_db()
    assert (job.status, estimate.status) == ("done", "estimated")


def test_an_unexpected_error_is_tried_again_later(client, world, queue, monkeypatch):
    calls = []

    def flaky(estimate):
        calls.append(estimate.pk)
        raise ConnectionError("the database went away")

    monkeypatch.setattr(service, "run_estimate", flaky)
    estimate = _ask(client, world)
    run_worker()
    job = EstimateJob.objects.get(estimate=estimate)
    assert (job.status, job.error, job.attempts) == ("queued", "ConnectionError", 1)
    assert job.next_attempt_at is not None
    monkeypatch.undo()
    make_due()
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2) and len(calls) == 1
