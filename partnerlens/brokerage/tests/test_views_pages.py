"""What the brokerage pages show, and that the review page's queries do not grow with it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerlens.brokerage.models import AreaAssessment, SupportRelationship
from partnerlens.brokerage.services.matches import pin_match
from partnerlens.brokerage.services.profiles import adjust_assessment, save_areas
from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
from partnerlens.directory.models import Membership, Phase


def review_url(cluster, scenario):
    return reverse(
        "brokerage:scenario_detail", kwargs={"pk": cluster["a"].pk, "scenario_pk": scenario.pk}
    )


def test_the_review_page_lists_pairs_and_plots_them_accessibly(client, cluster, scenario):
    run_scenario(scenario, actor=cluster["broker"])
    client.force_login(cluster["broker"])
    html = client.get(review_url(cluster, scenario)).content.decode()
    svg = re.search(r'<svg role="img" aria-labelledby="plot-title plot-desc".*?</svg>', html, re.S)
    svg = svg.group(0)
    assert '<title id="plot-title">' in svg and '<desc id="plot-desc">' in svg
    assert svg.count("<circle") == 2  # Ash and Birch: needs
    assert svg.count("<rect") == 2  # Cedar and Damson: supporters
    assert svg.count("<line") == 2 and 'stroke-dasharray="6 4"' in svg  # pending: dashed
    assert "2 of 2 needs met" in html
    assert "Cedar Primary" in html and "1.0 km" in html
    assert "Evidence of expertise:" in html and "Maths hub lead school" in html


def decide_url(proposal, action: str) -> str:
    scenario = proposal.run.scenario
    return reverse(
        "brokerage:match_decide",
        kwargs={
            "pk": scenario.partnership_id,
            "scenario_pk": scenario.pk,
            "proposal_pk": proposal.pk,
            "action": action,
        },
    )


def test_accepting_through_the_page_starts_support_and_redraws_the_line(client, cluster, scenario):
    run = run_scenario(scenario, actor=cluster["broker"])
    proposal = run.matches.get(need_school=cluster["ash"])
    client.force_login(cluster["lead_a"])
    url = reverse(
        "brokerage:match_accept",
        kwargs={"pk": cluster["a"].pk, "scenario_pk": scenario.pk, "proposal_pk": proposal.pk},
    )
    assert client.post(url, follow=True).status_code == 200
    assert SupportRelationship.objects.get().supported == cluster["ash"]
    html = client.get(review_url(cluster, scenario)).content.decode()
    assert re.search(r'<line [^>]*stroke-width="2"><title>Cedar Primary → Ash Primary', html)


def test_the_review_page_links_to_the_accept_confirmation_not_a_one_click_form(
    client, cluster, scenario
):
    run = run_scenario(scenario, actor=cluster["broker"])
    client.force_login(cluster["broker"])
    html = client.get(review_url(cluster, scenario)).content.decode()
    accept = decide_url(run.matches.get(need_school=cluster["ash"]), "accept")
    assert f'href="{accept}"' in html
    assert f'action="{accept}"' not in html
    assert f'action="{decide_url(run.matches.get(need_school=cluster["ash"]), "reject")}"' in html
    assert not SupportRelationship.objects.exists()


def test_an_unknown_decision_is_not_found(client, cluster, scenario):
    run = run_scenario(scenario, actor=cluster["broker"])
    client.force_login(cluster["broker"])
    assert client.post(decide_url(run.matches.first(), "approve")).status_code == 404


def test_a_run_that_cannot_honour_a_pin_says_so_by_name(client, cluster, scenario):
    run = run_scenario(scenario, actor=cluster["broker"])
    pin_match(run.matches.get(need_school=cluster["ash"]), actor=cluster["broker"])
    Membership.objects.filter(organisation=cluster["cedar"]).update(left="2020-01-01")
    client.force_login(cluster["broker"])
    url = reverse(
        "brokerage:scenario_run", kwargs={"pk": cluster["a"].pk, "scenario_pk": scenario.pk}
    )
    html = client.post(url, follow=True).content.decode()
    assert "The pin of Cedar Primary supporting Ash Primary (Mathematics) cannot be used" in html
    assert scenario.runs.count() == 1


def test_an_adjustment_without_a_reason_is_refused_on_the_form(client, cluster):
    client.force_login(cluster["broker"])
    url = reverse(
        "brokerage:assessment_adjust",
        kwargs={"pk": cluster["a"].pk, "school_pk": cluster["ash"].pk, "area": "maths"},
    )
    response = client.post(url, {"need_level": "1", "expertise_level": "0", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason for the adjustment." in response.content.decode()
    assert AreaAssessment.objects.get(organisation=cluster["ash"], area="maths").need_level == 3


def test_an_area_outside_the_partnerships_choice_is_not_found(client, cluster):
    save_areas(cluster["a"], ["maths"], actor=cluster["broker"])
    client.force_login(cluster["broker"])
    url = reverse(
        "brokerage:assessment_adjust",
        kwargs={"pk": cluster["a"].pk, "school_pk": cluster["ash"].pk, "area": "send"},
    )
    assert client.get(url).status_code == 404


def queries_for_review(client, cluster, scenario):
    run_scenario(scenario, actor=cluster["broker"])
    client.force_login(cluster["broker"])
    url = review_url(cluster, scenario)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("extra_needs", [0, 8])
def test_the_review_page_runs_a_fixed_number_of_queries(
    client, cluster, scenario, make_school, extra_needs
):
    for number in range(extra_needs):
        school = make_school(
            f"Extra {number} Primary",
            phase=Phase.PRIMARY,
            easting=400_500 + number * 300,
            northing=301_000,
            pupils=250,
            fsm_pct=30.0,
        )
        Membership.objects.create(partnership=cluster["a"], organisation=school)
        adjust_assessment(
            cluster["a"],
            school,
            "maths",
            need_level=1,
            expertise_level=0,
            reason="Review",
            actor=cluster["broker"],
        )
    # Pinned at 13: session, user, the user's two-factor devices, the partnership with the
    # user's roles (one access query), scenario, latest run, the run's status in the task
    # queue (ScenarioJob), partnership areas, proposals with
    # both schools, unmet needs (both read once: filters, sorting and pages work on them in
    # Python), the outcome data's age, pins, exclusions.
    assert queries_for_review(client, cluster, scenario) == 13
    if extra_needs:
        assert scenario.runs.get().unmet.count() == extra_needs


def test_the_scenario_page_names_areas_in_words_not_codes(client, cluster):
    from partnerlens.brokerage.models import area_label

    scenario = create_scenario(
        cluster["a"],
        name="Attendance round",
        areas=["behaviour_attendance", "send"],
        max_km=25,
        actor=cluster["broker"],
    )
    client.force_login(cluster["broker"])
    page = client.get(
        reverse("brokerage:scenario_detail", args=[cluster["a"].pk, scenario.pk])
    ).content.decode()
    assert area_label("behaviour_attendance") in page
    assert "behaviour_attendance" not in page


def test_a_scenario_is_named_in_both_languages_and_a_welsh_reader_sees_the_welsh(client, cluster):
    client.force_login(cluster["broker"])
    url = reverse("brokerage:scenario_create", kwargs={"pk": cluster["a"].pk})
    response = client.post(
        url, {"name": "Maths support", "name_cy": "Cymorth mathemateg", "max_km": "20"}
    )
    assert response.status_code == 302
    scenario = cluster["a"].scenarios.get()
    assert (scenario.name, scenario.name_cy) == ("Maths support", "Cymorth mathemateg")
    with translation.override("cy"):
        page = client.get(review_url(cluster, scenario))
    assert '<h1 class="govuk-heading-l">Cymorth mathemateg</h1>' in page.content.decode()
    english = client.get(review_url(cluster, scenario))
    assert '<h1 class="govuk-heading-l">Maths support</h1>' in english.content.decode()


def test_a_scenario_without_welsh_shows_its_english_marked_for_a_welsh_reader(
    client, cluster, scenario
):
    client.force_login(cluster["broker"])
    with translation.override("cy"):
        page = client.get(review_url(cluster, scenario)).content.decode()
    assert '<span lang="en">Maths support 2025</span>' in page
