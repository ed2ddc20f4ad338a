"""The network journey in headless Chromium on a 320-pixel phone: a broker finds the schools
working alone in an area, starts a brokerage scenario for them, and reads a school's profile
through the picture (from the keyboard) and through its table alternative. Every page fits
the phone and passes axe, in English and in Welsh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in
from partnerlens.directory.models import Membership
from partnerlens.network.services import compute_snapshot
from partnerlens.network.tests.world import MANCHESTER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def checked(page: Page) -> None:
    assert_fits_a_phone(page)
    assert_accessible(page)


@pytest.fixture
def drawn(network_world, make_school):
    quiet = make_school("Quiet Primary", **MANCHESTER)
    Membership.objects.create(partnership=network_world["a"], organisation=quiet)
    compute_snapshot(network_world["a"])
    return {**network_world, "quiet": quiet}


def test_a_broker_starts_a_scenario_for_isolated_schools_and_reads_a_profile(
    page: Page, live_server, drawn
):
    page.set_viewport_size({"width": 320, "height": 800})
    a = drawn["a"]
    sign_in(page, live_server.url, "broker_a", PASSWORD)
    page.goto(f"{live_server.url}/partnerships/{a.pk}/")
    page.get_by_role("link", name="Who works with whom").click()
    expect(page.locator("h1")).to_have_text("Who works with whom")
    checked(page)

    # 1. The schools working alone in Manchester, members apart from the rest.
    page.get_by_role("link", name="Schools working alone").click()
    page.get_by_label("Local authority").select_option(label="Manchester")
    page.get_by_role("button", name="Show the schools").click()
    expect(page.locator("#members")).to_contain_text("Quiet Primary")
    expect(page.locator("#members")).to_contain_text("No tie at co-operation level or deeper")
    expect(page.locator("#members")).not_to_contain_text("Hilltop High")
    checked(page)

    # 2. One click starts a scenario for them, and its page says whom it is for.
    page.get_by_role("button", name="Start a brokerage scenario for these schools").click()
    expect(page.locator("h1")).to_contain_text("Isolated schools in Manchester")
    expect(page.locator("#scenario-focus")).to_have_text("Quiet Primary")
    checked(page)

    # 3. From the keyboard: Tab from the last link before the picture reaches its first
    # organisation (members first, by name), and Enter opens that school's profile.
    page.goto(f"{live_server.url}/network/partnerships/{a.pk}/")
    page.locator("#by-map").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Hilltop High: member")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Hilltop High")
    expect(page.locator("#ties")).to_contain_text("Lonely Primary")
    checked(page)

    # ... and through the table alternative: skip the picture, follow a school's link.
    page.go_back()
    page.get_by_role("link", name="Skip the picture: the same network as a table of ties").click()
    page.locator("#ties").get_by_role("link", name="Quiet Primary").first.click()
    expect(page.locator("h1")).to_have_text("Quiet Primary")
    expect(page.locator("#isolation")).to_contain_text("No tie at co-operation level or deeper")
    expect(page.locator("#history")).to_contain_text("Co-ordination")
    checked(page)


def test_the_welsh_pages_fit_a_phone(page: Page, live_server, drawn):
    page.set_viewport_size({"width": 320, "height": 800})
    a = drawn["a"]
    sign_in(page, live_server.url, "lead_a", PASSWORD)
    base = f"{live_server.url}/cy/network/partnerships/{a.pk}/"
    for path in ("", "?view=map", "isolated/?la=352", "mismatched/",
                 f"organisations/{drawn['quiet'].pk}/"):  # fmt: skip
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        checked(page)
