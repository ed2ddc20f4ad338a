"""The open link's rate limit and count, and the lead's protected response-rate table."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection

from partnerlens.directory.models import Role
from partnerlens.enquiries import disclosure
from partnerlens.enquiries.models import Response
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import (
    start_open_link_response,
    start_or_resume_response,
    submit_response,
)
from partnerlens.enquiries.summaries import progress_of
from partnerlens.enquiries.tests.conftest import answer_everything, link_from


def insight_settings(partnership, minimum: int):
    """The partnership's insights settings (looked up, not imported: enquiries sits below
    insights, whose provider supplies the minimum)."""
    model = apps.get_model("insights", "InsightSettings")
    return model.objects.create(partnership=partnership, min_group_size=minimum)


@pytest.fixture(autouse=True)
def _fresh_counts(db):  # the counts live in the database cache
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public(make_cycle, cluster):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    return cycle, create_open_link(cycle, actor=cluster["lead_a"])


def start(client, token: str, address: str, prefix: str = ""):
    return client.post(f"{prefix}/enquiries/p/{token}/", {"role": "teacher"}, REMOTE_ADDR=address)


def test_too_many_starts_from_one_address_get_a_friendly_429(public, client, settings):
    settings.OPEN_LINK_STARTS_PER_ADDRESS = 2
    settings.OPEN_LINK_STARTS_PER_CYCLE = 3
    cycle, token = public
    assert [start(client, token, "10.0.0.1").status_code for _ in range(2)] == [302, 302]
    refused = start(client, token, "10.0.0.1")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many responses started" in refused.text
    assert "ask your partnership lead for a personal invitation" in refused.text
    welsh = start(client, token, "10.0.0.1", prefix="/cy")
    assert welsh.status_code == 429 and 'lang="cy"' in welsh.text
    assert Response.objects.filter(cycle=cycle).count() == 2
    # The refusals did not use up the cycle's allowance: another address still gets in.
    assert start(client, token, "10.0.0.2").status_code == 302


def test_a_cycle_limits_starts_across_all_addresses(public, client, settings):
    settings.OPEN_LINK_STARTS_PER_CYCLE = 3
    _cycle, token = public
    codes = [start(client, token, f"10.0.1.{n}").status_code for n in range(4)]
    assert codes == [302, 302, 302, 429]


def test_the_cache_never_holds_a_client_address(public, client):
    _cycle, token = public
    start(client, token, "192.0.2.77")
    with connection.cursor() as cursor:  # the database cache (settings.CACHES)
        cursor.execute("SELECT cache_key FROM partnerlens_cache")
        keys = [key for (key,) in cursor.fetchall()]
    assert keys and not any("192.0.2.77" in key for key in keys)


def test_the_lead_sees_open_link_responses_counted_as_their_own_group(public, client, cluster):
    cycle, token = public
    response, own = start_open_link_response(token, role=Role.TEACHER, organisation=None)
    answer_everything(response)
    submit_response(response, token=own)
    client.force_login(cluster["lead_a"])
    page = client.get(f"/enquiries/cycles/{cycle.pk}/")
    assert "1 response came in through the open link." in page.text
    assert "reported as a group of their own" in page.text


def test_one_person_in_a_named_cycle_never_shows_as_1_of_1(
    make_cycle, invite, cluster, smtp_server, client
):
    cycle = make_cycle("named")
    invite(cycle, ("gwen@example.org", Role.HEADTEACHER, 2, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    token = link_from(smtp_server.body(smtp_server.to("gwen@example.org")[0]))
    response = start_or_resume_response(token)
    answer_everything(response)
    submit_response(response, token=token)
    client.force_login(cluster["lead_a"])
    page = client.get(f"/enquiries/cycles/{cycle.pk}/")
    table = page.text[page.text.index('id="rate-table"') :]
    assert "1 of 1" not in page.text
    assert 'numeric">1</td>' in table  # invited: the lead's own list
    assert "people invited. How many have submitted is shown once" in page.text
    progress = progress_of(cycle)
    assert all(row.figure.submitted is None for row in progress.rows)


def test_anonymous_counts_come_from_responses_and_only_for_large_groups(
    make_cycle, invite, cluster, smtp_server
):
    insight_settings(cluster["a"], 3)
    cycle = make_cycle("anonymous")
    people = [(f"t{n}@example.org", Role.TEACHER, n % 2, "en") for n in range(8)]
    invite(cycle, *people)
    open_cycle(cycle, actor=cluster["lead_a"])
    for email, *_ in people[:4]:
        token = link_from(smtp_server.body(smtp_server.to(email)[0]))
        response = start_or_resume_response(token)
        answer_everything(response)
        submit_response(response, token=token)
    progress = progress_of(cycle)
    assert progress.minimum == 3
    assert (progress.overall.invited, progress.overall.submitted) == (8, 4)
    assert progress.percent == 50
    by_place = {(row.role, row.organisation): row.figure for row in progress.rows}
    schools = [s.name for s in cluster["schools"][:2]]
    for school in schools:  # one role in one organisation: never a submitted count
        assert by_place[("Teacher", school)].submitted is None
        assert by_place[("All roles", school)].submitted is None  # equals that cell
    assert by_place[("Teacher", "All organisations")].submitted == 4


def test_the_minimum_comes_from_the_partnership_and_never_drops_below_three(
    make_cycle, cluster, monkeypatch
):
    cycle = make_cycle()
    assert disclosure.minimum_group_size(cycle) == 5
    insight_settings(cluster["a"], 8)
    assert disclosure.minimum_group_size(cycle) == 8
    monkeypatch.setattr(disclosure, "_provider", lambda cycle: 1)
    assert disclosure.minimum_group_size(cycle) == 3
    monkeypatch.setattr(disclosure, "_provider", None)
    assert disclosure.minimum_group_size(cycle) == disclosure.DEFAULT_MINIMUM
