"""A broker in headless Chromium: creates a scenario, runs it, reviews the plot and the pairs,
accepts one, and follows its progress; every page passes axe with no violations."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture
def cluster(transactional_db, make_user, make_partnership, make_school):
    from partnerlens.brokerage import services
    from partnerlens.directory.models import Membership, Phase, Role

    broker = make_user("broker", password=PASSWORD)
    partnership = make_partnership("Mersey Schools", people={broker: Role.BROKER})

    def school(name, km_east):
        organisation = make_school(
            name,
            phase=Phase.PRIMARY,
            easting=340_000 + km_east * 1000,
            northing=390_000,
            pupils=320,
            fsm_pct=25.0,
        )
        Membership.objects.create(partnership=partnership, organisation=organisation)
        return organisation

    needing, supporting = school("Ash Primary", 0), school("Cedar Primary", 2)
    services.adjust_assessment(
        partnership,
        needing,
        "maths",
        need_level=3,
        expertise_level=0,
        reason="Local authority review",
        actor=broker,
    )
    services.adjust_assessment(
        partnership,
        supporting,
        "maths",
        need_level=0,
        expertise_level=3,
        reason="Maths hub lead school",
        actor=broker,
    )
    services.declare_offer(
        partnership,
        supporting,
        capacity_total=1,
        max_km=None,
        areas={"maths": (3, 1)},
        actor=broker,
    )
    return {"partnership": partnership}


def test_a_broker_runs_a_scenario_and_accepts_a_pair(page: Page, live_server, cluster):
    from partnerlens.brokerage.models import SupportRelationship

    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill("broker")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()

    page.goto(f"{base}/brokerage/partnerships/{cluster['partnership'].pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name").fill("Maths this term")
    page.get_by_label("Mathematics").check()
    assert_accessible(page)
    page.get_by_role("button", name="Create scenario").click()
    page.get_by_role("button", name="Run scenario").click()
    expect(page.locator("main")).to_contain_text("1 of 1 needs met")
    expect(page.get_by_role("img", name="Schools and proposed support pairs")).to_be_visible()
    assert_accessible(page)

    accept = re.compile(r"^Accept\b.*Cedar Primary supporting Ash Primary")
    page.get_by_role("button", name=accept).click()
    expect(page.locator("main")).to_contain_text("the support relationship has started")
    assert_accessible(page)
    support = SupportRelationship.objects.get()
    assert (support.supporter.name, support.supported.name) == ("Cedar Primary", "Ash Primary")

    page.get_by_role("link", name="Follow progress").click()
    page.get_by_label("Progress note").fill("First joint planning session")
    assert_accessible(page)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("main")).to_contain_text("First joint planning session")
    assert support.notes.get().text == "First joint planning session"
