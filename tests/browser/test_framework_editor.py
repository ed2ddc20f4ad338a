"""The framework editor in headless Chromium: a lead builds a draft, reorders a theme,
writes a question's Welsh, removes a question after confirming, previews the survey in
Welsh, and publishes after confirming. Every editor page is checked by axe, and the draft's
page must not scroll sideways at 320 px."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"


@pytest.fixture
def lead_and_partnership(transactional_db, make_user, make_partnership):
    from partnerlens.directory.models import Role

    lead = make_user("editor-lead", password=PASSWORD)
    partnership = make_partnership("Valley Schools", people={lead: Role.PARTNERSHIP_LEAD})
    call_command("load_frameworks", verbosity=0)
    return lead, partnership


def theme_order(page: Page) -> list[str]:
    return page.locator("main section[id^=theme-]").evaluate_all(
        "sections => sections.map(s => s.id.replace('theme-', ''))"
    )


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_lead_builds_edits_previews_and_publishes_a_framework(
    page: Page, live_server, lead_and_partnership
):
    from partnerlens.frameworks.models import Framework, FrameworkVersion, Question

    lead, partnership = lead_and_partnership
    base = live_server.url
    sign_in(page, base, lead.username, PASSWORD)
    builtin = FrameworkVersion.objects.get(
        framework__slug="partnership-quality", framework__owner__isnull=True
    )

    # Build a draft by flexing two themes.
    page.goto(f"{base}/frameworks/partnership/{partnership.pk}/versions/{builtin.pk}/flex/")
    page.locator('input[name="themes"][value="purpose"]').check()
    page.locator('input[name="themes"][value="trust"]').check()
    page.get_by_role("button", name="Create our framework").click()
    expect(page.get_by_role("link", name="Discard this draft")).to_be_visible()
    assert_accessible(page)
    draft = FrameworkVersion.objects.get(framework__owner=partnership)
    assert theme_order(page) == ["purpose", "trust"]

    # Reorder: the first theme moves down.
    page.locator("#theme-actions-purpose").get_by_role("button", name="Move down").click()
    expect(page.locator("main section[id^=theme-]").first).to_have_id("theme-trust")
    assert theme_order(page) == ["trust", "purpose"]

    # Edit a question: its Welsh text, side by side with the English.
    question = draft.themes.get(key="trust").questions.order_by("order", "id").first()
    card = page.locator(f"#question-{question.key}")
    card.locator(".govuk-summary-card__actions").get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", name="Change question")).to_be_visible()
    assert_accessible(page)
    welsh = "Pa mor dda ydym ni'n ymddiried yn ein gilydd?"
    page.locator("#id_text_cy").fill(welsh)
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(f"#question-{question.key}")).to_be_visible()
    question.refresh_from_db()
    assert question.text_cy == welsh

    # Remove another question, only after confirming.
    doomed = draft.themes.get(key="purpose").questions.order_by("order", "id").last()
    actions = page.locator(f"#question-{doomed.key} .govuk-summary-card__actions")
    actions.get_by_role("link", name="Remove").click()
    expect(page.get_by_role("heading", name="Remove this question?")).to_be_visible()
    assert_accessible(page)
    assert Question.objects.filter(pk=doomed.pk).exists()
    page.get_by_role("button", name="Yes, remove this question").click()
    expect(page.locator(f"#question-{doomed.key}")).to_have_count(0)
    assert not Question.objects.filter(pk=doomed.pk).exists()

    # At phone width the draft's page does not scroll sideways.
    page.set_viewport_size({"width": 320, "height": 900})
    page.reload()
    assert no_sideways_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Preview, in Welsh: the Welsh text typed above is what a Welsh respondent reads.
    page.goto(f"{base}/cy/frameworks/partnership/{partnership.pk}/versions/{draft.pk}/preview/")
    expect(page.locator("#preview-banner")).to_be_visible()
    expect(page.locator(f"#preview-question-{question.key}")).to_contain_text(welsh)
    # Nothing can be sent: no POST form, and the questions sit outside any form.
    assert page.locator("main form[method=post], main form .pl-question").count() == 0
    expect(page.locator(f"#preview-question-{question.key}")).not_to_contain_text(question.text_en)
    assert_accessible(page)

    # Publish, after confirming.
    page.goto(f"{base}/frameworks/partnership/{partnership.pk}/versions/{draft.pk}/")
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("heading", name="Publish version 1")).to_be_visible()
    assert_accessible(page)
    draft.refresh_from_db()
    assert draft.is_draft
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_role("button", name="Edit as a new draft")).to_be_visible()
    draft.refresh_from_db()
    assert draft.is_published
    assert Framework.objects.get(owner=partnership).versions.count() == 1
