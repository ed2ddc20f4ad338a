"""Helpers for the browser tests (tests/browser/): real headless Chromium through Playwright.

Imported by tests only; Playwright and axe are development dependencies.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

SIGN_IN = re.compile(r"/accounts/login/")


def assert_accessible(page: Page) -> None:
    """Fail with axe's report if the page as it stands has any accessibility violation."""
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in through the real sign-in page, and wait until it has let the user in."""
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(SIGN_IN)
