"""One real journey in headless Chromium, checked by axe on every page it visits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "/tmp"  # noqa: S108 - a place to look at the pages after a run


@pytest.fixture
def lead(django_user_model):
    return django_user_model.objects.create_user(
        username="lead@example.org",
        email="lead@example.org",
        password="a-long-enough-passphrase",
        first_name="Rhian Evans",
    )


@pytest.fixture
def schools(transactional_db):
    from partnerlens.directory.models import Organisation, OrganisationKind

    for urn, name, postcode in [
        (100001, "Northside Primary School", "M1 1AA"),
        (100002, "Northside High School", "M1 2BB"),
        (100003, "Southside Academy", "SW1A 1AA"),
    ]:
        Organisation.objects.create(
            kind=OrganisationKind.SCHOOL, urn=urn, name=name, postcode=postcode
        )


def test_a_lead_signs_in_builds_a_partnership_and_reads_it_in_welsh(
    page: Page, live_server, lead, schools
):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("See, prove and improve")
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/partnerlens-home.png", full_page=True)

    page.get_by_role("link", name="Sign in").first.click()
    expect(page.get_by_role("heading", name="Sign in to Partnerlens")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address or username").fill("lead@example.org")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()
    expect(page.locator("header")).to_contain_text("Rhian Evans")
    assert_accessible(page)

    page.get_by_role("button", name="Create a partnership").click()
    page.get_by_role("button", name="Create partnership").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend's JS moved focus to the summary
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/partnerlens-errors.png", full_page=True)
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Name of the partnership in English")).to_be_focused()

    page.get_by_label("Name of the partnership in English").fill("Northside Learning Cluster")
    page.get_by_label("Informal cluster").check()
    page.get_by_label("Purpose in English").fill("Sharing curriculum planning across our schools.")
    page.get_by_role("button", name="Create partnership").click()

    expect(page.get_by_role("heading", name="Northside Learning Cluster")).to_be_visible()
    expect(page.get_by_text("You are its partnership lead")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a school").click()
    page.get_by_label("Search for a school").fill("northside")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="2 schools found")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/partnerlens-search.png", full_page=True)
    page.get_by_role("button", name="Add Northside Primary School").click()

    members = page.get_by_role("table", name="Member organisations")
    expect(members).to_contain_text("Northside Primary School")
    expect(members).not_to_contain_text("Southside Academy")
    detail_url = page.url
    page.screenshot(path=f"{SCREENSHOTS}/partnerlens-detail.png", full_page=True)

    page.get_by_role("button", name="Cymraeg").click()
    expect(page).to_have_url(re.compile(r"/cy/partnerships/\d+/$"))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Aelodau")).to_be_visible()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/partnerlens-detail-cy.png", full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(detail_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
