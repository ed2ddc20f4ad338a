"""A lead reads a published cycle's results and downloads the governors' PDF (Chromium)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, sign_in
from partnerlens.insights.tests import conftest as insights_fixtures

# The insights tests' fixtures, for this folder outside theirs.
filled_cycle = insights_fixtures.filled_cycle
results_schools = insights_fixtures.results_schools
personas = insights_fixtures.personas
_filled_world = insights_fixtures._filled_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_reads_the_results_and_downloads_the_report(page: Page, live_server, filled_cycle):
    base = live_server.url
    sign_in(page, base, "lead_a", "correct-horse-battery")

    page.goto(f"{base}/insights/partnerships/{filled_cycle.cycle.partnership_id}/")
    page.get_by_role("link", name="Spring review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Results of Spring review")
    expect(page.locator("#summary")).to_contain_text("41 people responded")
    charts = page.locator("figure.pl-chart svg[role=img]")
    expect(charts).to_have_count(3)
    expect(page.locator("#scores table caption")).to_contain_text("Scores by theme")
    expect(page.locator("#organisations")).to_contain_text("not enough responses to show")

    assert_accessible(page)

    # The PDF is prepared on the task queue (here the tests' immediate backend) and the
    # link leads to its status page, which offers the file once it is made.
    page.get_by_role("link", name="Report for the governing body (PDF)").click()
    if page.locator("#download-status").get_attribute("data-status") != "done":
        page.locator("#download-refresh").click()
    expect(page.locator("#download-status")).to_have_attribute("data-status", "done")
    with page.expect_download() as download_info:
        page.locator("#download-link").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
