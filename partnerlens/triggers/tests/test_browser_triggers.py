"""The early-warning journey in headless Chromium on a 320-pixel phone, with the real
worker and a real SMTP server: the lead agrees the recommended indicators; a year of DfE
absence figures is imported, then a second year in which one school's attendance falls;
the trigger appears in the register and the heatmap, and the school's headteacher gets an
email whose link opens it. Every page fits the phone and passes axe."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from partnerlens.core.testing import assert_accessible, assert_fits_a_phone, sign_in
from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.triggers.models import Trigger
from partnerlens.triggers.tests.conftest import DATA, URNS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def fits(page: Page) -> None:
    assert_fits_a_phone(page)


def checked(page: Page) -> None:
    fits(page)
    assert_accessible(page)


@pytest.fixture
def cluster(personas, make_school, make_user):
    from partnerlens.directory.models import Membership, PartnershipRole, Role

    a = personas["a"]
    schools = {urn: make_school(name, urn=urn) for urn, name in URNS.items()}
    for school in schools.values():
        Membership.objects.create(partnership=a, organisation=school)
    head = make_user("head_fitzjohns")
    PartnershipRole.objects.create(
        partnership=a, user=head, role=Role.HEADTEACHER, organisation=schools[100010]
    )
    return {**personas, "schools": schools, "head": head}


def test_an_imported_fall_in_attendance_fires_a_trigger_and_tells_the_head(
    page: Page, live_server, cluster, mail_server
):
    page.set_viewport_size({"width": 320, "height": 800})
    a = cluster["a"]
    sign_in(page, live_server.url, "lead_a", PASSWORD)
    page.goto(f"{live_server.url}/partnerships/{a.pk}/")
    page.get_by_role("link", name="Early warnings").click()
    expect(page.locator("main")).to_contain_text("No indicator has fired yet.")
    checked(page)
    page.get_by_role("link", name="Agreed indicators").click()
    checked(page)
    page.locator("#use-recommended").click()
    expect(page.locator("main")).to_contain_text("Fall in attendance (rise in overall absence)")
    checked(page)

    # The real DfE absence format, through import_data: 2018-19, then a year with a fall.
    call_command("import_data", str(DATA / "england_abs_2018-19.csv"), verbosity=0)
    call_command("import_data", str(DATA / "england_abs_2019-20.csv"), verbosity=0)
    mail_server.start()
    run_worker()  # the evaluations the imports asked for, then the emails
    assert Trigger.objects.filter(partnership=a).count() == 2
    for _attempt in range(3):  # a delivery refused on a busy machine is retried, as in use
        if len(mail_server.to("head_fitzjohns@example.org")) >= 2:
            break
        make_due()
        run_worker()

    page.goto(f"{live_server.url}/triggers/partnerships/{a.pk}/")
    register = page.locator("#register")
    expect(register).to_contain_text("Fitzjohn's Primary")
    expect(register).to_contain_text("Fall in attendance (rise in overall absence)")
    expect(register).to_contain_text("Targeted")
    expect(register).not_to_contain_text("Gospel Oak Primary")
    checked(page)

    page.get_by_role("link", name="Heatmap of schools and indicators").click()
    expect(page.locator("#heatmap")).to_contain_text("Targeted")
    checked(page)

    # The headteacher's email, read from the SMTP server; its link opens the trigger.
    mails = mail_server.to("head_fitzjohns@example.org")
    assert len(mails) == 2  # one per indicator that fired
    attendance = next(m for m in mails if "Fall in attendance" in mail_server.subject(m))
    assert "Fitzjohn's Primary" in mail_server.subject(attendance)
    body = attendance.get_payload(decode=True).decode()
    assert "4.3" in body and "6.1" in body
    link = re.search(r"https?://\S+/triggers/partnerships/\d+/\d+/", body).group(0)
    path = link.split("/triggers/", 1)[1]

    page.context.clear_cookies()
    sign_in(page, live_server.url, "head_fitzjohns", PASSWORD)
    page.goto(f"{live_server.url}/triggers/{path}")
    expect(page.locator("#trigger")).to_contain_text("2019-20")
    checked(page)
    page.get_by_label("Acknowledged").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.locator("#status")).to_contain_text("Acknowledged")
    checked(page)


def test_the_welsh_pages_fit_a_phone(page: Page, live_server, cluster):
    from partnerlens.triggers.services.indicators import add_recommended

    page.set_viewport_size({"width": 320, "height": 800})
    a = cluster["a"]
    add_recommended(a, actor=cluster["lead_a"])
    sign_in(page, live_server.url, "lead_a", PASSWORD)
    for path in ("", "heatmap/", "indicators/", "indicators/new/"):
        page.goto(f"{live_server.url}/cy/triggers/partnerships/{a.pk}/{path}")
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        checked(page)
