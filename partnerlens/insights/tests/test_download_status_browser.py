"""The governors' PDF on a 320-pixel phone, in headless Chromium, with the real task queue:
from the results page to its status page (queued, with its progress), the worker makes it,
"Refresh this page" shows the link, and the browser downloads the PDF. With the queue down
the same page says it could not be prepared, in English and Welsh. Every state fits the
phone and passes axe. (The every-page test visits the page once it is ready.)"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in
from partnerlens.core.testing_tasks import UNREACHABLE, run_worker
from partnerlens.insights.models import PreparedDownload
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(personas, results_schools, settings):
    cycle = fill_cycle(personas["a"], personas["lead_a"], results_schools, make_results_framework())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    return cycle


def fits(page: Page) -> None:
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_lead_waits_for_the_pdf_on_a_phone_then_downloads_it(page: Page, live_server, published):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "lead_a", "correct-horse-battery")
    page.goto(live_server.url + reverse("insights:dashboard", args=[published.pk]))
    page.locator("#downloads a", has_text="(PDF)").click()
    expect(page.locator("#download-status")).to_have_attribute("data-status", "queued")
    expect(page.locator("#download-progress")).to_contain_text("Waiting for its turn")
    fits(page)

    run_worker()
    page.locator("#download-refresh").click()
    expect(page.locator("#download-status")).to_have_attribute("data-status", "done")
    fits(page)
    with page.expect_download() as made:
        page.locator("#download-link").click()
    path = made.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert made.value.suggested_filename.endswith(".pdf")


def test_with_the_queue_down_the_page_says_so_on_a_phone_in_both_languages(
    page: Page, live_server, published, settings
):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "lead_a", "correct-horse-battery")
    settings.TASKS = {"default": {"BACKEND": UNREACHABLE}}
    status = reverse("insights:download_status", args=[published.pk, "pdf"])
    for prefix in ("", "/cy"):
        response = page.goto(live_server.url + prefix + status)
        assert response.status == 200
        if page.locator("#download-status").get_attribute("data-status") != "failed":
            page.reload()  # the queue's refusal is recorded once the request has committed
        expect(page.locator("#download-status")).to_have_attribute("data-status", "failed")
        expect(page.locator("#download-retry")).to_be_visible()
        fits(page)
    assert PreparedDownload.objects.filter(status="failed").count() == 2  # en and cy
