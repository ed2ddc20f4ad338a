"""Accounts in headless Chromium: a broker sets up two-factor sign-in from the QR page's key,
signs in again with a code, and someone locked out reads why; axe checks every page."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def broker(django_user_model):
    from partnerlens.directory.models import Partnership, PartnershipKind, Role

    user = django_user_model.objects.create_user(
        username="broker@example.org", email="broker@example.org", password=PASSWORD
    )
    partnership = Partnership.objects.create(name="Northside", kind=PartnershipKind.CLUSTER)
    partnership.roles.create(user=user, role=Role.BROKER)
    return user


def assert_fits_a_phone(page: Page) -> None:
    """The page as it stands, 320 px wide, does not scroll sideways (pages the every-page
    test cannot reach: the code after the password, and the lockout)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{page.url} scrolls sideways to {scroll_width} px"
    finally:
        if size:
            page.set_viewport_size(size)


def password_step(page: Page, base: str, language: str = "") -> None:
    page.goto(f"{base}{language}/accounts/login/")
    page.locator("#id_username").fill("Broker@Example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_broker_sets_up_two_factor_sign_in_and_uses_it(page: Page, live_server, broker):
    base = live_server.url
    password_step(page, base)
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    expect(page.locator(".pl-qr-code svg")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the code").click()
    key = b32decode(page.locator("#setup-key").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(totp_code(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    assert page.locator("#backup-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Your partnerships")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base, "/cy")
    expect(page).to_have_url(re.compile(r"/cy/accounts/two-factor/\?next="))
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.locator("#id_code").fill("000000")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_phone(page)


def test_the_lockout_and_reset_pages_are_accessible(page: Page, live_server, broker, settings):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    for _n in range(settings.AXES_FAILURE_LIMIT):
        page.locator("#id_username").fill("broker@example.org")
        page.locator("#id_password").fill("wrong")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Signing in is paused")).to_be_visible()
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_role("link", name="Reset your password").click()
    page.get_by_role("button", name="Send the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)
