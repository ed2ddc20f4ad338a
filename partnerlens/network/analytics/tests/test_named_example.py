# ruff: noqa: RUF003  (mathematical notation in the hand workings)
"""Six schools, each named after a kind of partnership, with every figure worked out by hand.

    Trust (0) ─4─ Federation (1)      answers in the Cluster partnership (index 0), all four
    Trust (0) ─2/4─ Hub (2)           members asked; Trust, Federation and Hub answered,
    Federation (1) ─1─ Hub (2)        Cluster did not:
    Hub (2) ─1─ Cluster (3)             0→1 level 4 trust 5 value 4    1→0 level 4 trust 4 value 4
    Hub (2) ─3─ Alliance (4)            0→2 level 2 trust 3 value 3    2→0 level 4 trust 5 value 5
    Solo (5)  (alone)                   1→2 level 1 trust 2            2→3 level 1 trust 3
                                      Hub–Alliance: a support relationship at co-operation (3).
                                      Solo→Alliance level 3, 2023-09-01 to 2024-09-01 (ended).
Hub and Alliance also share a hub partnership (index 1, type 1; nobody asked); the cluster is
type 2. The ties here are answers and support only (no membership ties), on 2025-03-01.
Areas: Trust, Federation, Hub in area 10; Cluster, Alliance, Solo in area 20.
"""

from __future__ import annotations

import numpy as np
import pytest

from partnerlens.network.analytics import (
    betweenness,
    graph,
    organisations,
    partnerships,
    structural_holes,
    system,
)
from partnerlens.network.analytics.graph import Memberships, Network, Ties

TRUST, FEDERATION, HUB, CLUSTER, ALLIANCE, SOLO = range(6)
ON = "2025-03-01"


@pytest.fixture
def schools() -> Network:
    nan = np.nan
    answers = Ties.build(
        [TRUST, FEDERATION, TRUST, HUB, FEDERATION, HUB],
        [FEDERATION, TRUST, HUB, TRUST, HUB, CLUSTER],
        level=[4, 4, 2, 4, 1, 1],
        partnership=0,
        trust=[5, 4, 3, 5, 2, 3],
        value=[4, 4, 3, 5, nan, nan],
        start="2023-01-01",
    )
    support = Ties.build([HUB], [ALLIANCE], level=3, source=graph.SUPPORT, start="2024-01-01")
    ended = Ties.build([SOLO], [ALLIANCE], level=3, trust=4, start="2023-09-01", end="2024-09-01")
    memberships = Memberships.build(
        [0, 0, 0, 0, 1, 1],
        [TRUST, FEDERATION, HUB, CLUSTER, HUB, ALLIANCE],
        asked=[True, True, True, True, False, False],
        answered=[True, True, True, False, False, False],
        start="2022-09-01",
    )
    return Network.build(
        [101, 102, 103, 104, 105, 106],
        Ties.concat(answers, support, ended),
        memberships,
        area=[10, 10, 10, 20, 20, 20],
        partnership_type=[2, 1],
    )


def pairs(net: Network):
    now = net.at(ON)
    return graph.weighted_pairs(now.n_nodes, now.ties)


def test_the_ties_fold_into_pairs_weighted_by_their_deepest_level(schools):
    u, v, w = pairs(schools)
    # Trust–Hub: 2 one way, 4 the other → 4. Solo–Alliance ended, so it is not there.
    assert list(zip(u.tolist(), v.tolist(), w.tolist(), strict=True)) == [
        (0, 1, 4.0),
        (0, 2, 4.0),
        (1, 2, 1.0),
        (2, 3, 1.0),
        (2, 4, 3.0),
    ]


def test_constraint_and_effective_size_by_hand(schools):
    holes = structural_holes.structural_holes(6, *pairs(schools))
    # Strengths: Trust 8, Federation 5, Hub 9, Cluster 1, Alliance 3.
    # Trust: p01 = p02 = 1/2; p21 = 1/9, p12 = 1/5.
    #   (1/2 + 1/2·1/9)² + (1/2 + 1/2·1/5)² = (5/9)² + (3/5)² = 25/81 + 9/25
    # Federation: p10 = 4/5, p12 = 1/5; p20 = 4/9, p02 = 1/2.
    #   (4/5 + 1/5·4/9)² + (1/5 + 4/5·1/2)² = (8/9)² + (3/5)² = 64/81 + 9/25
    # Hub: p20 = 4/9, p21 = p23 = 1/9, p24 = 3/9; only Trust–Federation are tied among them.
    #   (4/9 + 1/9·4/5)² + (1/9 + 4/9·1/2)² + (1/9)² + (3/9)² = (8/15)² + (1/3)² + 1/81 + 1/9
    # Cluster and Alliance each have one partner: 1. Solo has none: no figure.
    expected = [
        25 / 81 + 9 / 25,
        64 / 81 + 9 / 25,
        (8 / 15) ** 2 + (1 / 3) ** 2 + 1 / 81 + 1 / 9,
        1.0,
        1.0,
        np.nan,
    ]
    assert np.allclose(holes.constraint, expected, equal_nan=True)
    # Effective size: partners − Σ p_iq m_jq, m_jq = w_jq / j's strongest weight.
    # Trust: 2 − (p02·m12 + p01·m21) = 2 − (1/2·1/4 + 1/2·1/4) = 1.75
    # Federation: 2 − (p12·m02 + p10·m20) = 2 − (1/5·1 + 4/5·1) = 1
    # Hub: 4 − (p21·m01 + p20·m10) = 4 − (1/9 + 4/9) = 31/9
    assert np.allclose(holes.effective_size, [1.75, 1.0, 31 / 9, 1.0, 1.0, np.nan], equal_nan=True)


def test_only_the_hub_lies_between_others(schools):
    u, v, _ = pairs(schools)
    result = betweenness.betweenness(6, u, v)
    # Through Hub: Trust–Cluster, Trust–Alliance, Federation–Cluster, Federation–Alliance,
    # Cluster–Alliance (Trust–Federation are tied directly): 5.
    assert result.method == betweenness.EXACT
    assert result.estimate.tolist() == [0, 0, 5, 0, 0, 0]


def test_the_schools_measures_by_hand(schools):
    result = organisations.measures(schools, ON)
    assert result.partnerships.tolist() == [1, 1, 2, 1, 1, 0]
    assert result.partnership_types.tolist() == [1, 1, 2, 1, 1, 0]
    assert result.partners.tolist() == [2, 2, 4, 1, 1, 0]
    assert result.strongest_level.tolist() == [4, 4, 4, 1, 3, -1]
    # Trust given: Trust (5+3)/2, Federation (4+2)/2, Hub (5+3)/2; Solo's 4 has ended.
    assert result.trust.given.tolist()[:3] == [4.0, 3.0, 4.0]
    assert result.trust.given_n.tolist() == [2, 2, 2, 0, 0, 0]
    # Trust received: Trust (4+5)/2, Federation 5, Hub (3+2)/2, Cluster 3.
    assert result.trust.received.tolist()[:4] == [4.5, 5.0, 2.5, 3.0]
    assert result.trust.received_n.tolist() == [2, 1, 2, 1, 0, 0]
    # Value given: Trust (4+3)/2, Federation 4 (its rating of Hub is missing), Hub 5.
    assert result.value.given.tolist()[:3] == [3.5, 4.0, 5.0]
    assert result.value.given_n.tolist() == [2, 1, 1, 0, 0, 0]
    assert np.isnan(result.value.received[CLUSTER])


def test_cluster_has_no_deep_tie_and_solo_no_tie_since_its_last_one_ended(schools):
    result = organisations.measures(schools, ON)
    codes = [organisations.ISOLATION_CODES[c] for c in result.isolation]
    assert codes == ["connected"] * 3 + ["no_deep_tie", "connected", "no_tie"]
    # Cluster never had a deep tie on record: since when is unknown.
    assert np.isnat(result.isolated_since[CLUSTER])
    # Solo's tie ended 2024-09-01: Sept 30 + Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 = 181.
    assert result.isolated_since[SOLO] == np.datetime64("2024-09-01")
    assert result.isolated_days[SOLO] == 181
    # A year earlier Solo still had its tie.
    earlier = organisations.measures(schools, "2024-03-01")
    assert earlier.isolation[SOLO] == organisations.CONNECTED


def test_the_cluster_partnership_by_hand(schools):
    cluster, hub = partnerships.measures(schools, ON)
    # 4 members, 6 pairs: Trust–Federation, Trust–Hub, Federation–Hub, Hub–Cluster named.
    assert cluster.density == pytest.approx(4 / 6)
    assert cluster.arc_density == pytest.approx(6 / 12)  # 6 answers of 12 possible
    assert cluster.response_rate == pytest.approx(3 / 4)
    # Answers naming an answering member: 0→1, 1→0, 0→2, 2→0, 1→2 (2→3 names the silent
    # Cluster); all but 1→2 were answered back: 4/5.
    assert cluster.ties_returned == pytest.approx(4 / 5)
    assert cluster.arcs_between_answerers == 5
    assert cluster.depth.tolist() == [0, 2, 1, 0, 3]  # levels 4,4,2,4,1,1
    cp = cluster.core_periphery
    # Hub is tied to all three: the most core; Cluster to Hub only: the least. With 4 members
    # the only split is 2+2: Hub with Trust or Federation (equal), and the periphery pair
    # untied, the core pair tied: a perfect fit.
    assert cp.method == partnerships.BORGATTI_EVERETT
    assert cp.coreness[HUB] == pytest.approx(1.0)
    assert cp.coreness[CLUSTER] == cp.coreness.min()
    assert cp.core[HUB] and not cp.core[CLUSTER]
    assert cp.core.sum() == 2
    assert cp.fit == pytest.approx(1.0)
    # The hub partnership: nobody asked, no answers.
    assert hub.members.tolist() == [HUB, ALLIANCE]
    assert np.isnan(hub.response_rate)
    assert hub.density == 0.0
    assert hub.core_periphery.method == partnerships.TOO_SMALL


def test_trust_and_hub_rate_their_tie_two_levels_apart(schools):
    # Trust calls it co-ordination (2), Hub collaboration (4); Federation–Hub is one-sided.
    assert partnerships.mismatched_pairs(schools.at(ON)).tolist() == [[TRUST, HUB, 2, 4]]


def test_one_large_component_solo_apart_and_area_20_has_both_kinds_of_isolation(schools):
    u, v, _ = pairs(schools)
    parts = system.components(6, u, v)
    assert parts.sizes.tolist() == [5, 1]
    assert parts.label.tolist() == [0, 0, 0, 0, 0, 1]
    result = organisations.measures(schools, ON)
    areas = system.isolated_schools_by_area(schools.area, schools.kind, result.isolation)
    assert areas.area.tolist() == [10, 20]
    assert areas.schools.tolist() == [3, 3]
    assert areas.no_tie.tolist() == [0, 1]
    assert areas.no_deep_tie.tolist() == [0, 1]
