"""The lead's journey in headless Chromium on a 320-pixel phone: a finding on a real
release's results page becomes an action, a document is attached to it as evidence, and the
action appears in the plan, its Welsh title on the Welsh plan. Every page fits the phone and
passes axe, in English and Welsh."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from partnerlens.actions.models import Action, EvidenceItem
from partnerlens.actions.tests.conftest import PDF
from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page: Page) -> None:
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_finding_becomes_an_action_with_evidence_in_the_plan(
    page: Page, live_server, personas, published
):
    page.set_viewport_size({"width": 320, "height": 800})
    sign_in(page, live_server.url, "lead_a", "correct-horse-battery")
    page.goto(live_server.url + reverse("insights:dashboard", args=[published.pk]))
    fits(page)
    page.locator("#scores .pl-create-action a").click()

    expect(page.locator("#finding")).to_contain_text("A theme score")
    expect(page.locator("#finding")).to_contain_text(published.title)
    fits(page)
    page.get_by_label("Title in English").fill("Shared aims day for every school")
    page.get_by_label("Title in Welsh (optional)").fill("Diwrnod nodau ar y cyd i bob ysgol")
    page.get_by_label("Owner").select_option(label="teacher_a")
    page.locator("input[name=due_on_0]").fill("31")
    page.locator("input[name=due_on_1]").fill("12")
    page.locator("input[name=due_on_2]").fill("2030")
    page.get_by_label("A theme score in the next cycle").check()
    page.get_by_label("Theme", exact=True).select_option(label="Clarity of purpose")
    page.locator("main button[type=submit]").click()

    expect(page.locator("#action-source")).to_contain_text("A theme score")
    action = Action.objects.get()
    assert action.source_kind == "theme" and action.schools.count() == 3  # pre-filled
    fits(page)
    page.locator("#add-evidence").click()

    expect(page.get_by_role("radio", name="Document")).to_be_visible()  # the new page is in
    fits(page)
    page.get_by_role("radio", name="Document").check()
    page.get_by_label("Title in English").fill("Notes from the aims day")
    page.locator("input[type=file]").set_input_files(
        {"name": "aims-day.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    expect(page.get_by_label("Shared aims day for every school")).to_be_checked()
    page.locator("main button[type=submit]").click()

    expect(page.locator("#action-evidence")).to_contain_text("aims-day.pdf")
    assert list(EvidenceItem.objects.get().actions.all()) == [action]
    with page.expect_download() as got:
        page.locator("#action-evidence a", has_text="aims-day.pdf").click()
    with open(got.value.path(), "rb") as kept:
        assert kept.read() == PDF

    page.get_by_role("link", name="Action plans").click()
    expect(page.locator("#plan")).to_contain_text("Shared aims day for every school")
    expect(page.locator(f"#action-{action.pk}")).to_contain_text("Planned")
    fits(page)
    for name in ("actions:plan", "actions:moved", "actions:evidence_list"):
        page.goto(live_server.url + "/cy" + reverse(name, args=[personas["a"].pk]))
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        fits(page)
        if name == "actions:plan":  # the Welsh the lead wrote
            expect(page.locator("#plan")).to_contain_text("Diwrnod nodau ar y cyd i bob ysgol")
