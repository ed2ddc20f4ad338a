"""An estimate on a 320-pixel phone, in headless Chromium, with the real task queue: the lead
asks for it from the impact page, sees it queued, the worker runs it, "Refresh this page"
shows the effect, the event-study chart and its table, then the comparison schools. Every
state fits the phone and passes axe."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in
from partnerlens.core.testing_tasks import run_worker
from partnerlens.impact.tests import estimate_world as ew

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


@pytest.fixture
def world(settings):
    built = ew.build(treated=8, comparison=70, effect=0.4)
    built["lead"].set_password(PASSWORD)
    built["lead"].save(update_fields=["password"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    return built


def fits(page: Page) -> None:
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_lead_asks_for_an_estimate_on_a_phone_and_reads_it(page: Page, live_server, world):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, world["lead"].username, PASSWORD)
    page.goto(live_server.url + reverse("impact:home", args=[world["partnership"].pk]))
    fits(page)
    page.get_by_role("link", name="Estimate the partnership's effect").click()
    page.get_by_label("Measure").select_option(ew.MEASURE)
    page.get_by_label("First academic year of the partnership's work").select_option(str(ew.START))
    fits(page)
    page.get_by_role("button", name="Estimate").click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "queued")
    fits(page)

    run_worker()

    page.locator("#run-refresh").click()
    expect(page.locator("#run-status")).to_have_attribute("data-status", "done")
    expect(page.locator("#headline")).to_contain_text("did better")
    expect(page.locator("svg.pl-plot")).to_be_visible()
    expect(page.locator("#event-study tbody tr")).to_have_count(ew.YEARS)
    fits(page)
    page.get_by_role("link", name="see the comparison schools").click()
    expect(page.locator("#balance")).to_be_visible()
    fits(page)
