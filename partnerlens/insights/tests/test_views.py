"""Insights pages: who may see what, what the page shows, and how many queries it costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerlens.audit.models import AuditEvent
from partnerlens.enquiries.models import CycleState
from partnerlens.insights import urls as insight_urls
from partnerlens.insights.charts.text import SUPPRESSED
from partnerlens.insights.models import InsightSettings
from partnerlens.insights.tests.helpers import SMALL_TEACHER_SCHOOL

# Who gets what on each page of a PUBLISHED cycle (302 = sent to sign in).
EXPECTED = {
    "cycle_list": {None: 302, "outsider": 404, "lead_b": 404, "teacher_a": 200, "lead_a": 200},
    "settings": {None: 302, "outsider": 404, "lead_b": 404, "teacher_a": 403, "lead_a": 200},
    "dashboard": {None: 302, "outsider": 404, "lead_b": 404, "teacher_a": 200, "lead_a": 200},
    "download": {None: 302, "outsider": 404, "lead_b": 404, "teacher_a": 200, "lead_a": 200},
    "download_status": {
        None: 302,
        "outsider": 404,
        "lead_b": 404,
        "teacher_a": 200,
        "lead_a": 200,
    },
    # POST only ("Try again"); who may post is in test_release_queue and tests/test_personas
    "release_retry": {None: 302, "outsider": 405, "lead_b": 405, "teacher_a": 405, "lead_a": 405},
}


def url_for(name: str, filled, identifier: str = "csv") -> str:
    partnership = filled.cycle.partnership_id
    arguments = {
        "cycle_list": [partnership],
        "settings": [partnership],
        "dashboard": [filled.cycle.pk],
        "download": [filled.cycle.pk, identifier],
        "download_status": [filled.cycle.pk, "pdf"],
        "release_retry": [filled.cycle.pk],
    }[name]
    return reverse(f"insights:{name}", args=arguments)


def test_the_permission_table_covers_every_insights_url():
    assert {p.name for p in insight_urls.urlpatterns} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("persona", [None, "outsider", "lead_b", "teacher_a", "lead_a"])
def test_each_page_lets_in_exactly_the_right_people(client, filled_cycle, name, persona):
    if persona:
        client.force_login(filled_cycle.people[persona])
    response = client.get(url_for(name, filled_cycle))
    assert response.status_code == EXPECTED[name][persona]


@pytest.mark.parametrize(("persona", "status"), [("teacher_a", 403), ("lead_a", 200)])
def test_a_closed_cycle_shows_its_results_to_leads_only(client, filled_cycle, persona, status):
    filled_cycle.cycle.state = CycleState.CLOSED
    filled_cycle.cycle.save(update_fields=["state"])
    client.force_login(filled_cycle.people[persona])
    assert client.get(url_for("dashboard", filled_cycle)).status_code == status
    assert client.get(url_for("download", filled_cycle, "pdf")).status_code == status


def test_an_open_cycle_has_no_results_page(client, filled_cycle):
    filled_cycle.cycle.state = CycleState.OPEN
    filled_cycle.cycle.save(update_fields=["state"])
    client.force_login(filled_cycle.people["lead_a"])
    assert client.get(url_for("dashboard", filled_cycle)).status_code == 404


def test_the_partnership_page_links_to_its_results(client, personas):
    partnership = personas["a"]
    client.force_login(personas["teacher_a"])
    page = client.get(reverse("directory:partnership_detail", args=[partnership.pk]))
    assert page.status_code == 200
    link = reverse("insights:cycle_list", args=[partnership.pk])
    assert f'href="{link}"' in page.content.decode()
    assert "Results" in page.content.decode()


def test_an_unknown_download_is_not_found(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    assert client.get(url_for("download", filled_cycle, "docx")).status_code == 404


def test_the_dashboard_shows_charts_with_tables_and_hides_small_groups(client, filled_cycle):
    client.force_login(filled_cycle.people["teacher_a"])
    page = client.get(url_for("dashboard", filled_cycle)).content.decode()
    assert "What this tells us" in page
    assert page.count('role="img"') == 3  # scores, roles, relationships
    assert page.count("<table") >= page.count("<figure")
    assert SUPPRESSED in page
    # The Hilltop row of the organisation table never carries a number.
    start = page.index(f'<th scope="row" class="govuk-table__header">{SMALL_TEACHER_SCHOOL}</th>')
    row = page[start : page.index("</tr>", start)]
    assert SUPPRESSED in row and not any(ch.isdigit() for ch in row.replace("govuk", ""))


def test_the_dashboard_costs_a_fixed_number_of_queries(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    url = url_for("dashboard", filled_cycle)
    client.get(url)  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # the seventh reads the release job's status ("Results are being prepared")
    assert len(queries) == 7, [q["sql"][:120] for q in queries]


def test_a_lead_raises_the_minimum_group_size_and_it_is_audited(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    response = client.post(
        url_for("settings", filled_cycle),
        {"min_group_size": "7", "min_parent_group_size": "12", "share_benchmarks": "yes"},
    )
    assert response.status_code == 302
    saved = InsightSettings.objects.get(partnership=filled_cycle.cycle.partnership)
    assert (saved.min_group_size, saved.min_parent_group_size, saved.share_benchmarks) == (
        7,
        12,
        True,
    )
    assert AuditEvent.objects.filter(verb="insights.settings_changed").count() == 1
    page = client.get(url_for("dashboard", filled_cycle)).content.decode()
    assert "at least 7 people" in page


def test_the_minimum_group_size_can_never_go_below_three(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    response = client.post(
        url_for("settings", filled_cycle),
        {"min_group_size": "2", "min_parent_group_size": "10", "share_benchmarks": "no"},
    )
    assert response.status_code == 200
    assert "must be 3 or more" in response.content.decode()
    assert not InsightSettings.objects.filter(partnership=filled_cycle.cycle.partnership).exists()


def test_the_csv_download_is_an_attachment(client, filled_cycle):
    client.force_login(filled_cycle.people["teacher_a"])
    response = client.get(url_for("download", filled_cycle, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="northside-cluster')
    assert SUPPRESSED in response.content.decode("utf-8-sig")
