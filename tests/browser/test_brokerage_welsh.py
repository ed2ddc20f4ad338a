"""A broker reads the brokerage pages in Welsh, in headless Chromium: explanations, unmet-need
reasons, evidence and area names are all in Welsh, no internal code shows, and every page
passes axe. The engine stores codes and values; the pages word them (brokerage/codes.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerlens.brokerage.tests import conftest as brokerage_fixtures
from partnerlens.core.testing import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ash and Birch need maths support; Cedar (1 km from Ash) and Damson (5 km) offer it.
cluster = brokerage_fixtures.cluster

# Area ids, evidence sources and message codes: what a page must never show.
INTERNAL = re.compile(
    r"\b(maths|science|leadership|curriculum|behaviour_attendance|outcome_data|broker_note"
    r"|no_offer|out_of_range|(unmet|evidence|skipped|pin)\.[a-z_]+)\b"
)


@pytest.fixture
def welsh_run(cluster):
    """A scenario over maths and science, run: every maths need is met, science has no offer;
    Ash's Welsh support category (Red) is outcome data behind its leadership need."""
    from partnerlens.brokerage.audit import WALES_CATEGORY
    from partnerlens.brokerage.services.profiles import adjust_assessment, derive_assessments
    from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
    from partnerlens.directory.models import OutcomeMeasure

    a, broker = cluster["a"], cluster["broker"]
    OutcomeMeasure.objects.create(
        organisation=cluster["ash"], measure=WALES_CATEGORY, period="2019", value_text="Red"
    )
    derive_assessments(a, actor=broker)
    adjust_assessment(
        a,
        cluster["birch"],
        "science",
        need_level=2,
        expertise_level=0,
        reason="Adolygiad yr awdurdod lleol",
        actor=broker,
    )
    scenario = create_scenario(
        a, name="Cymorth y tymor hwn", areas=["maths", "science"], max_km=25, actor=broker
    )
    run_scenario(scenario, actor=broker)
    return scenario


def test_a_broker_reads_explanations_reasons_and_areas_in_welsh(
    page: Page, live_server, cluster, welsh_run
):
    base = f"{live_server.url}/cy/brokerage/partnerships/{cluster['a'].pk}"
    sign_in(page, live_server.url, "broker_a", "correct-horse-battery")

    page.goto(f"{base}/scenarios/{welsh_run.pk}/")
    main = page.locator("main")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    # The unmet need: its reason worded in Welsh, with the area's Welsh name.
    expect(main).to_contain_text("Nid oes ysgol arall yn cynnig Gwyddoniaeth.")
    # The proposed pair's explanation, opened as a broker would.
    page.locator("summary", has_text="Ash Primary").first.click()
    expect(main).to_contain_text("Mae gan Ash Primary angen o ran Mathemateg")
    expect(main).to_contain_text("Local authority review, spring term")  # as the broker wrote it
    assert not INTERNAL.search(main.inner_text()), INTERNAL.search(main.inner_text()).group(0)
    assert_accessible(page)

    page.goto(f"{base}/profiles/")
    header = page.locator("thead")
    expect(header).to_contain_text("Arweinyddiaeth a rheolaeth")
    expect(header).to_contain_text("Ymddygiad a phresenoldeb")
    assert not INTERNAL.search(main.inner_text()), INTERNAL.search(main.inner_text()).group(0)
    assert_accessible(page)

    page.goto(f"{base}/profiles/{cluster['ash'].pk}/")
    expect(main).to_contain_text("Data deilliannau")
    expect(main).to_contain_text("Categori cymorth Cymru: Coch.")
    assert not INTERNAL.search(main.inner_text()), INTERNAL.search(main.inner_text()).group(0)
    assert_accessible(page)


def test_a_broker_accepts_a_pair_in_welsh_after_a_confirmation_page(
    page: Page, live_server, cluster, welsh_run, smtp_server
):
    from partnerlens.brokerage.models import SupportRelationship

    base = f"{live_server.url}/cy/brokerage/partnerships/{cluster['a'].pk}"
    sign_in(page, live_server.url, "broker_a", "correct-horse-battery")
    page.goto(f"{base}/scenarios/{welsh_run.pk}/")
    # Accept is a link to a confirmation page, not a one-click button.
    page.locator("#proposals a.govuk-button", has_text="Cedar Primary").first.click()
    expect(page).to_have_url(re.compile(r"/cy/brokerage/.*/proposals/\d+/accept/$"))
    main = page.locator("main")
    expect(main).to_contain_text("Ash Primary")
    expect(main).to_contain_text("Mathemateg")
    expect(main).to_contain_text("head_cedar@example.org")  # who will be told
    assert not SupportRelationship.objects.exists()
    assert not INTERNAL.search(main.inner_text()), INTERNAL.search(main.inner_text()).group(0)
    assert_accessible(page)

    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/cy/brokerage/partnerships/\d+/support/\d+/$"))
    support = SupportRelationship.objects.get()
    assert (support.supporter, support.supported) == (cluster["cedar"], cluster["ash"])
    [notice] = smtp_server.to("head_cedar@example.org")
    assert notice["X-Partnerlens-Reference"].startswith("match:")
    assert_accessible(page)
