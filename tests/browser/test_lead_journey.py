"""The lead's whole journey in headless Chromium, with the mail server down at first
(issue 11's acceptance): a lead who forgot the password resets it; builds and edits a
framework (reorders, types Welsh, removes a question after confirming) and previews it in
Welsh; opens a cycle while no mail server listens (no error: the invitations wait, queued);
the mail server starts and the real worker sends them; a respondent answers in Welsh; the
lead closes the cycle and follows the cycle's link to its results.

Mail goes the production way: the database task backend and the real ``db_worker`` command
(``run_worker``), SMTP to a local server the test starts and stops (``mail_server``)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, sign_in
from partnerlens.core.testing_tasks import make_due, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD_PASSWORD = "a-password-long-forgotten"
NEW_PASSWORD = "a-new-and-memorable-passphrase"
RESET_LINK = re.compile(r"https?://\S+?/accounts/password/reset/\S+/")
ANSWER_LINK = re.compile(r"https?://\S+?/enquiries/r/[A-Za-z0-9_-]+/")
WELSH_TITLE = "Adolygiad y bartneriaeth, gwanwyn"
WELSH_QUESTION = "Pa mor glir yw ein diben cyffredin?"


@pytest.fixture
def valley(transactional_db, make_user, make_partnership, make_school):
    from partnerlens.directory.models import Membership, Role

    lead = make_user("lead", password=OLD_PASSWORD)
    lead.email = "Lead@Example.org"
    lead.save(update_fields=["email"])
    partnership = make_partnership("Valley Schools", people={lead: Role.PARTNERSHIP_LEAD})
    for name in ("Afon Primary", "Bryn High"):
        Membership.objects.create(partnership=partnership, organisation=make_school(name))
    call_command("load_frameworks", verbosity=0)
    return partnership


def body(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no plain-text part")


def mail_statuses() -> list[str]:
    from partnerlens.outbox.models import OutgoingMail

    return sorted(OutgoingMail.objects.values_list("status", flat=True))


def reset_forgotten_password(page: Page, base: str, server) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill("lead@example.org")  # any case finds the account
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    # The mail server is down: the worker tries, fails, and keeps the message for a retry.
    run_worker()
    assert mail_statuses() == ["queued"]
    assert server.messages == []
    server.start()
    make_due()
    run_worker()
    assert mail_statuses() == ["sent"]
    (message,) = server.to("lead@example.org")
    page.goto(RESET_LINK.search(body(message)).group(0))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    server.stop()  # down again for the cycle


def build_and_edit_framework(page: Page, base: str, partnership):
    from partnerlens.frameworks.models import FrameworkVersion, Question

    builtin = FrameworkVersion.objects.get(
        framework__slug="partnership-quality", framework__owner__isnull=True
    )
    page.goto(f"{base}/frameworks/partnership/{partnership.pk}/versions/{builtin.pk}/flex/")
    page.locator('input[name="themes"][value="purpose"]').check()
    page.locator('input[name="themes"][value="trust"]').check()
    page.get_by_role("button", name="Create our framework").click()
    draft = FrameworkVersion.objects.get(framework__owner=partnership)

    page.locator("#theme-actions-purpose").get_by_role("button", name="Move down").click()
    expect(page.locator("main section[id^=theme-]").first).to_have_id("theme-trust")

    question = draft.themes.get(key="purpose").questions.order_by("order", "id").first()
    card = page.locator(f"#question-{question.key}")
    card.locator(".govuk-summary-card__actions").get_by_role("link", name="Change").click()
    page.locator("#id_text_cy").fill(WELSH_QUESTION)
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(f"#question-{question.key}")).to_be_visible()

    doomed = draft.themes.get(key="trust").questions.order_by("order", "id").last()
    actions = page.locator(f"#question-{doomed.key} .govuk-summary-card__actions")
    actions.get_by_role("link", name="Remove").click()
    page.get_by_role("button", name="Yes, remove this question").click()
    expect(page.locator(f"#question-{doomed.key}")).to_have_count(0)
    assert not Question.objects.filter(pk=doomed.pk).exists()

    page.goto(f"{base}/cy/frameworks/partnership/{partnership.pk}/versions/{draft.pk}/preview/")
    expect(page.locator(f"#preview-question-{question.key}")).to_contain_text(WELSH_QUESTION)

    page.goto(f"{base}/frameworks/partnership/{partnership.pk}/versions/{draft.pk}/")
    page.get_by_role("button", name="Publish this version").click()
    page.get_by_role("button", name="Publish this version").click()  # confirmed
    expect(page.get_by_role("button", name="Edit as a new draft")).to_be_visible()
    return draft


def open_cycle_with_mail_down(page: Page, base: str, partnership, version) -> int:
    from partnerlens.enquiries.models import Cycle

    today = timezone.localdate()
    page.goto(f"{base}/enquiries/partnerships/{partnership.pk}/new/")
    page.get_by_label("Title in English").fill("Partnership review, spring")
    page.get_by_label("Title in Welsh (optional)").fill(WELSH_TITLE)
    page.locator(f'input[name="framework_version"][value="{version.pk}"]').check()
    for field, day in (("opens_on", today), ("closes_on", today.replace(year=today.year + 1))):
        page.locator(f"#id_{field}_0").fill(str(day.day))
        page.locator(f"#id_{field}_1").fill(str(day.month))
        page.locator(f"#id_{field}_2").fill(str(day.year))
    page.locator('input[name="anonymity_mode"][value="confidential"]').check()
    page.locator('input[name="audience_roles"][value="headteacher"]').check()
    for box in page.locator('input[name="audience_organisations"]').all():
        box.check()
    page.get_by_role("button", name="Create cycle").click()
    page.get_by_label("Paste rows").fill(
        "bethan@example.org, Bethan Huws, Headteacher, Afon Primary, cy\n"
        "dai@example.org, Dai Owen, Headteacher, Bryn High, en\n"
    )
    page.get_by_role("button", name="Add people").click()
    page.get_by_role("button", name="Open the cycle and send invitations").click()
    expect(page.locator("#cycle-state")).to_have_text("Open")
    expect(page.locator("main")).to_contain_text("queued")
    return Cycle.objects.get().pk


def test_the_lead_journey_with_the_mail_server_down_at_first(
    page: Page, browser, live_server, valley, mail_server, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url

    reset_forgotten_password(page, base, mail_server)
    sign_in(page, base, "lead@example.org", NEW_PASSWORD)
    version = build_and_edit_framework(page, base, valley)
    cycle_pk = open_cycle_with_mail_down(page, base, valley, version)

    # The worker runs while the server is down: nothing is lost, the lead sees "Queued".
    run_worker()
    page.goto(f"{base}/enquiries/cycles/{cycle_pk}/invitees/")
    expect(page.locator("td[data-status=queued]")).to_have_count(2)
    assert_accessible(page)

    # The mail server starts: the worker sends both invitations, and the page says so.
    mail_server.start()
    make_due()
    run_worker()
    page.reload()
    expect(page.locator("td[data-status=sent]")).to_have_count(2)

    # Bethan answers in Welsh, from the Welsh link in her Welsh-first email.
    (message,) = mail_server.to("bethan@example.org")
    link = ANSWER_LINK.search(body(message)).group(0)
    assert "/cy/enquiries/r/" in link
    respondent = browser.new_context().new_page()
    respondent.goto(link)
    expect(respondent.locator("html")).to_have_attribute("lang", "cy")
    expect(respondent.locator("main")).to_contain_text(WELSH_TITLE)
    respondent.locator("main form button[type=submit]").click()
    read = []  # the theme pages' texts, in the order the lead set (trust moved first)
    while "/check/" not in respondent.url:
        read.append(respondent.locator("main").inner_text())
        for name in set(
            respondent.locator("input.govuk-radios__input").evaluate_all(
                "inputs => inputs.map(i => i.name)"
            )
        ):
            respondent.locator(f'input.govuk-radios__input[name="{name}"]').first.check()
        for note in respondent.locator("textarea[id$='-note']").all():
            if note.is_visible():
                note.fill("Tystiolaeth o'n cyfarfodydd")
        respondent.locator("button[name=continue]").click()
    assert len(read) == 2 and WELSH_QUESTION in read[1] and WELSH_QUESTION not in read[0]
    respondent.locator("form[action$='/submit/'] button").click()
    expect(respondent.locator(".govuk-panel__title")).to_be_visible()

    from partnerlens.enquiries.models import Response

    (response,) = Response.objects.filter(cycle_id=cycle_pk, submitted_at__isnull=False)
    assert response.answers.exists()

    # The lead closes the cycle and follows its link to the results.
    page.goto(f"{base}/enquiries/cycles/{cycle_pk}/")
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.locator("#cycle-state")).to_have_text("Closed")
    # The release is built by the worker: until then both pages say so.
    expect(page.locator("#release-status")).to_contain_text("Results are being prepared")
    run_worker()
    page.locator("#results-link").click()
    expect(page).to_have_url(re.compile(rf"/insights/.*{cycle_pk}"))
    expect(page.locator("#release-status")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
