"""A cycle's title and introduction in both languages: what Welsh respondents read, the
lead's "Welsh missing" warning, and the forms that save both languages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Cycle
from partnerlens.enquiries.services.cycles import change_cycle_texts, open_cycle
from partnerlens.enquiries.tests.conftest import link_from
from partnerlens.frameworks.structure import forget

WARNING = "partnerlens-welsh-missing"


def heading(html: str) -> str:
    match = re.search(r'<h1 class="govuk-heading-[a-z]+">(.*?)</h1>', html, re.DOTALL)
    assert match, html
    return match.group(1).strip()


def welsh(url: str) -> str:
    """The Welsh address of an English one (``reverse`` follows the last request's language)."""
    return "/cy" + url.removeprefix("/cy")


@pytest.fixture
def welsh_respondent(make_cycle, invite, cluster, smtp_server):
    """Open a cycle with one teacher who reads Welsh: (cycle, Welsh link's token, email body)."""

    def make(**texts):
        cycle = make_cycle()
        if texts:
            change_cycle_texts(cycle, actor=cluster["lead_a"], **texts)
        invite(cycle, ("ceri@example.org", Role.TEACHER, 0, "cy"))
        open_cycle(cycle, actor=cluster["lead_a"])
        body = smtp_server.body(smtp_server.to("ceri@example.org")[-1])
        return cycle, link_from(body, "cy"), body

    return make


def test_a_welsh_respondent_sees_the_welsh_title_and_introduction(client, welsh_respondent):
    _cycle, token, email = welsh_respondent(
        title_cy="Adolygiad y gwanwyn",
        introduction="Why we ask.",
        introduction_cy="Pam rydyn ni'n gofyn.\nBeth sy'n digwydd nesaf.",
    )
    html = client.get(welsh(reverse("enquiries:start", args=[token]))).content.decode()
    assert heading(html) == "Adolygiad y gwanwyn"
    assert "<title>Adolygiad y gwanwyn" in html
    assert "Pam rydyn ni&#x27;n gofyn.<br>Beth sy&#x27;n digwydd nesaf." in html
    assert "Spring review" not in html and "Why we ask." not in html
    # The Welsh invitation (Welsh first) names the cycle in Welsh too.
    assert '"Adolygiad y gwanwyn"' in email


def test_the_english_page_keeps_the_english_title_unmarked(client, welsh_respondent):
    _cycle, token, _email = welsh_respondent(title_cy="Adolygiad y gwanwyn")
    html = client.get(reverse("enquiries:start", args=[token])).content.decode()
    assert heading(html) == "Spring review"
    assert "<title>Spring review" in html


def test_an_english_fallback_inside_a_welsh_page_is_marked_english(client, welsh_respondent):
    _cycle, token, _email = welsh_respondent(introduction="Why we ask.")
    html = client.get(welsh(reverse("enquiries:start", args=[token]))).content.decode()
    assert '<html lang="cy"' in html
    assert heading(html) == '<span lang="en">Spring review</span>'
    assert '<span lang="en">Why we ask.</span>' in html
    # The partnership has no Welsh name either, so its caption is marked the same way.
    assert '<span class="govuk-caption-l"><span lang="en">Northside Cluster</span></span>' in html


def test_framework_texts_on_a_welsh_theme_page_are_welsh_or_marked_english(
    client, welsh_respondent
):
    cycle, token, _email = welsh_respondent()
    client.post(welsh(reverse("enquiries:start", args=[token])))
    html = client.get(welsh(reverse("enquiries:theme", args=[token, 1]))).content.decode()
    assert heading(html) == "Eglurder pwrpas"
    assert "Pa mor dda mae partneriaid yn rhannu eu nodau?" in html
    theme = cycle.framework_version.themes.get(key="purpose")
    theme.questions.filter(key="shared-aims").update(text_cy="")  # bypasses the freeze,
    forget(cycle.framework_version)  # so the version's cached structure is dropped by hand
    html = client.get(welsh(reverse("enquiries:theme", args=[token, 1]))).content.decode()
    assert '<span lang="en">How well do partners share their aims?</span>' in html


def test_the_lead_is_warned_where_welsh_is_missing_and_not_where_it_is_there(
    client, cluster, make_cycle
):
    cycle = make_cycle()
    detail = reverse("enquiries:cycle", args=[cycle.pk])
    listing = reverse("enquiries:cycle_list", args=[cluster["a"].pk])
    client.force_login(cluster["lead_a"])
    assert WARNING in client.get(detail).content.decode()
    assert WARNING in client.get(listing).content.decode()
    change_cycle_texts(cycle, actor=cluster["lead_a"], title_cy="Adolygiad y gwanwyn")
    assert WARNING not in client.get(detail).content.decode()
    assert WARNING not in client.get(listing).content.decode()
    # An introduction in English alone needs its Welsh too.
    change_cycle_texts(cycle, actor=cluster["lead_a"], introduction="Why we ask.")
    assert WARNING in client.get(detail).content.decode()


def test_members_who_cannot_change_the_cycle_see_no_warning(client, cluster, make_cycle):
    cycle = make_cycle()
    client.force_login(cluster["teacher_a"])
    html = client.get(reverse("enquiries:cycle", args=[cycle.pk])).content.decode()
    assert heading(html) == "Spring review"
    assert WARNING not in html


def test_the_new_cycle_form_saves_both_languages(client, cluster, make_framework):
    version = make_framework(slug="fw-welsh-form")
    today = timezone.localdate()
    client.force_login(cluster["lead_a"])
    response = client.post(
        reverse("enquiries:cycle_create", args=[cluster["a"].pk]),
        {
            "title": "Autumn review",
            "title_cy": "Adolygiad yr hydref",
            "introduction": "Tell us how the year went.",
            "introduction_cy": "Dywedwch wrthym sut aeth y flwyddyn.",
            "framework_version": version.pk,
            "opens_on_0": today.day,
            "opens_on_1": today.month,
            "opens_on_2": today.year,
            "closes_on_0": today.day,
            "closes_on_1": today.month,
            "closes_on_2": today.year,
            "anonymity_mode": "confidential",
            "audience_roles": [Role.TEACHER],
            "audience_organisations": [cluster["schools"][0].pk],
        },
    )
    assert response.status_code == 302, response.content.decode()
    cycle = Cycle.objects.get(title="Autumn review")
    assert (cycle.title_cy, cycle.introduction, cycle.introduction_cy) == (
        "Adolygiad yr hydref",
        "Tell us how the year went.",
        "Dywedwch wrthym sut aeth y flwyddyn.",
    )


def test_the_form_shows_english_and_welsh_side_by_side_with_their_languages(client, cluster):
    client.force_login(cluster["lead_a"])
    html = client.get(reverse("enquiries:cycle_create", args=[cluster["a"].pk])).content.decode()
    rows = html.split('<div class="govuk-grid-row partnerlens-bilingual">')[1:]
    assert len(rows) == 2  # the title, then the introduction
    english, welsh_half = rows[0].split('<div class="govuk-grid-column-one-half">')[1:3]
    assert re.search(r'<input[^>]*name="title"[^>]*lang="en"', english)
    assert re.search(r'<input[^>]*name="title_cy"[^>]*lang="cy"', welsh_half)
    assert re.search(r'<textarea[^>]*name="introduction_cy"[^>]*lang="cy"', rows[1])


def test_the_lead_changes_the_texts_of_an_existing_cycle(client, cluster, make_cycle):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    url = reverse("enquiries:cycle_texts", args=[cycle.pk])
    assert 'value="Spring review"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Spring review",
            "title_cy": "Adolygiad y gwanwyn",
            "introduction": "",
            "introduction_cy": "",
        },
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.title_cy == "Adolygiad y gwanwyn"
    event = AuditEvent.objects.get(verb="cycle.texts_changed")
    assert event.detail["fields"] == ["title_cy"]
    with translation.override("cy"):
        assert cycle.title_cy in client.get(reverse("enquiries:cycle", args=[cycle.pk])).text


def test_a_member_cannot_change_the_texts(client, cluster, make_cycle):
    cycle = make_cycle()
    client.force_login(cluster["teacher_a"])
    url = reverse("enquiries:cycle_texts", args=[cycle.pk])
    response = client.post(url, {"title": "Taken over", "title_cy": "Wedi'i gymryd"})
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert (cycle.title, cycle.title_cy) == ("Spring review", "")
