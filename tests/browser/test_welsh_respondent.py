"""A respondent answers in Welsh in headless Chromium: Change on check-your-answers returns
there, missing evidence is caught on the theme page itself, and the response is submitted
with exactly what was typed."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible
from partnerlens.enquiries.tests import conftest as enquiry
from partnerlens.enquiries.tests.conftest import link_from

# The enquiries' own fixtures: a framework with every question kind, a cycle, invitees.
cluster = enquiry.cluster
invite = enquiry.invite
make_cycle = enquiry.make_cycle
make_framework = enquiry.make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_welsh_respondent_changes_an_answer_is_asked_for_evidence_and_submits(
    page: Page,
    live_server,
    make_cycle,
    invite,
    cluster,
    smtp_server,
    settings,
):
    from partnerlens.directory.models import Role
    from partnerlens.enquiries.models import Answer, Response
    from partnerlens.enquiries.services.cycles import open_cycle
    from partnerlens.frameworks.models import Question

    settings.SITE_URL = live_server.url
    cycle = make_cycle()
    invite(cycle, ("cadi@example.org", Role.TEACHER, 0, "cy"))
    open_cycle(cycle, actor=cluster["lead_a"])
    token = link_from(smtp_server.body(smtp_server.to("cadi@example.org")[-1]), "cy")
    ids = {q.key: q.id for q in Question.objects.filter(theme__version=cycle.framework_version)}
    aims, agree, visits = (f"q{ids[key]}" for key in ("shared-aims", "agree-direction", "visits"))
    base = f"{live_server.url}/cy/enquiries/r/{token}"

    # Start, in Welsh.
    page.goto(f"{base}/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Pa mor dda mae partneriaid yn rhannu eu nodau?")

    # Theme 1: a rubric answer, and an agreement answer with the evidence it needs.
    page.locator(f'input[name="{aims}"][value="embedded"]').check()
    page.locator(f'input[name="{agree}"][value="4"]').check()
    page.locator(f"#{agree}-note").fill("Cofnodion cyfarfod mis Mawrth")
    page.locator("button[name=continue]").click()
    expect(page).to_have_url(f"{base}/theme/2/")
    page.locator(f"#{visits}").fill("3")
    page.locator("button[name=continue]").click()
    expect(page).to_have_url(f"{base}/theme/3/")
    for group in page.locator("main fieldset").all():
        group.locator("input[value=networking]").check()
    page.locator("button[name=continue]").click()
    expect(page).to_have_url(f"{base}/check/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page)

    # Change the agreement answer: back on theme 1, marked as coming from the check page.
    page.locator(f'a[href*="/theme/1/?from=check#{agree}"]').click()
    expect(page).to_have_url(re.compile(r"/theme/1/\?from=check"))
    expect(page.locator("a.govuk-back-link")).to_have_attribute(
        "href", f"/cy/enquiries/r/{token}/check/"
    )
    page.locator(f'input[name="{agree}"][value="5"]').check()
    page.locator(f"#{agree}-note").fill("")
    page.locator("button[name=continue]").click()

    # No evidence: the theme page itself says so, linked to the evidence field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page.locator(f"#{agree}-note-error")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/theme/1/\?from=check"))
    assert_accessible(page)
    summary.locator(f'a[href="#{agree}-note"]').click()
    expect(page.locator(f"#{agree}-note")).to_be_focused()
    page.locator(f"#{agree}-note").fill("Arolwg staff, Mehefin")
    page.locator("button[name=continue]").click()

    # Saved: straight back to check-your-answers (at the changed row), not on to theme 2.
    expect(page).to_have_url(f"{base}/check/#{agree}")
    expect(page.locator("main")).to_contain_text("Arolwg staff, Mehefin")
    page.locator(f"form[action='/cy/enquiries/r/{token}/submit/'] button").click()
    expect(page.locator(".govuk-panel__title")).to_be_visible()

    response = Response.objects.get(cycle=cycle)
    assert (response.state, response.language) == ("submitted", "cy")
    changed = Answer.objects.get(response=response, question_id=ids["agree-direction"])
    assert (changed.option_value, changed.evidence_note) == ("5", "Arolwg staff, Mehefin")
    assert Answer.objects.get(response=response, question_id=ids["visits"]).number == 3

    # Back after submitting shows nothing from the browser's cache.
    page.go_back()
    expect(page.locator("main")).not_to_contain_text("Arolwg staff, Mehefin")
