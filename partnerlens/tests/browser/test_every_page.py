"""Every page of Partnerlens in real headless Chromium: in English and Welsh, as each persona
that may see it, 320 and 1280 pixels wide. No page may scroll sideways, and axe may find no
serious or critical accessibility problem, and the browser may refuse nothing under the
Content-Security-Policy (no inline script or style the policy blocks).

The pages come from the URLconf (``pages.py``): a new page is visited as soon as it has its
row in the persona table, and a URL that is neither visited nor skipped with a reason fails.
The world (``partnerlens/tests/world.py``) is built once for the module and committed, so
the server thread sees it on PostgreSQL too; the database is emptied when the module ends,
as a transactional test would. One browser context per persona and width is reused.
"""

from __future__ import annotations

import threading
import time

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from conftest import one_request_per_connection, pass_second_factor
from partnerlens.tests.browser import pages

OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const wide = (el) => el.getBoundingClientRect().right > width + 0.5;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map((c) => '.' + c).join('');
  const culprits = [...document.body.querySelectorAll('*')]
    .filter((el) => wide(el) && ![...el.children].some(wide))
    .slice(0, 6)
    .map((el) => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
  return {scrollWidth: document.documentElement.scrollWidth, culprits};
}"""
SERIOUS = ("serious", "critical")
# axe-core is added to every page of a context once (an init script), then run on each.
AXE_RUN = "() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
# Every Content-Security-Policy violation in the page (an init script, run before the page's
# own), read after axe; Chromium's console lines about the policy ("... violates the following
# Content Security Policy directive ...", once "Refused to ...") are collected beside it.
CSP_WATCH = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(
  `${e.violatedDirective} refused ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`
), true);"""
CSP_READ = "() => window.cspViolations || []"
REFUSALS: dict[int, list[str]] = {}  # id of a page -> its console's CSP refusals

NAMES = pages.url_names()


# Each test runs in a transaction (``django_db``) that is rolled back; the server's thread
# shares it on SQLite's in-memory database and has its own connection on PostgreSQL.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def committed_world(django_db_setup, django_db_blocker):
    """The persona world and each persona's session, committed so that the server's thread
    reads them on any database; the database is emptied afterwards."""
    from partnerlens.tests import world as builder
    from partnerlens.tests.world import PERSONAS

    with django_db_blocker.unblock():
        try:
            world = builder.build()
            sessions = {}
            for persona in PERSONAS[1:]:
                client = Client()
                client.force_login(world[persona])
                pass_second_factor(client, world[persona])  # staff and brokers need it
                sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
            # Django keeps connections per context, and this fixture's is not the one the
            # test database's teardown closes: left open, on PostgreSQL it stops the test
            # database being dropped ("is being accessed by other users"). Closed now, and
            # again after the flush; the next query opens a fresh one.
            connection.close()
            yield {**world, "sessions": sessions}
        finally:
            call_command("flush", interactive=False, verbosity=0)
            connection.close()


@pytest.fixture(scope="module")
def server(committed_world):
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("localhost")
    one_request_per_connection(live)  # no request thread outlives the server
    live._live_server_modified_settings.enable()
    yield live
    live._live_server_modified_settings.disable()
    live.stop()


@pytest.fixture(scope="module")
def contexts(browser, server, committed_world):
    """One browser context per persona and width, signed in once, made when first needed."""
    made = {}

    def context(persona: str, width: int):
        if (persona, width) not in made:
            made[persona, width] = browser.new_context(
                viewport={"width": width, "height": 900}, base_url=server.url
            )
            made[persona, width].add_init_script(AXE_SCRIPT)
            made[persona, width].add_init_script(CSP_WATCH)
            if persona != "anonymous":
                cookie = {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": committed_world["sessions"][persona],
                    "url": server.url,
                }
                made[persona, width].add_cookies([cookie])
            page = made[persona, width].new_page()
            refused = REFUSALS.setdefault(id(page), [])
            page.on(
                "console",
                lambda message: (
                    refused.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
        return made[persona, width].pages[0]

    yield context
    for made_context in made.values():
        made_context.close()
    # Let the server's threads for the browser's kept-alive connections end (and close
    # their database connections) before the server stops.
    deadline = time.monotonic() + 3
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=max(0, deadline - time.monotonic()))


def check(page, path: str, status: int = 200) -> list[str]:
    """What is wrong with the page at ``path`` as this context sees it."""
    REFUSALS.get(id(page), []).clear()
    response = page.goto(path)
    if response is None or response.status != status or not response.url.endswith(path):
        return [f"got {response and response.status} at {response and response.url}"]
    problems = []
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        problems.append(
            f"scrolls sideways to {overflow['scrollWidth']} px: {', '.join(overflow['culprits'])}"
        )
    for violation in page.evaluate(AXE_RUN):
        if violation["impact"] in SERIOUS:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
            problems.append(f"axe {violation['impact']} {violation['id']}: {targets}")
    problems += [f"CSP: {refusal}" for refusal in page.evaluate(CSP_READ)]
    problems += [f"CSP console: {line}" for line in REFUSALS.get(id(page), [])]
    return problems


def test_every_url_is_visited_or_skipped(committed_world):
    assert len(NAMES) > 50, "the URLconf was not read"
    neither = [
        name
        for name in NAMES
        if pages.skip_reason(name) is None and not pages.visits(name, committed_world)
    ]
    assert neither == [], "give each a row in test_personas.EXPECTED, or a reason in pages.py"
    stale = set(pages.SKIPPED) | set(pages.DJANGO_PAGES) | set(pages.VARIANTS)
    assert stale - set(NAMES) == set(), "pages.py names a URL that no longer exists"


@pytest.mark.browser
@pytest.mark.parametrize("name", [n for n in NAMES if pages.skip_reason(n) is None])
def test_page_fits_a_phone_and_passes_axe(name, committed_world, contexts):
    found = []
    for visit in pages.visits(name, committed_world):
        for width in pages.WIDTHS:
            page = contexts(visit.persona, width)
            for language in pages.LANGUAGES:
                for problem in check(page, visit.path(language)):
                    found.append(f"{visit}, {language}, {width} px: {problem}")
    assert found == [], "\n" + "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("persona", "status"), [("anonymous", 404), ("lead", 404), ("member", 403)]
)
def test_error_pages_fit_a_phone_and_pass_axe(persona, status, committed_world, contexts):
    """The friendly 404 (signed in or not) and 403 pages, as a visitor meets them."""
    a = committed_world["a"].pk
    path = {404: "/partnerships/0/no-such-page/", 403: f"/partnerships/{a}/edit/"}[status]
    found = []
    for width in pages.WIDTHS:
        page = contexts(persona, width)
        for prefix in ("", "/cy"):
            for problem in check(page, prefix + path, status):
                found.append(f"{status} as {persona}, {prefix or 'en'}, {width} px: {problem}")
    assert found == [], "\n" + "\n".join(found)


@pytest.mark.browser
def test_the_policy_watch_sees_a_refused_inline_style_and_script(committed_world, contexts):
    """The CSP check above can fail: an inline style and script added to a page are refused
    by the browser, and both the event and the console line are caught."""
    page = contexts("anonymous", pages.WIDTHS[0])
    assert check(page, "/") == []
    page.evaluate(
        """() => {
          document.body.insertAdjacentHTML('beforeend', '<p style="color: red">styled</p>');
          const script = document.createElement('script');
          script.textContent = 'window.ranInline = true';
          document.body.append(script);
        }"""
    )
    page.wait_for_function("() => window.cspViolations.length >= 2")
    seen = " ".join(page.evaluate(CSP_READ))
    assert "style-src-attr" in seen and "script-src-elem" in seen
    assert page.evaluate("() => window.ranInline") is None
    assert any("Content Security Policy" in line for line in REFUSALS[id(page)])
