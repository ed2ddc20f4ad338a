"""The lead's journey in headless Chromium on a 320-pixel phone: make a token, copy it from
the page that shows it once, use it against the running API, revoke it, and see it refused.
Every page fits the phone and passes axe."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Page) -> None:
    assert_fits_a_phone(page)


def status_of(url: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (the test server)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            json.loads(response.read())
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_lead_makes_uses_and_revokes_a_token_on_a_phone(page: Page, live_server, personas):
    page.set_viewport_size({"width": 320, "height": 800})
    a = personas["a"]
    sign_in(page, live_server.url, "lead_a", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/{a.pk}/")
    page.get_by_role("link", name="API access").click()
    fits(page)
    assert_accessible(page)

    page.locator("#create-token").click()
    page.get_by_label("Name").fill("Trust dashboard")
    page.get_by_label("Read only").check()
    page.locator("main button[type=submit]").click()
    secret = page.locator("#new-token").text_content().strip()
    assert secret.startswith("pl_")
    fits(page)
    assert_accessible(page)

    api = f"{live_server.url}/api/v1/partnership"
    assert status_of(api, secret) == 200

    page.get_by_role("link", name="Back to API access").click()
    expect(page.locator("#tokens")).to_contain_text("Trust dashboard")
    expect(page.locator("main")).not_to_contain_text(secret)
    page.locator("#tokens a", has_text="Revoke").click()
    fits(page)
    assert_accessible(page)
    page.locator("main button[type=submit]").click()
    expect(page.locator("#tokens")).to_contain_text("Revoked on")
    assert status_of(api, secret) == 401


def test_the_welsh_pages_fit_a_phone(page: Page, live_server, personas):
    page.set_viewport_size({"width": 320, "height": 800})
    a = personas["a"]
    sign_in(page, live_server.url, "lead_a", "correct-horse-battery")
    for path in (
        f"/cy/partnerships/{a.pk}/api-tokens/",
        f"/cy/partnerships/{a.pk}/api-tokens/new/",
    ):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        fits(page)
        assert_accessible(page)
