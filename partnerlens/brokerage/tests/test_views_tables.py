"""The long tables: GET filters, sortable columns with aria-sort, pages; the age of outcome
data wherever it is used; offers typed in both languages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerlens.brokerage import audit
from partnerlens.brokerage.models import SupportOffer
from partnerlens.brokerage.outcome_age import outcome_age
from partnerlens.brokerage.services.matches import accept_match
from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import adjust_assessment, derive_assessments
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.directory.models import Membership, OutcomeMeasure, Phase


@pytest.fixture
def crowd(cluster, make_school):
    """30 more member schools in Salford (secondary), 5 of them in need of science."""
    for number in range(30):
        school = make_school(
            f"Salford {number:02d} High",
            phase=Phase.SECONDARY,
            la_name="Salford",
            easting=380_000 + number * 100,
            northing=300_000,
        )
        Membership.objects.create(partnership=cluster["a"], organisation=school)
        if number < 5:
            adjust_assessment(
                cluster["a"],
                school,
                "science",
                need_level=3 - number % 3,
                expertise_level=0,
                reason="Review",
                actor=cluster["broker"],
            )
    return cluster


def page(client, name, cluster, query="", **kwargs):
    url = reverse(f"brokerage:{name}", kwargs={"pk": cluster["a"].pk, **kwargs})
    response = client.get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def row_names(html):
    body = html.split("<tbody", 1)[1]
    return re.findall(r'<th scope="row"[^>]*>(?:<a[^>]*>)?([^<]+)<', body)


def test_profiles_filter_by_local_authority_phase_need_and_name(client, crowd):
    client.force_login(crowd["broker"])
    assert set(row_names(page(client, "profile_list", crowd, "?la=Trafford"))) == {
        "Ash Primary",
        "Birch Primary",
        "Cedar Primary",
        "Damson Primary",
    }
    needing = row_names(page(client, "profile_list", crowd, "?need_area=science"))
    assert needing == [f"Salford {n:02d} High" for n in range(5)]
    assert row_names(page(client, "profile_list", crowd, "?q=birch")) == ["Birch Primary"]
    urn = crowd["ash"].urn
    assert row_names(page(client, "profile_list", crowd, f"?q={urn}")) == ["Ash Primary"]
    primaries = row_names(page(client, "profile_list", crowd, "?phase=primary"))
    assert len(primaries) == 4 and all("Primary" in name for name in primaries)


def test_profiles_sort_with_aria_sort_and_come_in_pages(client, crowd):
    client.force_login(crowd["broker"])
    first = page(client, "profile_list", crowd)
    assert re.search(r'aria-sort="ascending"><a [^>]*href="\?sort=name&amp;dir=desc">', first)
    assert (
        'aria-sort="none"><a class="govuk-link govuk-link--no-visited-state" href="?sort=need'
        in (first)
    )
    names = row_names(first)
    assert len(names) == 25 and names == sorted(names)
    assert "35 results; page 1 of 2." in first
    second = row_names(page(client, "profile_list", crowd, "?sort=name&dir=asc&page=2"))
    assert len(second) == 10 and not set(second) & set(names)
    by_need = row_names(page(client, "profile_list", crowd, "?sort=need&dir=desc"))
    # Need 3 first, then need 2; equal needs stay in name order.
    assert by_need[:3] == ["Ash Primary", "Salford 00 High", "Salford 03 High"]
    assert by_need[3:6] == ["Birch Primary", "Salford 01 High", "Salford 04 High"]
    # A hand-edited sort key falls back to the default instead of failing.
    assert row_names(page(client, "profile_list", crowd, "?sort=password"))[0] == names[0]


def test_offers_and_proposals_filter_and_sort(client, crowd, scenario):
    client.force_login(crowd["broker"])
    offering = row_names(page(client, "offer_list", crowd, "?offers=yes"))
    assert offering == ["Cedar Primary", "Damson Primary"]
    assert "Ash Primary" in row_names(page(client, "offer_list", crowd, "?offers=no&la=Trafford"))
    run_scenario(scenario, actor=crowd["broker"])
    kwargs = {"scenario_pk": scenario.pk}
    html = page(client, "scenario_detail", crowd, "?sort=km&dir=desc", **kwargs)
    table = html.split('id="proposals"', 1)[1]
    assert table.index("Damson Primary") < table.index("Cedar Primary")  # 3 km before 1 km
    html = page(client, "scenario_detail", crowd, "?q=birch", **kwargs)
    table = html.split('id="proposals"', 1)[1].split("</table>", 1)[0]
    assert "Birch Primary" in table and "Ash Primary" not in table


def test_the_age_of_outcome_data_is_shown_with_a_warning_when_old(client, cluster, scenario):
    for measure, value in ((audit.P8, -0.9), (audit.P8_CI_LOW, -1.1), (audit.P8_CI_HIGH, -0.7)):
        OutcomeMeasure.objects.create(
            organisation=cluster["ash"], measure=measure, period="2018-19", value=value
        )
    derive_assessments(cluster["a"], actor=cluster["broker"])
    client.force_login(cluster["broker"])
    html = page(client, "profile_list", cluster)
    assert "Outcome data from 2018/19" in html and "years old" in html
    assert "govuk-warning-text" in html
    detail = page(client, "profile_detail", cluster, school_pk=cluster["ash"].pk)
    assert "Outcome data from 2018/19" in detail
    plain = page(client, "profile_detail", cluster, school_pk=cluster["birch"].pk)
    assert "Outcome data from" not in plain  # Birch's levels rest on a broker's note only
    years = outcome_age(["2018-19"], today=timezone.localdate()).years
    assert f"Outcome data from 2018/19, {years} years old." in html
    with translation.override("cy"):
        welsh = page(client, "profile_list", cluster)
    assert f'data-outcome-age="{years}"' in welsh and "2018/19" in welsh


def test_offers_are_typed_in_both_languages_and_shown_in_the_readers(client, cluster):
    client.force_login(cluster["head_cedar"])
    url = reverse(
        "brokerage:offer_edit", kwargs={"pk": cluster["a"].pk, "school_pk": cluster["cedar"].pk}
    )
    form = client.get(url).content.decode()
    assert 'name="summary"' in form and 'name="summary_cy"' in form
    data = {
        "capacity_total": "2",
        "max_km": "",
        "strength_maths": "3",
        "capacity_maths": "1",
        "summary": "Our maths lead runs lesson study.",
        "summary_cy": "Mae ein harweinydd mathemateg yn cynnal astudiaethau gwersi.",
    }
    assert client.post(url, data).status_code == 302
    offer = SupportOffer.objects.get(organisation=cluster["cedar"])
    assert offer.summary_cy.startswith("Mae ein harweinydd")
    english = page(client, "offer_list", cluster)
    assert "Our maths lead runs lesson study." in english
    with translation.override("cy"):
        welsh = page(client, "offer_list", cluster)
    assert "Mae ein harweinydd mathemateg" in welsh and "Our maths lead" not in welsh

    declare_offer(
        cluster["a"],
        cluster["cedar"],
        capacity_total=2,
        max_km=None,
        areas={"maths": (3, 1)},
        summary="Only in English.",
        summary_cy="",
        actor=cluster["broker"],
    )
    with translation.override("cy"):
        welsh = page(client, "offer_list", cluster)
    assert re.search(r'lang="en">Only in English\.<', welsh)
    assert "Cymraeg ar goll" in welsh or "Welsh missing" in welsh


def error_messages(html):
    return re.findall(r'class="govuk-error-message"[^>]*>.*?</span>\s*(.*?)</p>', html, re.S)


def test_a_filter_value_that_cannot_be_read_is_named_and_the_other_filters_still_apply(
    client, crowd
):
    client.force_login(crowd["broker"])
    html = page(client, "profile_list", crowd, "?need_area=password&la=Trafford")
    assert error_messages(html) == [
        "Select a valid choice. password is not one of the available choices."
    ]
    assert set(row_names(html)) == {
        "Ash Primary",
        "Birch Primary",
        "Cedar Primary",
        "Damson Primary",
    }
    offers = page(client, "offer_list", crowd, "?offers=maybe&q=cedar")
    assert len(error_messages(offers)) == 1 and row_names(offers) == ["Cedar Primary"]
    support = page(client, "support_list", crowd, "?area=nowhere")
    assert len(error_messages(support)) == 1
    with translation.override("cy"):
        welsh = page(client, "profile_list", crowd, "?need_area=password")
    [said] = error_messages(welsh)
    assert "password" in said and "Select a valid choice" not in said


def test_a_page_number_that_cannot_be_read_or_is_past_the_end_gives_a_real_page(client, crowd):
    client.force_login(crowd["broker"])
    # Django's Paginator.get_page: not a number, the first page; out of range, the last.
    first = row_names(page(client, "profile_list", crowd))
    for bad in ("abc", "1.5", ""):
        html = page(client, "profile_list", crowd, f"?page={bad}")
        assert row_names(html) == first and "page 1 of 2." in html, bad
    for beyond in ("99", "0", "-1"):
        html = page(client, "profile_list", crowd, f"?page={beyond}")
        assert "page 2 of 2." in html and len(row_names(html)) == 10, beyond


FILTERED = {
    "profile_list": "?la=Salford&phase=secondary&need_area=science&sort=need&dir=desc&page=2",
    "offer_list": "?offers=no&q=High&sort=la&page=2",
    "support_list": "?q=Primary&area=maths&sort=area",
    "scenario_detail": "?q=primary&area=maths&sort=km&dir=desc",
}


def filtered_queries(client, cluster, scenario) -> dict:
    counts = {}
    for name, query in FILTERED.items():
        kwargs = {"scenario_pk": scenario.pk} if name == "scenario_detail" else {}
        url = reverse(f"brokerage:{name}", kwargs={"pk": cluster["a"].pk, **kwargs}) + query
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts[name] = len(captured)
    return counts


def test_filtered_sorted_pages_cost_the_same_queries_with_over_a_hundred_schools(
    client, crowd, scenario, make_school
):
    """tests/test_query_counts.py pins the plain pages; this pins them filtered, sorted and
    paged, from 35 member schools to 135 (a query per row would show at once)."""
    run = run_scenario(scenario, actor=crowd["broker"])
    accept_match(run.matches.get(need_school=crowd["ash"]), actor=crowd["broker"])
    client.force_login(crowd["broker"])
    client.get(reverse("brokerage:home", kwargs={"pk": crowd["a"].pk}))  # warm caches
    few = filtered_queries(client, crowd, scenario)
    for number in range(100):
        school = make_school(
            f"Wigan {number:03d} High",
            phase=Phase.SECONDARY,
            la_name="Salford" if number % 2 else "Wigan",
            easting=400_000 + number * 40,
            northing=300_500,
        )
        Membership.objects.create(partnership=crowd["a"], organisation=school)
        adjust_assessment(
            crowd["a"],
            school,
            "science" if number % 2 else "maths",
            need_level=1 + number % 3,
            expertise_level=0,
            reason="Review",
            actor=crowd["broker"],
        )
    run = run_scenario(scenario, actor=crowd["broker"])
    accept_match(run.matches.exclude(need_school=crowd["ash"]).first(), actor=crowd["broker"])
    assert filtered_queries(client, crowd, scenario) == few
