"""The loader on the small named world (world.py): what is in scope, which ties the network
of a partnership holds, and that it never holds another partnership's private ties."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from partnerlens.directory.models import Membership, Partnership, PartnershipKind
from partnerlens.network.loaders import LEVEL_BY_KIND
from partnerlens.network.services import compute_snapshot
from partnerlens.network.tests.world import SUPPORT_STARTED, TRUST_JOINED

pytestmark = pytest.mark.django_db


def tie(snapshot, one, other) -> dict | None:
    a, b = sorted([one.pk, other.pk])
    return next((t for t in snapshot.ties if (t["a"], t["b"]) == (a, b)), None)


def names(snapshot) -> set[str]:
    return {row["name"] for row in snapshot.organisations}


def test_the_scope_is_the_members_and_the_open_schools_of_their_areas(network_world):
    snapshot = compute_snapshot(network_world["a"])
    assert names(snapshot) == {
        "Northside Primary",
        "Riverside Infants",
        "Hilltop High",
        "Riverside Youth Club",
        "Lonely Primary",
    }
    members = {row["name"] for row in snapshot.organisations if row["member"]}
    assert "Lonely Primary" not in members and "Riverside Youth Club" in members
    club = snapshot.organisation(network_world["club"].pk)
    assert club["kind"] == "other" and club["la_code"] == ""


def test_a_public_trust_ties_its_schools_as_collaboration_from_the_day_they_joined(
    network_world,
):
    w = network_world
    snapshot = compute_snapshot(w["a"])
    found = tie(snapshot, w["hilltop"], w["lonely"])
    assert found["level"] == "collaboration"
    assert found["sources"] == ["membership"]
    assert found["partnership_kinds"] == ["mat"]
    assert found["start"] == TRUST_JOINED.isoformat()
    before = compute_snapshot(w["a"], TRUST_JOINED - dt.timedelta(days=1))
    assert tie(before, w["hilltop"], w["lonely"]) is None
    assert before.organisation(w["lonely"].pk)["isolation"] == "no_tie"


def test_another_partnerships_private_memberships_and_support_are_not_in_the_network(
    network_world,
):
    w = network_world
    snapshot = compute_snapshot(w["a"])
    # B (private) holds Lonely Primary and Riverside Infants, and one supports the other.
    assert tie(snapshot, w["lonely"], w["riverside"]) is None
    lonely = snapshot.organisation(w["lonely"].pk)
    assert lonely["partnerships"] == 1 and lonely["type_codes"] == ["mat"]
    assert lonely["partners"] == 1  # Hilltop High, through the public trust only


def test_a_partnerships_own_answers_and_support_are_not_in_another_partnerships_network(
    network_world,
):
    w = network_world
    theirs = compute_snapshot(w["b"])
    assert "Northside Primary" in names(theirs)  # a Manchester school: in B's scope too
    assert tie(theirs, w["northside"], w["riverside"]) is None  # A's answers and support
    assert tie(theirs, w["northside"], w["hilltop"]) is None
    own = tie(theirs, w["lonely"], w["riverside"])
    assert own["sources"] == ["membership", "support"] and own["level"] == "cooperation"
    assert tie(theirs, w["hilltop"], w["lonely"])["sources"] == ["membership"]  # public


def test_each_sides_level_is_shown_only_when_both_sides_groups_reach_the_threshold(
    network_world,
):
    w = network_world
    snapshot = compute_snapshot(w["a"])
    # Five heads on each side: both sides are shown, and they disagree.
    both = tie(snapshot, w["northside"], w["riverside"])
    assert (both["a_says"], both["b_says"]) == ("collaboration", "networking")
    # Two teachers at Hilltop (k is 5): the pair's pooled level shows, neither side does.
    one = tie(snapshot, w["northside"], w["hilltop"])
    assert one["sources"] == ["membership", "relationship"]
    assert one["level"] == "collaboration"
    assert (one["a_says"], one["b_says"]) == (None, None)
    # Riverside's five say networking, Hilltop's two collaboration: the median is networking,
    # deeper than the membership of a cluster (co-ordination) is not.
    pooled = tie(snapshot, w["riverside"], w["hilltop"])
    assert pooled["level"] == "coordination" and pooled["a_says"] is None


def test_the_deepest_level_of_any_source_is_the_ties_level_and_every_source_is_named(
    network_world,
):
    w = network_world
    snapshot = compute_snapshot(w["a"])
    found = tie(snapshot, w["northside"], w["riverside"])
    assert found["sources"] == ["membership", "relationship", "support"]
    assert found["partnership_kinds"] == ["cluster"]
    assert found["level"] == "collaboration"  # Northside's own answer, the deepest
    assert found["start"] is None  # the cluster membership has no joining date on record


def test_support_is_co_operation_from_the_day_it_started(network_world):
    w = network_world
    before = compute_snapshot(w["a"], SUPPORT_STARTED - dt.timedelta(days=1))
    found = tie(before, w["northside"], w["riverside"])
    assert found["sources"] == ["membership"]  # no answers yet, no support yet
    assert found["level"] == "coordination"
    assert before.organisation(w["northside"].pk)["isolation"] == "no_deep_tie"
    after = compute_snapshot(w["a"], SUPPORT_STARTED)
    assert "support" in tie(after, w["northside"], w["riverside"])["sources"]


def test_answers_stand_from_the_release_until_the_next_cycle_asks_again(network_world):
    from partnerlens.insights.tests.helpers import fill_cycle
    from partnerlens.network.tests.world import PEOPLE

    w = network_world
    today = timezone.localdate()
    first = compute_snapshot(w["a"])
    assert tie(first, w["northside"], w["riverside"])["a_says"] == "collaboration"
    assert compute_snapshot(w["a"], today - dt.timedelta(days=1)).figures["answered"] == 0
    # A second cycle in which Northside's heads now say networking.
    again = [(PEOPLE[0][0], 0, 5, "leading", "5", "networking"), *PEOPLE[1:]]
    schools = [w["northside"], w["riverside"], w["hilltop"]]
    fill_cycle(w["a"], w["lead_a"], schools, w["cycle"].framework_version, again, title="Again")
    later = tie(compute_snapshot(w["a"]), w["northside"], w["riverside"])
    assert (later["a_says"], later["b_says"]) == ("networking", "networking")


def test_the_partnerships_figures_count_its_answers_beside_the_response_rate(network_world):
    w = network_world
    figures = compute_snapshot(w["a"]).figures
    assert figures["members"] == 4
    assert (figures["asked"], figures["answered"]) == (4, 3)  # the youth club did not answer
    assert figures["response_rate"] == 0.75
    assert sum(figures["depth"].values()) > 0
    assert figures["nodes"] == 5


def test_isolation_by_area_counts_the_areas_schools(network_world):
    w = network_world
    snapshot = compute_snapshot(w["a"], TRUST_JOINED - dt.timedelta(days=1))
    assert snapshot.areas == [
        {"la_code": "352", "la_name": "Manchester", "schools": 4, "no_tie": 1, "no_deep_tie": 3}
    ]


@pytest.mark.parametrize(
    ("kind", "level"),
    [
        (PartnershipKind.MAT, "collaboration"),
        (PartnershipKind.FEDERATION, "collaboration"),
        (PartnershipKind.SAT, "none"),
        (PartnershipKind.TEACHING_SCHOOL, "coordination"),
        (PartnershipKind.LA_PARTNERSHIP, "networking"),
        (PartnershipKind.CLUSTER, "coordination"),
        (PartnershipKind.NETWORK, "networking"),
        (PartnershipKind.CROSS_SECTOR, "networking"),
        (PartnershipKind.OTHER, "none"),
    ],
)
def test_a_shared_membership_means_the_level_of_its_partnerships_kind(kind, level, make_school):
    partnership = Partnership.objects.create(name="Pair", kind=kind)
    one, other = make_school("One Primary"), make_school("Other Primary")
    for school in (one, other):
        Membership.objects.create(partnership=partnership, organisation=school)
    snapshot = compute_snapshot(partnership)
    assert [(t["level"], t["partnership_kinds"]) for t in snapshot.ties] == [(level, [kind])]
    assert set(LEVEL_BY_KIND) == set(PartnershipKind)


def test_the_loader_reads_in_a_fixed_number_of_queries(
    network_world, django_assert_max_num_queries
):
    from partnerlens.network.loaders import load

    with django_assert_max_num_queries(12):
        loaded = load(network_world["a"], timezone.localdate())
    assert loaded.network.n_nodes == 5


def test_answers_through_the_open_link_never_complete_a_group(personas, make_school, make_user):
    from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework
    from partnerlens.network.tests import world

    w = world.build(personas, make_school, make_user, answered=False)
    schools = [w["northside"], w["riverside"], w["hilltop"]]
    version = make_results_framework("network-open-link")
    fill_cycle(w["a"], w["lead_a"], schools, version, world.PEOPLE, open_link=True)
    snapshot = compute_snapshot(w["a"])
    assert not any("relationship" in t["sources"] for t in snapshot.ties)
    assert snapshot.figures["answered"] == 3  # they did answer: the response rate counts them
