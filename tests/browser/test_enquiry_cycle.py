"""A whole enquiry cycle in headless Chromium: a lead flexes a framework and opens a cycle,
invitations arrive over real SMTP, three people answer (one in Welsh, one resuming in a
fresh browser), the lead closes the cycle, and the stored answers equal what was typed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-enough-passphrase"
LINK = re.compile(r"https?://\S+?/enquiries/r/[A-Za-z0-9_-]+/")


@pytest.fixture
def cluster(transactional_db, make_user, make_partnership, make_school):
    from partnerlens.directory.models import Membership, Role

    lead = make_user("lead", password=PASSWORD)
    partnership = make_partnership("Valley Schools", people={lead: Role.PARTNERSHIP_LEAD})
    schools = [
        make_school("Afon Primary"),
        make_school("Bryn High"),
        make_school("Castell Infants"),
    ]
    for school in schools:
        Membership.objects.create(partnership=partnership, organisation=school)
    call_command("load_frameworks", verbosity=0)
    return {"lead": lead, "partnership": partnership, "schools": schools}


def flex_and_publish(page: Page, base: str, partnership) -> None:
    """The frameworks engineer's flex form: keep two themes, create, publish."""
    from partnerlens.frameworks.models import FrameworkVersion

    builtin = FrameworkVersion.objects.get(
        framework__slug="partnership-quality", framework__owner__isnull=True
    )
    page.goto(f"{base}/frameworks/partnership/{partnership.pk}/versions/{builtin.pk}/flex/")
    page.locator('input[name="themes"][value="purpose"]').check()
    page.locator('input[name="themes"][value="engagement"]').check()
    page.get_by_role("button", name="Create our framework").click()
    page.get_by_role("button", name="Publish this version").click()  # to the confirmation
    expect(page.get_by_role("heading", name="Publish version")).to_be_visible()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator("main")).to_contain_text("ublished")


def create_and_open_cycle(page: Page, base: str, partnership) -> int:
    from partnerlens.enquiries.models import Cycle
    from partnerlens.frameworks.models import FrameworkVersion

    flexed = FrameworkVersion.objects.get(framework__owner=partnership, status="published")
    today = timezone.localdate()
    page.goto(f"{base}/enquiries/partnerships/{partnership.pk}/new/")
    page.get_by_label("Title in English").fill("Spring partnership review")
    page.locator(f'input[name="framework_version"][value="{flexed.pk}"]').check()
    for field, day in (("opens_on", today), ("closes_on", today.replace(year=today.year + 1))):
        page.locator(f"#id_{field}_0").fill(str(day.day))
        page.locator(f"#id_{field}_1").fill(str(day.month))
        page.locator(f"#id_{field}_2").fill(str(day.year))
    page.locator('input[name="anonymity_mode"][value="confidential"]').check()
    page.locator('input[name="audience_roles"][value="teacher"]').check()
    page.locator('input[name="audience_roles"][value="headteacher"]').check()
    for box in page.locator('input[name="audience_organisations"]').all():
        box.check()
    page.get_by_role("button", name="Create cycle").click()
    expect(page.get_by_role("heading", name="Invite people")).to_be_visible()
    page.get_by_label("Paste rows").fill(
        "ann@example.org, Ann Jones, Teacher, Afon Primary, en\n"
        "bethan@example.org, Bethan Huws, Headteacher, Bryn High, cy\n"
        "carl@example.org, Carl Price, Teacher, Castell Infants, en\n"
    )
    page.get_by_role("button", name="Add people").click()
    expect(page.locator("main")).to_contain_text("3 people added")
    page.get_by_role("button", name="Open the cycle and send invitations").click()
    expect(page.locator("#cycle-state")).to_have_text("Open")
    return Cycle.objects.get().pk


class Respondent:
    """Answers each theme page and remembers exactly what was chosen and typed."""

    def __init__(self, page: Page, who: str):
        self.page = page
        self.who = who
        self.typed: dict[str, object] = {}

    def answer_page(self) -> None:
        page = self.page
        radios = page.locator("input.govuk-radios__input")
        names = []
        for radio in radios.all():
            name = radio.get_attribute("name")
            if name not in names:
                names.append(name)
        for index, name in enumerate(names):
            group = page.locator(f'input.govuk-radios__input[name="{name}"]')
            choice = group.nth((index + len(self.who)) % max(1, group.count() - 1))
            choice.check()
            self.typed[name] = choice.get_attribute("value")
        for box in page.locator("input.govuk-checkboxes__input:not([name$='-dk'])").all():
            name = box.get_attribute("name")
            if name not in self.typed:
                box.check()
                self.typed[name] = [box.get_attribute("value")]
        for field in page.locator("input[inputmode=decimal]").all():
            field.fill("12")
            self.typed[field.get_attribute("name")] = Decimal("12")
        for field in page.locator("textarea.govuk-textarea:not([id$='-note'])").all():
            text = f"{self.who} wrote this, with an accent: cydweithio â’r ysgol."
            field.fill(text)
            self.typed[field.get_attribute("name")] = text
        # Evidence: every open (required) evidence box, and the first question's always.
        notes = page.locator("textarea[id$='-note']")
        if not notes.first.is_visible():
            page.locator("details.govuk-details summary").first.click()
        for note in notes.all():
            if note.is_visible():
                note.fill(f"Evidence from {self.who}")
                self.typed[note.get_attribute("name")] = f"Evidence from {self.who}"

    def answer_all(self, *, from_theme_page: bool = True) -> None:
        page = self.page
        while "/check/" not in page.url:
            expect(page.locator("#progress")).to_be_visible()
            self.answer_page()
            page.locator("button[name=continue]").click()

    def submit(self) -> None:
        page = self.page
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.locator("form[action$='/submit/'] button").click()
        expect(page.locator(".govuk-panel__title")).to_be_visible()


def link_for(mailbox, address: str) -> str:
    messages = mailbox.to(address)
    assert len(messages) == 1
    return LINK.search(mailbox.body(messages[0])).group(0)


def stored_as_typed(email: str) -> dict[str, object]:
    """The stored answers of one (confidential) respondent, keyed like the form fields."""
    from partnerlens.enquiries.models import Response

    response = Response.objects.get(invitee__email=email)
    stored: dict[str, object] = {}
    for answer in response.answers.all():
        name = f"q{answer.question_id}"
        if answer.about_organisation_id:
            name = f"{name}-o{answer.about_organisation_id}"
        if answer.dont_know:
            stored[name] = "dont-know"
        elif answer.option_value:
            stored[name] = answer.option_value
        elif answer.choices:
            stored[name] = answer.choices
        elif answer.number is not None:
            stored[name] = answer.number
        elif answer.text:
            stored[name] = answer.text
        if answer.evidence_note:
            stored[f"q{answer.question_id}-note"] = answer.evidence_note
    return stored


def test_a_whole_cycle_from_flexing_to_closing(
    page: Page, browser, live_server, cluster, smtp_server, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    sign_in(page, base, "lead", PASSWORD)
    flex_and_publish(page, base, cluster["partnership"])
    cycle_pk = create_and_open_cycle(page, base, cluster["partnership"])

    # Ann answers in English, checked by axe on each kind of respondent page.
    ann_context = browser.new_context()
    ann = Respondent(ann_context.new_page(), "Ann")
    ann.page.goto(link_for(smtp_server, "ann@example.org"))
    assert_accessible(ann.page)
    ann.page.get_by_role("button", name="Start now").click()
    expect(ann.page.locator("#progress")).to_have_text("Theme 1 of 2")
    assert_accessible(ann.page)
    ann.page.locator("button[name=continue]").click()  # nothing chosen yet: allowed
    ann.page.goto(ann.page.url.replace("/theme/2/", "/theme/1/"))
    ann.answer_all()
    assert_accessible(ann.page)
    ann.submit()
    assert_accessible(ann.page)
    ann_context.close()

    # Bethan reads the Welsh link from her Welsh-first email.
    bethan_context = browser.new_context()
    bethan = Respondent(bethan_context.new_page(), "Bethan")
    welsh_link = link_for(smtp_server, "bethan@example.org")
    assert "/cy/enquiries/r/" in welsh_link
    bethan.page.goto(welsh_link)
    expect(bethan.page.locator("html")).to_have_attribute("lang", "cy")
    bethan.page.locator("main form button[type=submit]").click()
    from partnerlens.frameworks.models import Question

    first_question = (
        Question.objects.filter(theme__version__framework__owner=cluster["partnership"], roles=[])
        .order_by("theme__order", "order")
        .first()
    )
    if first_question is not None and first_question.text_cy:
        expect(bethan.page.locator("main")).to_contain_text(first_question.text_cy[:40])
    assert_accessible(bethan.page)
    bethan.answer_all()
    bethan.submit()
    bethan_context.close()

    # Carl answers the first theme, closes the browser, and finishes in a fresh one.
    carl_link = link_for(smtp_server, "carl@example.org")
    first_context = browser.new_context()
    carl = Respondent(first_context.new_page(), "Carl")
    carl.page.goto(carl_link)
    carl.page.get_by_role("button", name="Start now").click()
    carl.answer_page()
    carl.page.locator("button[name=continue]").click()
    expect(carl.page.locator("#progress")).to_have_text("Theme 2 of 2")
    first_context.close()

    second_context = browser.new_context()
    carl.page = second_context.new_page()
    carl.page.goto(carl_link)
    carl.page.get_by_role("button", name="Continue").click()
    expect(carl.page.locator("#progress")).to_have_text("Theme 2 of 2")
    carl.page.get_by_role("link", name="Back").click()
    for name, value in carl.typed.items():
        if isinstance(value, str) and not name.endswith("-note"):
            if carl.page.locator(f'input[name="{name}"][value="{value}"]').count():
                expect(carl.page.locator(f'input[name="{name}"][value="{value}"]')).to_be_checked()
    carl.page.locator("button[name=continue]").click()
    carl.answer_all()
    carl.submit()
    second_context.close()

    # The lead sees the response rate and closes the cycle.
    page.goto(f"{base}/enquiries/cycles/{cycle_pk}/")
    # Three of three would say each of them answered: the page gives no count that small.
    expect(page.locator("#response-rate")).to_contain_text("3 people invited.")
    page.get_by_role("button", name="Close the cycle").click()
    expect(page.locator("#cycle-state")).to_have_text("Closed")

    for respondent, email in ((ann, "ann"), (bethan, "bethan"), (carl, "carl")):
        assert stored_as_typed(f"{email}@example.org") == respondent.typed, email
