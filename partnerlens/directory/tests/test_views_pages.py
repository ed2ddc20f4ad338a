"""The directory pages do what they say, in English and in Welsh."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Role,
)


@pytest.fixture
def as_lead(client, personas):
    client.force_login(personas["lead_a"])
    return client


def detail_url(partnership) -> str:
    return reverse("directory:partnership_detail", args=[partnership.pk])


# --- home, sign-in, layout ---------------------------------------------------------------


def test_the_home_page_explains_partnerlens_to_visitors(client, db):
    page = client.get("/").content.decode()
    assert "See, prove and improve the value of working together" in page
    assert 'href="/accounts/login/"' in page


def test_signed_in_people_go_from_home_to_their_partnerships(client, personas):
    client.force_login(personas["teacher_a"])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:partnership_list")


def test_a_person_signs_in_with_their_username_and_password(client, personas):
    response = client.post(
        reverse("login"), {"username": "lead_a", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:partnership_list")


def test_a_wrong_password_shows_an_error_summary_linking_to_the_field(client, personas):
    page = client.post(reverse("login"), {"username": "lead_a", "password": "nope"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_username"' in html
    assert html.count("<title>Error: ") == 1


def test_every_page_has_a_skip_link_the_licence_and_the_language_switcher(as_lead, personas):
    html = as_lead.get(detail_url(personas["a"])).content.decode()
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    text = re.sub(r"<[^>]+>|\s+", " ", html)
    assert re.sub(
        r"\s+",
        " ",
        "Contains public sector information licensed under the Open Government Licence v3.0",
    ) in re.sub(r"\s+", " ", text)
    assert f'action="{reverse("set_language")}"' in html
    assert "GDS Transport" not in html and "crown" not in html.lower()


def test_the_header_shows_who_is_signed_in_and_a_sign_out_button(client, personas):
    personas["lead_a"].first_name = "Aled"
    personas["lead_a"].last_name = "Jones"
    personas["lead_a"].save()
    client.force_login(personas["lead_a"])
    html = client.get(reverse("directory:partnership_list")).content.decode()
    assert "Aled Jones" in html
    assert f'action="{reverse("logout")}"' in html


# --- Welsh --------------------------------------------------------------------------------


def test_welsh_pages_live_under_cy_and_speak_welsh(as_lead, personas):
    html = as_lead.get("/cy" + detail_url(personas["a"])).content.decode()
    assert '<html lang="cy"' in html
    for welsh in ("Aelodau", "Pobl", "Allgofnodi", "Partneriaethau", "Gwahodd rhywun"):
        assert welsh in html, welsh
    assert "Drwydded Llywodraeth Agored" in html


def test_the_welsh_sign_in_page_is_in_welsh(client, db):
    html = client.get("/cy/accounts/login/").content.decode()
    assert "Mewngofnodi i Partnerlens" in html


def _switch_form(html: str, language: str) -> dict:
    forms = re.findall(r'<form method="post" action="/i18n/setlang/".*?</form>', html, re.S)
    for form in forms:
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
        if fields.get("language") == language:
            return {"next": fields["next"], "language": language}
    raise AssertionError(f"no switcher button for {language}")


@pytest.mark.parametrize(
    ("start", "language", "expected_prefix"), [("", "cy", "/cy"), ("/cy", "en", "")]
)
def test_the_language_switcher_returns_to_the_same_page(
    as_lead, personas, start, language, expected_prefix
):
    path = reverse("directory:member_add", args=[personas["a"].pk])
    html = as_lead.get(start + path + "?q=north").content.decode()
    response = as_lead.post(reverse("set_language"), _switch_form(html, language))
    assert response.status_code == 302
    assert response["Location"] == expected_prefix + path + "?q=north"
    page = as_lead.get(response["Location"]).content.decode()
    assert f'<html lang="{language}"' in page


def test_every_string_in_the_welsh_catalogue_is_translated():
    from django.conf import settings

    po = (settings.LOCALE_PATHS[0] / "cy" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    entries = po.split("\n\n")[1:]  # after the header
    untranslated = [
        entry
        for entry in entries
        if "#, fuzzy" in entry or re.search(r'^msgstr(\[\d\])? ""\n(?!")', entry + "\n", re.M)
    ]
    assert untranslated == [], "\n\n".join(untranslated[:5])


# --- partnership list ----------------------------------------------------------------------


def test_the_partnership_list_needs_a_fixed_number_of_queries(
    client, make_user, make_partnership, make_school, django_assert_num_queries
):
    lead = make_user("busy_lead")
    for n in range(12):
        partnership = make_partnership(f"Cluster {n:02}", people={lead: Role.PARTNERSHIP_LEAD})
        PartnershipRole.objects.create(partnership=partnership, user=lead, role=Role.TEACHER)
        for m in range(3):
            school = make_school(f"School {n}-{m}")
            Membership.objects.create(partnership=partnership, organisation=school)
    client.force_login(lead)
    # session + user + partnerships (with member counts) + the user's roles in them
    with django_assert_num_queries(4):
        html = client.get(reverse("directory:partnership_list")).content.decode()
    assert html.count("Cluster ") == 12
    assert "Partnership lead, Teacher" in html or "Teacher, Partnership lead" in html
    assert re.search(r"numeric\">\s*3\s*<", html)


# --- creating and changing ------------------------------------------------------------------


def test_whoever_creates_a_partnership_becomes_its_lead(client, personas):
    client.force_login(personas["outsider"])
    response = client.post(
        reverse("directory:partnership_create"),
        {
            "name": "Valleys Network",
            "kind": "network",
            "purpose": "Maths",
            "start_date_0": "1",
            "start_date_1": "9",
            "start_date_2": "2024",
        },
    )
    partnership = Partnership.objects.get(name="Valleys Network")
    assert response["Location"] == detail_url(partnership)
    assert str(partnership.start_date) == "2024-09-01"
    role = PartnershipRole.objects.get(partnership=partnership)
    assert (role.user, role.role) == (personas["outsider"], Role.PARTNERSHIP_LEAD)
    event = AuditEvent.objects.get(verb="partnership.created")
    assert (event.actor, event.partnership_id) == (personas["outsider"], partnership.pk)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2024", "Start date must be a real date"),
        ("1", "", "2024", "Start date must include a month"),
        ("1", "9", "24", "Start date must be a real date"),
    ],
)
def test_a_bad_start_date_is_named_in_the_error(as_lead, personas, day, month, year, message):
    response = as_lead.post(
        reverse("directory:partnership_edit", args=[personas["a"].pk]),
        {
            "name": "Northside Cluster",
            "kind": "cluster",
            "start_date_0": day,
            "start_date_1": month,
            "start_date_2": year,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'href="#id_start_date_0"' in html


def test_editing_records_which_fields_changed(as_lead, personas):
    as_lead.post(
        reverse("directory:partnership_edit", args=[personas["a"].pk]),
        {"name": "Northside Cluster", "kind": "federation", "purpose": "Shared governance"},
    )
    personas["a"].refresh_from_db()
    assert personas["a"].kind == "federation"
    event = AuditEvent.objects.get(verb="partnership.updated")
    assert event.detail["fields"] == ["kind", "purpose"]


# --- members --------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Southside", "SW1A 1AA", "sw1a1aa", "URN"])
def test_the_school_search_finds_by_name_postcode_or_urn(as_lead, personas, query):
    if query == "URN":
        query = str(personas["school_b"].urn)
    url = reverse("directory:member_add", args=[personas["a"].pk])
    html = as_lead.get(url, {"q": query}).content.decode()
    assert "Southside Academy" in html
    assert "1 school found" in html


def test_an_existing_member_is_marked_rather_than_offered_again(as_lead, personas):
    url = reverse("directory:member_add", args=[personas["a"].pk])
    html = as_lead.get(url, {"q": "Northside Primary"}).content.decode()
    assert "Already a member" in html
    as_lead.post(url, {"organisation": personas["school_a"].pk})
    assert Membership.objects.filter(partnership=personas["a"], left=None).count() == 1


def test_adding_a_school_makes_it_a_member_from_today(as_lead, personas):
    url = reverse("directory:member_add", args=[personas["a"].pk])
    response = as_lead.post(url, {"organisation": personas["school_b"].pk})
    assert response["Location"] == detail_url(personas["a"])
    membership = Membership.objects.get(
        partnership=personas["a"], organisation__name__startswith="South"
    )
    assert membership.joined == timezone.localdate()
    assert AuditEvent.objects.filter(verb="membership.added").count() == 1


def test_a_parent_group_can_join_as_a_new_partner_organisation(as_lead, personas):
    as_lead.post(
        reverse("directory:partner_organisation_add", args=[personas["a"].pk]),
        {"name": "Northside Parents' Forum", "kind": "parent_group", "postcode": "m1 1aa"},
    )
    organisation = Organisation.objects.get(name="Northside Parents' Forum")
    assert organisation.kind == OrganisationKind.PARENT_GROUP
    assert organisation.postcode == "M1 1AA"
    assert organisation.memberships.get().partnership == personas["a"]


def test_ending_a_membership_keeps_it_as_history(as_lead, personas):
    membership = Membership.objects.get(partnership=personas["a"])
    today = timezone.localdate()
    as_lead.post(
        reverse("directory:membership_end", args=[personas["a"].pk, membership.pk]),
        {"left_0": today.day, "left_1": today.month, "left_2": today.year},
    )
    membership.refresh_from_db()
    assert membership.left == today
    html = as_lead.get(detail_url(personas["a"])).content.decode()
    assert "Northside Primary" in html


def test_a_membership_cannot_end_before_it_began(as_lead, personas):
    membership = Membership.objects.get(partnership=personas["a"])
    membership.joined = timezone.localdate()
    membership.save()
    response = as_lead.post(
        reverse("directory:membership_end", args=[personas["a"].pk, membership.pk]),
        {"left_0": "1", "left_1": "1", "left_2": "2000"},
    )
    assert "on or after the date it joined" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left is None


def test_ending_a_teacher_role_removes_their_access(as_lead, client, personas):
    role = PartnershipRole.objects.get(user=personas["teacher_a"])
    as_lead.post(reverse("directory:role_end", args=[personas["a"].pk, role.pk]))
    role.refresh_from_db()
    assert role.ended == timezone.localdate()
    client.force_login(personas["teacher_a"])
    assert client.get(detail_url(personas["a"])).status_code == 404


def test_the_forbidden_page_is_a_styled_explanation_in_the_visitor_language(client, personas):
    client.force_login(personas["teacher_a"])
    response = client.get("/cy" + reverse("directory:partnership_edit", args=[personas["a"].pk]))
    assert response.status_code == 403
    assert "Ni allwch wneud hyn" in response.content.decode()


def test_form_labels_and_errors_are_welsh_on_welsh_pages(as_lead, personas):
    with translation.override("cy"):
        url = reverse("directory:partnership_create")
    assert url.startswith("/cy/")
    html = as_lead.post(url, {}).content.decode()
    assert "Rhowch enw&#x27;r bartneriaeth" in html
    assert "Mae problem wedi codi" in html


def test_the_partnership_page_links_to_every_installed_section(client, personas):
    client.force_login(personas["teacher_a"])
    page = client.get(f"/partnerships/{personas['a'].pk}/").content.decode()
    pk = personas["a"].pk
    for href in (f"/frameworks/partnership/{pk}/", f"/enquiries/partnerships/{pk}/"):
        assert f'href="{href}"' in page
    assert "Brokering support" in page
