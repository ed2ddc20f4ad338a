"""Helpers for the browser tests (tests/browser/): real headless Chromium through Playwright.

Imported by tests only; Playwright and axe are development dependencies.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import TOTP
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

SIGN_IN = re.compile(r"/accounts/login/")
TWO_FACTOR = re.compile(r"/accounts/two-factor/")
TWO_FACTOR_SETUP = re.compile(r"/accounts/two-factor/set-up/")


def page_width(page: Page) -> int:
    """The width the page as it stands scrolls to. A click that navigates may leave the
    browser between two documents (no root element yet, or the old one's context gone):
    wait for the new one rather than measure nothing."""
    for _ in range(50):
        page.wait_for_load_state("domcontentloaded")
        try:
            width = page.evaluate("() => document.documentElement?.scrollWidth ?? 0")
        except PlaywrightError:  # the context was replaced while measuring
            width = 0
        if width:
            return width
        page.wait_for_timeout(100)
    raise AssertionError(f"{page.url}: no document to measure")


def assert_fits_a_phone(page: Page, width: int = 320) -> None:
    """The page as it stands does not scroll sideways at ``width`` (the viewport the test
    set)."""
    scrolls = page_width(page)
    assert scrolls <= width, f"{page.url} scrolls sideways to {scrolls} px"


def assert_accessible(page: Page) -> None:
    """Fail with axe's report if the page as it stands has any accessibility violation."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the real sign-in page, and wait until it has let the user in.

    Someone asked for a second factor gets it as a person would: on the set-up page the
    key shown for typing into an app gives the code; later, the key stored for their app.
    """
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(SIGN_IN)
    page.goto(f"{base}/accounts/")
    if TWO_FACTOR_SETUP.search(page.url):
        key = b32decode(page.locator("#setup-key").text_content().replace(" ", ""))
        _enter_code(page, key)
    elif TWO_FACTOR.search(page.url):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        _enter_code(page, device.bin_key, steps_ahead=1)  # not the step set-up used
    expect(page).not_to_have_url(TWO_FACTOR)


def totp_code(key: bytes, steps_ahead: int = 0, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows for ``key`` now (or ``steps_ahead`` steps on)."""
    totp = TOTP(key, step=step, digits=digits)
    totp.time = time.time() + steps_ahead * step
    return f"{totp.token():0{digits}d}"


def _enter_code(page: Page, key: bytes, steps_ahead: int = 0) -> None:
    page.locator("#id_code").fill(totp_code(key, steps_ahead))
    page.locator("main form button[type=submit]").first.click()
