"""The impact pages: who sees them and who runs them, the forms, and the pages' content."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerlens.directory.access import get_access
from partnerlens.directory.models import PartnershipRole
from partnerlens.directory.sections import links_for
from partnerlens.impact import charts
from partnerlens.impact.estimates import create_estimate, register
from partnerlens.impact.models import Estimate, Registration
from partnerlens.impact.tests import estimate_world as ew

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = ew.build(treated=6, comparison=60, effect=0.4)
    other = ew.build(treated=5, comparison=0, urn_base=600_000)
    registration = register(
        w["partnership"],
        question="Will more pupils reach the expected standard?",
        measure=ew.MEASURE,
        schools=w["treated"],
        start_year=ew.START,
        actor=w["lead"],
    )
    estimate = create_estimate(
        w["partnership"],
        measure=ew.MEASURE,
        schools=w["treated"],
        start_year=ew.START,
        registration=registration,
        actor=w["lead"],
    )
    estimate.refresh_from_db()
    return {**w, "other": other, "registration": registration, "estimate": estimate}


def _pages(w) -> dict[str, tuple[str, bool]]:
    """Each address of A's, and whether it is for runners only."""
    pk = w["partnership"].pk
    return {
        "home": (reverse("impact:home", args=[pk]), False),
        "registration": (reverse("impact:registration", args=[pk, w["registration"].pk]), False),
        "estimate": (reverse("impact:estimate", args=[pk, w["estimate"].pk]), False),
        "family": (reverse("impact:family", args=[pk, w["estimate"].group_id]), False),
        "register": (reverse("impact:registration_create", args=[pk]), True),
        "new": (reverse("impact:estimate_create", args=[pk]), True),
    }


def test_the_partnership_page_links_to_impact(world):
    access = get_access(world["lead"], world["partnership"])
    labels = [str(link["label"]) for link in links_for(access)]
    assert "Impact on pupils" in labels


def test_leaders_and_governors_see_the_pages_and_only_leads_run(client, world):
    for name, (url, runners_only) in _pages(world).items():
        client.force_login(world["governor"])
        assert client.get(url).status_code == (403 if runners_only else 200), name
        client.force_login(world["lead"])
        assert client.get(url).status_code == 200, name


def test_teachers_are_refused_and_outsiders_told_nothing_is_there(client, world):
    outsider = world["other"]["lead"]
    for name, (url, _runners_only) in _pages(world).items():
        client.force_login(world["teacher"])
        assert client.get(url).status_code == 403, name
        client.force_login(outsider)
        assert client.get(url).status_code == 404, name
        client.logout()
        assert client.get(url).status_code == 302, name


def test_another_partnerships_objects_are_not_found_through_ones_own(client, world):
    other = world["other"]
    client.force_login(other["lead"])
    pk = other["partnership"].pk
    for url in (
        reverse("impact:registration", args=[pk, world["registration"].pk]),
        reverse("impact:estimate", args=[pk, world["estimate"].pk]),
        reverse("impact:family", args=[pk, world["estimate"].group_id]),
        reverse("impact:estimate_create", args=[pk]) + f"?registration={world['registration'].pk}",
    ):
        assert client.get(url).status_code == 404, url
    run = reverse("impact:estimate_run", args=[pk, world["estimate"].pk])
    assert client.post(run).status_code == 404
    assert world["estimate"].job.generation == 1


def test_a_governor_may_not_run_an_estimate_again(client, world):
    client.force_login(world["governor"])
    pk = world["partnership"].pk
    assert (
        client.post(reverse("impact:estimate_run", args=[pk, world["estimate"].pk])).status_code
        == 403
    )
    world["estimate"].job.refresh_from_db()
    assert world["estimate"].job.generation == 1


def test_the_lead_registers_through_the_form(client, world):
    client.force_login(world["lead"])
    url = reverse("impact:registration_create", args=[world["partnership"].pk])
    page = client.get(url).content.decode()
    assert "Register and lock" in page and "Partner School 000" in page
    data = {
        "question": "A fydd presenoldeb yn gwella?",
        "measure": ew.MEASURE,
        "schools": world["treated"][:5],
        "start_year": ew.START,
    }
    response = client.post(url, data)
    registration = Registration.objects.get(question=data["question"])
    assert response.status_code == 302 and response["Location"].endswith(
        f"/registrations/{registration.pk}/"
    )
    refused = client.post(url, {**data, "schools": [world["other"]["treated"][0]]})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_the_estimate_form_fills_in_the_registration(client, world):
    client.force_login(world["lead"])
    url = reverse("impact:estimate_create", args=[world["partnership"].pk])
    html = client.get(f"{url}?registration={world['registration'].pk}").content.decode()
    assert "Filled in from the registration of" in html
    response = client.post(
        f"{url}?registration={world['registration'].pk}",
        {"measure": ew.MEASURE, "schools": world["treated"], "start_year": ew.START},
    )
    made = Estimate.objects.exclude(pk=world["estimate"].pk).get()
    assert response.status_code == 302 and made.registration == world["registration"]
    assert made.result["registration"] == "registered"


def test_the_estimate_page_shows_the_result_chart_table_and_registration(client, world):
    client.force_login(world["governor"])
    estimate = world["estimate"]
    html = client.get(reverse("impact:estimate", args=[world["partnership"].pk, estimate.pk]))
    html = html.content.decode()
    assert "matches the registration" in html and "Estimated effect" in html
    assert html.count("<circle") >= ew.START_INDEX - 1  # the years before: hollow circles
    for row in estimate.result["event_study"]:
        assert f"{row['coef']:.2f}" in html
    assert "Run again" not in html  # governors see, leads run


def test_the_family_page_lists_each_school_distance_and_balance(client, world):
    client.force_login(world["lead"])
    group = world["estimate"].group
    html = client.get(reverse("impact:family", args=[world["partnership"].pk, group.pk]))
    html = html.content.decode()
    nearest = group.members.order_by("rank").select_related("member").first()
    assert nearest.member.name in html and f"{nearest.distance:.3f}" in html
    assert "Partner School 000: Matched" in html and 'id="balance"' in html
    assert "Families overlap" in html


def test_the_pages_are_served_in_welsh(client, world):
    client.force_login(world["lead"])
    with translation.override("cy"):
        pages = _pages(world)
    for name, (url, _runners_only) in pages.items():
        assert url.startswith("/cy/"), url
        response = client.get(url)
        assert response.status_code == 200 and 'lang="cy"' in response.content.decode(), name


def test_a_lapsed_lead_is_refused(client, world):
    PartnershipRole.objects.filter(user=world["lead"]).update(ended="2020-01-01")
    client.force_login(world["lead"])
    assert client.get(reverse("impact:home", args=[world["partnership"].pk])).status_code == 404


def test_the_chart_puts_the_years_in_order_with_the_start_between_minus_one_and_zero():
    rows = [
        {"relative_year": 1, "coef": 2.0, "low": 1.0, "high": 3.0},
        {"relative_year": -2, "coef": -0.5, "low": -1.5, "high": 0.5},
        {"relative_year": -1, "coef": 0.0, "low": 0.0, "high": 0.0},
        {"relative_year": 0, "coef": 1.0, "low": None, "high": None},
    ]
    chart = charts.event_study(rows)
    xs = [p["x"] for p in chart["points"]]
    assert [p["relative_year"] for p in chart["points"]] == [-2, -1, 0, 1] and xs == sorted(xs)
    assert xs[1] < chart["start_x"] < xs[2]
    assert [p["before"] for p in chart["points"]] == [True, True, False, False]
    ys = {p["relative_year"]: p["y"] for p in chart["points"]}
    assert ys[1] < ys[0] < ys[-1] == chart["zero_y"] < ys[-2]  # SVG y grows downwards
    assert chart["points"][2]["y_low"] is None
    ticks = [t["value"] for t in chart["y_ticks"]]
    assert ticks[0] <= -1.5 and ticks[-1] >= 3.0
    assert chart["left"] < xs[0] and xs[-1] < chart["right"]  # no point on the frame
    tall = charts.event_study([{"relative_year": 0, "coef": 16.0, "low": 2.0, "high": 23.4}])
    assert tall["y_ticks"][-1]["value"] >= 23.4 and tall["y_ticks"][0]["value"] <= 0
    assert all(tall["top"] <= p["y_high"] for p in tall["points"])
    assert charts.event_study([]) is None
    assert charts.event_study([{"relative_year": 0, "coef": float("nan")}]) is None


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_cost_the_same_with_more_on_them(client, world):
    client.force_login(world["lead"])
    pk = world["partnership"].pk
    home = reverse("impact:home", args=[pk])
    family = reverse("impact:family", args=[pk, world["estimate"].group_id])
    before = (_queries(client, home), _queries(client, family))
    for start in (ew.START - 1, ew.START + 1):
        registration = register(
            world["partnership"],
            question=f"From {start}?",
            measure=ew.MEASURE,
            schools=world["treated"],
            start_year=start,
            actor=world["lead"],
        )
        create_estimate(
            world["partnership"],
            measure=ew.MEASURE,
            schools=world["treated"],
            start_year=start,
            registration=registration,
            actor=world["lead"],
        )
    assert Estimate.objects.count() == 3 and Registration.objects.count() == 3
    assert (_queries(client, home), _queries(client, family)) == before
