"""The pages of a large scope stay quick: the picture and its table draw the partnership's
neighbourhood, the table comes a page at a time, and a profile reads one organisation's
entries, never whole snapshots (issue 15; timed by ``bench/network_service.py``)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from partnerlens.directory.models import Membership, Partnership, PartnershipKind
from partnerlens.network import presenting
from partnerlens.network.models import SnapshotEntry
from partnerlens.network.services import compute_snapshot
from partnerlens.network.snapshots import top_betweenness
from partnerlens.network.tests.world import MANCHESTER

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def wider(network_world, make_school):
    """The network world with, in Manchester, a school with no tie at all and a trust of two
    schools tied to each other but to no member of A."""
    w = network_world
    alone = make_school("Alone Primary", **MANCHESTER)
    pair = [make_school(f"Pair School {n}", **MANCHESTER) for n in (1, 2)]
    trust = Partnership.objects.create(
        name="Pair Trust", kind=PartnershipKind.MAT, gias_group_uid=4002
    )
    for school in pair:
        Membership.objects.create(partnership=trust, organisation=school)
    return {**w, "alone": alone, "pair": pair, "snapshot": compute_snapshot(w["a"])}


def test_only_members_and_those_tied_to_a_member_are_drawn_the_rest_are_counted(client, wider):
    snapshot = wider["snapshot"]
    far = {wider["alone"].pk, *(school.pk for school in wider["pair"])}
    assert far <= {row["id"] for row in snapshot.organisations}  # in scope, all three
    client.force_login(wider["lead_a"])
    html = client.get(reverse("network:home", args=[wider["a"].pk])).content.decode()
    for org_id in far:
        assert f'id="node-{org_id}"' not in html
    assert "Alone Primary" not in html and "Pair School" not in html  # nor in the table
    drawn = re.findall(r'id="node-(\d+)"', html)
    text = _text(client.get(reverse("network:home", args=[wider["a"].pk])))
    in_scope = len(snapshot.organisations)
    assert f"{len(drawn)} of the {in_scope} organisations in scope" in text
    assert len(drawn) == in_scope - 3
    isolated = _text(client.get(reverse("network:isolated", args=[wider["a"].pk]) + "?la=352"))
    assert "Alone Primary" in isolated  # working alone: listed where the reader is sent


def test_the_neighbourhood_keeps_every_tie_among_its_organisations(wider):
    snapshot = wider["snapshot"]
    near, ties = presenting.neighbourhood(snapshot)
    members = {row["id"] for row in snapshot.organisations if row["member"]}
    assert members <= near and wider["lonely"].pk in near  # tied to Hilltop, a member
    pair = {school.pk for school in wider["pair"]}
    assert not pair & near
    assert ties == [t for t in snapshot.ties if t["a"] in near and t["b"] in near]
    assert any(t["a"] not in members and t["b"] not in members for t in snapshot.ties)


def test_the_table_of_ties_comes_a_page_at_a_time_keeping_the_day_and_the_view(
    client, wider, monkeypatch
):
    monkeypatch.setattr(presenting, "TIES_PER_PAGE", 2)
    snapshot = wider["snapshot"]
    _near, ties = presenting.neighbourhood(snapshot)
    assert len(ties) > 2
    client.force_login(wider["lead_a"])
    home = reverse("network:home", args=[wider["a"].pk])
    first = client.get(f"{home}?view=map").content.decode()
    rows = re.compile(
        r'<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header"><a'
    )
    assert len(rows.findall(first)) == 2
    following = f"?snapshot={snapshot.pk}&amp;view=map&amp;page=2#ties-heading"
    assert f'href="{following}" rel="next"' in first
    second = client.get(f"{home}?snapshot={snapshot.pk}&view=map&page=2")
    text = _text(second)
    assert f"Ties 3 to {min(4, len(ties))} of {len(ties)}; page 2 of" in text
    assert 'rel="prev"' in second.content.decode()
    assert "<strong>on a map</strong>" in second.content.decode()  # the view is kept
    beyond = _text(client.get(f"{home}?page=999"))  # the last page, not an error
    assert f"of {len(ties)}; page {(len(ties) + 1) // 2} of {(len(ties) + 1) // 2}." in beyond


def test_each_organisation_is_stored_as_an_entry_with_its_own_ties(wider):
    snapshot = wider["snapshot"]
    entries = {e.organisation_id: e for e in SnapshotEntry.objects.filter(snapshot=snapshot)}
    assert set(entries) == {row["id"] for row in snapshot.organisations}
    hilltop = wider["hilltop"].pk
    assert entries[hilltop].row == snapshot.organisation(hilltop)
    assert entries[hilltop].ties == snapshot.ties_of(hilltop)
    assert entries[wider["alone"].pk].ties == []


@pytest.mark.parametrize("stored", [1, 4])
def test_the_profile_reads_entries_in_the_same_queries_however_many_days_are_stored(
    client, wider, django_assert_num_queries, stored
):
    for year in range(2021, 2021 + stored - 1):
        compute_snapshot(wider["a"], on=dt.date(year, 1, 1))
    client.force_login(wider["lead_a"])
    url = reverse("network:organisation", args=[wider["a"].pk, wider["hilltop"].pk])
    client.get(url)  # the session is warm
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert "Lonely Primary" in _text(response)  # a partner's name, from its entry


def test_the_history_lists_the_organisation_on_each_stored_day_newest_first(wider):
    compute_snapshot(wider["a"], on=dt.date(2021, 1, 1))
    compute_snapshot(wider["a"], on=dt.date(2019, 6, 1))
    rows = presenting.history(wider["a"], wider["hilltop"].pk)
    assert [row["on"] for row in rows] == [
        wider["snapshot"].on,
        dt.date(2021, 1, 1),
        dt.date(2019, 6, 1),
    ]
    assert rows[0]["partners"] > rows[1]["partners"]  # the trust came after 2021
    assert presenting.history(wider["a"], wider["faraway"].pk) == []  # never in A's scope
    assert presenting.history(wider["b"], wider["hilltop"].pk) == []  # nor B's snapshots


def test_the_top_tenth_of_betweenness_is_kept_with_the_figures(wider):
    assert top_betweenness([None, 0.9, 0.5] + [0.1] * 18) == 0.5  # 20 known: the 2nd
    assert top_betweenness([0.9, 0.5, 0.4] + [0.1] * 18) == 0.4  # 21: ceil(2.1), the 3rd
    assert top_betweenness([3.0, 1.0, None]) == 3.0
    assert top_betweenness([None]) is None
    snapshot = wider["snapshot"]
    values = [row["betweenness"] for row in snapshot.organisations]
    assert snapshot.figures["betweenness_top"] == top_betweenness(values)
