"""The governors' PDF through the real task queue: the database backend and ``db_worker``.

Asking for it only queues it; its status page shows the progress until the worker has made
it, then links to it. With the task queue down nothing fails: the page says the download
could not be prepared and "Try again" works once the queue is back.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from partnerlens.core.testing_tasks import UNREACHABLE, run_worker
from partnerlens.insights.models import PreparedDownload, Release
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

pytestmark = pytest.mark.django_db(transaction=True)
TASK = "partnerlens.insights.tasks.prepare_download"
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def published(personas, results_schools):
    """Partnership A's cycle, answered and published with its release made at once."""
    return fill_cycle(personas["a"], personas["lead_a"], results_schools, make_results_framework())


@pytest.fixture
def queue(settings, published):
    settings.TASKS = DATABASE
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    return published


def urls(cycle) -> tuple[str, str]:
    return (
        reverse("insights:download", args=[cycle.pk, "pdf"]),
        reverse("insights:download_status", args=[cycle.pk, "pdf"]),
    )


def test_the_pdf_is_queued_shown_in_progress_then_linked_when_the_worker_made_it(
    client, queue, personas
):
    pdf, status = urls(queue)
    client.force_login(personas["teacher_a"])
    asked = client.get(pdf)
    assert asked.status_code == 302 and asked["Location"] == status
    row = PreparedDownload.objects.get()
    assert row.status == "queued"
    assert DBTaskResult.objects.filter(task_path=TASK, status="READY").count() == 1

    page = client.get(status)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="queued"' in html
    assert "Your download is being prepared" in html and 'id="download-refresh"' in html
    assert 'id="download-progress"' in html and f'href="{pdf}"' not in html
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    client.get(status)  # asking again while it waits queues nothing more
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1

    run_worker()
    row.refresh_from_db()
    assert row.status == "done" and row.size > 0
    html = client.get(status).content.decode()
    assert 'data-status="done"' in html and f'href="{pdf}" download' in html
    served = client.get(pdf)
    assert served.status_code == 200 and served.content.startswith(b"%PDF-")
    assert served.content == Release.objects.get(cycle=queue).downloads.get().file.read()


def test_with_the_task_queue_down_the_page_says_so_and_try_again_works(
    client, queue, personas, settings
):
    pdf, status = urls(queue)
    client.force_login(personas["lead_a"])
    settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}
    assert client.get(pdf)["Location"] == status  # not an error page
    row = PreparedDownload.objects.get()
    assert (row.status, row.error) == ("failed", "ConnectionRefusedError")
    html = client.get(status).content.decode()
    assert "The download could not be prepared" in html and "ConnectionRefusedError" in html
    retried = client.post(status)  # still down: still no error page
    assert retried.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.generation) == ("failed", 2)

    settings.TASKS = DATABASE
    client.post(status)
    run_worker()
    row.refresh_from_db()
    assert (row.status, row.generation) == ("done", 3)
    assert client.get(pdf).content.startswith(b"%PDF-")
