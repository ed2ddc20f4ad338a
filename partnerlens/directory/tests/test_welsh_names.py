"""A partnership's name and purpose in both languages: the form saves both, pages show the
reader's language (English marked lang="en" on Welsh pages), leads see "Welsh missing"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import Partnership

WARNING = "partnerlens-welsh-missing"


def detail(partnership, language: str = "en") -> str:
    url = reverse("directory:partnership_detail", args=[partnership.pk]).removeprefix("/cy")
    return ("/cy" if language == "cy" else "") + url


@pytest.fixture
def as_lead(client, personas):
    client.force_login(personas["lead_a"])
    return client


def test_creating_a_partnership_saves_both_languages(as_lead):
    response = as_lead.post(
        reverse("directory:partnership_create"),
        {
            "name": "Valley Schools",
            "name_cy": "Ysgolion y Cwm",
            "kind": "cluster",
            "purpose": "Sharing reading.",
            "purpose_cy": "Rhannu darllen.",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(name="Valley Schools")
    assert (partnership.name_cy, partnership.purpose, partnership.purpose_cy) == (
        "Ysgolion y Cwm",
        "Sharing reading.",
        "Rhannu darllen.",
    )


def test_editing_adds_the_welsh_and_the_audit_names_the_welsh_fields(as_lead, personas):
    url = reverse("directory:partnership_edit", args=[personas["a"].pk])
    as_lead.post(
        url,
        {
            "name": "Northside Cluster",
            "name_cy": "Clwstwr y Gogledd",
            "kind": "cluster",
            "purpose_cy": "Gweithio gyda'n gilydd.",
        },
    )
    personas["a"].refresh_from_db()
    assert personas["a"].name_cy == "Clwstwr y Gogledd"
    assert personas["a"].purpose_cy == "Gweithio gyda'n gilydd."
    event = AuditEvent.objects.get(verb="partnership.updated")
    assert event.detail["fields"] == ["name_cy", "purpose_cy"]
    # The form shows what was saved, English and Welsh side by side.
    html = as_lead.get(url).content.decode()
    assert 'value="Clwstwr y Gogledd"' in html
    assert html.count('class="govuk-grid-row partnerlens-bilingual"') == 2


def test_a_welsh_page_shows_the_welsh_name_and_purpose(as_lead, personas):
    Partnership.objects.filter(pk=personas["a"].pk).update(
        name_cy="Clwstwr y Gogledd", purpose="Working together.", purpose_cy="Cydweithio."
    )
    html = as_lead.get(detail(personas["a"], "cy")).content.decode()
    assert '<h1 class="govuk-heading-l">Clwstwr y Gogledd</h1>' in html
    assert "<title>Clwstwr y Gogledd" in html
    assert "Cydweithio." in html and "Working together." not in html
    english = as_lead.get(detail(personas["a"])).content.decode()
    assert '<h1 class="govuk-heading-l">Northside Cluster</h1>' in english


def test_an_english_name_on_a_welsh_page_is_marked_english(as_lead, personas):
    Partnership.objects.filter(pk=personas["a"].pk).update(purpose="Working together.")
    html = as_lead.get(detail(personas["a"], "cy")).content.decode()
    assert '<h1 class="govuk-heading-l"><span lang="en">Northside Cluster</span></h1>' in html
    assert '<span lang="en">Working together.</span>' in html
    listing = as_lead.get("/cy" + reverse("directory:partnership_list").removeprefix("/cy"))
    assert '<span lang="en">Northside Cluster</span>' in listing.content.decode()


def test_the_lead_is_warned_only_while_welsh_is_missing(as_lead, personas):
    assert WARNING in as_lead.get(detail(personas["a"])).content.decode()
    Partnership.objects.filter(pk=personas["a"].pk).update(name_cy="Clwstwr y Gogledd")
    assert WARNING not in as_lead.get(detail(personas["a"])).content.decode()
    Partnership.objects.filter(pk=personas["a"].pk).update(purpose="Working together.")
    assert WARNING in as_lead.get(detail(personas["a"])).content.decode()


def test_members_who_cannot_change_the_partnership_see_no_warning(client, personas):
    client.force_login(personas["teacher_a"])
    html = client.get(detail(personas["a"])).content.decode()
    assert "Northside Cluster" in html
    assert WARNING not in html
