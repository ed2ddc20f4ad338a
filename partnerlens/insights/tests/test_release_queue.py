"""Releases built by the real task worker: the database task backend and ``db_worker``.

Closing a cycle only queues the build; the results page and the cycle page say the results
are being prepared until the worker has run, then show the release. A build that fails is
tried again with back-off, then shown as failed with "Try again" for the lead.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import UNREACHABLE, make_due, run_worker
from partnerlens.enquiries.services.cycles import publish_cycle
from partnerlens.insights.models import Release, ReleaseJob
from partnerlens.insights.services import update_insight_settings
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "partnerlens.insights.tasks.build_release"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = True


@pytest.fixture
def closed(queue, personas, results_schools):
    """Partnership A's cycle, answered and closed: its release is queued, not built."""
    return fill_cycle(
        personas["a"], personas["lead_a"], results_schools, make_results_framework(), publish=False
    )


def pages(client, cycle) -> tuple[str, str]:
    results = client.get(reverse("insights:dashboard", args=[cycle.pk]))
    page = client.get(reverse("enquiries:cycle", args=[cycle.pk]))
    assert results.status_code == page.status_code == 200
    return results.content.decode(), page.content.decode()


def test_closing_queues_the_build_and_the_worker_shows_the_release(client, closed, personas):
    assert not Release.objects.filter(cycle=closed).exists()
    job = ReleaseJob.objects.get(cycle=closed)
    assert job.status == "queued"
    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").count() == 1
    client.force_login(personas["lead_a"])
    results, page = pages(client, closed)
    for html in (results, page):
        assert "Results are being prepared" in html
        assert 'id="release-refresh"' in html
        assert f"Asked for at {job.queued_at:%-d} " in html
    assert 'id="release"' not in results and 'id="no-release"' not in results

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.outcome, job.attempts) == ("done", "made", 1)
    release = Release.objects.get(cycle=closed)
    results, page = pages(client, closed)
    assert "Results are being prepared" not in results + page
    assert f"Release {release.number}, made" in results
    assert 'id="results-link"' in page


def test_an_older_release_stays_visible_while_a_newer_one_is_built(client, closed, personas):
    run_worker()
    publish_cycle(closed, actor=personas["lead_a"])
    run_worker()  # publishing changed nothing: no second release
    assert Release.objects.filter(cycle=closed).count() == 1
    update_insight_settings(
        personas["a"],
        actor=personas["lead_a"],
        min_group_size=6,
        min_parent_group_size=10,
        share_benchmarks=False,
    )
    client.force_login(personas["teacher_a"])  # a member of a published cycle
    results, _page = pages(client, closed)
    assert "Results are being prepared" in results and "Release 1, made" in results
    run_worker()
    assert list(Release.objects.filter(cycle=closed).values_list("number", "k")) == [
        (1, 5),
        (2, 6),
    ]
    results, _page = pages(client, closed)
    assert "Release 2, made" in results and "being prepared" not in results


def test_a_duplicate_task_makes_one_release(closed):
    from partnerlens.insights.tasks import build_release

    job = ReleaseJob.objects.get(cycle=closed)
    build_release.enqueue(closed.pk, job.generation)  # e.g. enqueued twice
    run_worker()
    assert Release.objects.filter(cycle=closed).count() == 1
    statuses = sorted(
        DBTaskResult.objects.filter(task_path=TASK).values_list("return_value", flat=True)
    )
    assert statuses == ["made", "not_claimed"]


def break_latest_release(cycle) -> None:
    """A real bad state: the stored tables of the latest release lost their columns (e.g.
    a data fix in SQL gone wrong), so a new release cannot be compared with it."""
    rows = Release.objects.filter(cycle=cycle)
    QuerySet.update(rows, tables={"theme": [{"broken": 1}]})  # past the model's guard


def test_a_failing_build_is_retried_then_failed_and_try_again_works(client, closed, personas):
    run_worker()
    break_latest_release(closed)
    update_insight_settings(
        personas["a"],
        actor=personas["lead_a"],
        min_group_size=6,
        min_parent_group_size=10,
        share_benchmarks=False,
    )
    for _attempt in range(4):
        make_due()
        run_worker()
    job = ReleaseJob.objects.get(cycle=closed)
    assert (job.status, job.attempts, job.error) == ("failed", 4, "KeyError")
    client.force_login(personas["lead_a"])
    results, page = pages(client, closed)
    for html in (results, page):
        assert "Results could not be prepared" in html and "error code KeyError" in html
        assert 'id="release-retry"' in html
    assert "Release 1, made" in results  # the earlier release stays
    client.force_login(personas["teacher_a"])
    assert client.get(reverse("insights:dashboard", args=[closed.pk])).status_code == 403
    assert client.post(reverse("insights:release_retry", args=[closed.pk])).status_code == 403

    Release.objects.filter(cycle=closed).delete()  # the repair: start the releases again
    client.force_login(personas["lead_a"])
    answer = client.post(reverse("insights:release_retry", args=[closed.pk]), {"back": "cycle"})
    assert answer["Location"] == reverse("enquiries:cycle", args=[closed.pk])
    job.refresh_from_db()
    assert (job.status, job.attempts, job.error) == ("queued", 0, "")
    assert "Results are being prepared" in pages(client, closed)[0]
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.outcome) == ("done", "made")
    assert Release.objects.get(cycle=closed).k == 6


def at_once(function, *arguments):
    """Call ``function`` with each argument in its own thread, released together."""
    barrier = threading.Barrier(len(arguments))

    def work(argument):
        barrier.wait()
        try:
            return function(argument)
        finally:
            connection.close()

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(work, arguments))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_workers_on_one_cycle_at_once_make_one_release(closed):
    from partnerlens.insights.jobs import run_release_job
    from partnerlens.insights.releases import make_release

    generation = ReleaseJob.objects.get(cycle=closed).generation
    done = at_once(lambda _n: run_release_job(closed.pk, generation), 1, 2)
    assert sorted(done) == ["made", "not_claimed"]  # one claims the request
    # Two builds of one cycle at once (e.g. an overtaken request still running): the cycle's
    # row lock makes the second wait, and it finds nothing new to release.
    Release.objects.filter(cycle=closed).delete()
    outcomes = at_once(lambda _n: make_release(closed, reason="closed").code, 1, 2)
    assert sorted(outcomes) == ["made", "unchanged"]
    assert Release.objects.filter(cycle=closed).count() == 1


def test_a_build_asked_for_before_reopening_makes_no_release(closed, personas):
    from partnerlens.enquiries.services.cycles import open_cycle

    open_cycle(closed, actor=personas["lead_a"])  # reopened before the worker ran
    run_worker()
    assert ReleaseJob.objects.get(cycle=closed).outcome == "reopened"
    assert not Release.objects.filter(cycle=closed).exists()


def test_with_the_task_queue_down_publishing_works_and_the_release_can_be_tried_again(
    client, closed, personas, settings
):
    client.force_login(personas["lead_a"])
    settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}
    answer = client.post(reverse("enquiries:cycle_action", args=[closed.pk, "publish"]))
    assert answer.status_code == 302
    closed.refresh_from_db()
    assert closed.state == "published"
    job = ReleaseJob.objects.get(cycle=closed)
    assert (job.status, job.error) == ("failed", "ConnectionRefusedError")
    results, page = pages(client, closed)
    for html in (results, page):
        assert "Results could not be prepared" in html and 'id="release-retry"' in html

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.post(reverse("insights:release_retry", args=[closed.pk]))
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.outcome) == ("done", "made")
