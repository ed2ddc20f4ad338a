"""A governor reads the summary on a 320-pixel phone, in English and in Welsh: it fits the
screen, passes axe, and its PDF link downloads the PDF."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def fits(page: Page) -> None:
    assert_fits_a_phone(page)


def test_a_governor_reads_the_summary_on_a_phone_and_downloads_its_pdf(
    page: Page, live_server, summary_world
):
    page.set_viewport_size({"width": 320, "height": 800})
    a = summary_world["a"]
    sign_in(page, live_server.url, "governor_a", PASSWORD)
    page.goto(f"{live_server.url}/partnerships/{a.pk}/")
    page.get_by_role("link", name="Impact and value summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact and value summary")
    expect(page.locator("#invested-total")).to_contain_text("22.5 people-hours")
    expect(page.locator("#outcomes-section")).to_contain_text("Not enough data")
    fits(page)
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("#pdf-link").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"

    page.goto(f"{live_server.url}/cy/summary/partnerships/{a.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    fits(page)
    assert_accessible(page)
