"""A broker in headless Chromium: creates a scenario, runs it, reviews the plot and the pairs,
accepts one, and follows its progress; every page passes axe with no violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerlens.brokerage.tests import conftest as brokerage_fixtures
from partnerlens.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The brokerage tests' cluster: Ash and Birch need maths support; Cedar (1 km from Ash) and
# Damson (5 km) can each support one school.
cluster = brokerage_fixtures.cluster


def test_a_broker_runs_a_scenario_and_accepts_a_pair(page: Page, live_server, cluster):
    from partnerlens.brokerage.models import SupportRelationship

    base = live_server.url
    sign_in(page, base, "broker_a", "correct-horse-battery")

    page.goto(f"{base}/brokerage/partnerships/{cluster['a'].pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name in English").fill("Maths this term")
    page.get_by_label("Mathematics").check()
    assert_accessible(page)
    page.get_by_role("button", name="Create scenario").click()
    page.get_by_role("button", name="Run scenario").click()
    expect(page.locator("main")).to_contain_text("2 of 2 needs met")
    expect(page.get_by_role("img", name="Schools and proposed matches")).to_be_visible()
    assert_accessible(page)

    accept = re.compile(r"^Accept\b.*Cedar Primary supporting Ash Primary")
    page.get_by_role("link", name=accept).click()
    expect(page.locator("h1")).to_have_text("Accept this match?")
    assert_accessible(page)
    assert not SupportRelationship.objects.exists()
    page.get_by_role("button", name="Yes, accept and tell both schools").click()
    expect(page.locator("main")).to_contain_text("the support relationship has started")
    assert_accessible(page)
    support = SupportRelationship.objects.get()
    assert (support.supporter.name, support.supported.name) == ("Cedar Primary", "Ash Primary")

    page.get_by_label("Progress note").fill("First joint planning session")
    assert_accessible(page)
    page.get_by_role("button", name="Add note").click()
    expect(page.locator("main")).to_contain_text("First joint planning session")
    assert support.notes.get().text == "First joint planning session"
