"""Suggested review teams: exact, conflict-free, deterministic."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from partnerlens.reviews.analytics import teams as tm
from partnerlens.reviews.analytics.conflicts import SAME_TRUST

FOCUS = ["reading", "maths", "send", "attendance"]


def nobody_conflicted(_candidate):
    return ()


def random_pool(rng, size):
    areas = [*FOCUS, "art", "pe"]
    return [
        tm.Candidate(
            id=f"r{i}",
            areas=frozenset(a for a in areas if rng.random() < 0.3),
            training=int(
                rng.choice([tm.UNTRAINED, tm.PEER_TRAINED, tm.LEAD_TRAINED], p=[0.1, 0.6, 0.3])
            ),
            reviews_done=int(rng.integers(0, 6)),
            availability=int(rng.choice([0, 1, 2], p=[0.1, 0.6, 0.3])),
            employer=f"s{int(rng.integers(0, 4))}",
        )
        for i in range(size)
    ]


def brute_force(focus, pool, conflicts_of, peers):
    """Every lead and every set of peers; the best by coverage, then load, then pool order."""
    free = [
        (i, c)
        for i, c in enumerate(pool)
        if not conflicts_of(c) and c.availability > 0 and c.training >= tm.PEER_TRAINED
    ]
    best = None
    for li, lead in free:
        if lead.training < tm.LEAD_TRAINED:
            continue
        others = [(i, c) for i, c in free if i != li]
        for chosen in itertools.combinations(others, peers):
            team = [lead] + [c for _, c in chosen]
            covered = sum(any(a in c.areas for c in team) for a in focus)
            load = sum(c.reviews_done for c in team)
            key = (-covered, load, li, tuple(i for i, _ in chosen))
            if best is None or key < best[0]:
                best = (key, lead.id, [c.id for _, c in chosen])
    return best


@pytest.mark.parametrize("seed", range(25))
def test_the_team_is_the_brute_force_optimum_on_small_random_pools(seed):
    rng = np.random.default_rng(seed)
    pool = random_pool(rng, int(rng.integers(5, 10)))
    peers = int(rng.integers(2, 4))

    # employees of school s0 share the host's trust in this example
    def conflicts_of(c):
        return (SAME_TRUST,) if c.employer == "s0" else ()

    team = tm.suggest_team(FOCUS, pool, conflicts_of, peers=peers)
    best = brute_force(FOCUS, pool, conflicts_of, peers)
    if best is None:
        assert team.code in (tm.NO_LEAD, tm.TOO_FEW_FREE)
        assert team.members == ()
        return
    key, lead, peer_ids = best
    assert team.code == tm.OK
    assert [m.reviewer for m in team.members] == [lead, *peer_ids]
    by_id = {c.id: c for c in pool}
    assert not any(conflicts_of(by_id[m.reviewer]) for m in team.members)
    assert len(team.covered) == -key[0]
    assert team.load == key[1]


def test_a_conflicted_reviewer_is_never_chosen_even_when_the_best_fit():
    pool = [
        tm.Candidate("star", frozenset(FOCUS), tm.LEAD_TRAINED, reviews_done=0),
        tm.Candidate("lead", frozenset({"reading"}), tm.LEAD_TRAINED, reviews_done=5),
        tm.Candidate("p1", frozenset({"maths"}), reviews_done=5),
        tm.Candidate("p2", frozenset(), reviews_done=5),
    ]
    team = tm.suggest_team(FOCUS, pool, lambda c: (SAME_TRUST,) if c.id == "star" else (), peers=2)
    assert "star" not in [m.reviewer for m in team.members]
    assert team.excluded == (("star", (SAME_TRUST,)),)
    assert team.uncovered == ("send", "attendance")


def test_it_explains_each_member():
    pool = [
        tm.Candidate("lee", frozenset({"maths"}), tm.LEAD_TRAINED, reviews_done=4),
        tm.Candidate("ali", frozenset({"reading", "art"}), reviews_done=1),
        tm.Candidate("bo", frozenset({"send"}), reviews_done=0),
        tm.Candidate("cy", frozenset({"art"}), reviews_done=0),
    ]
    team = tm.suggest_team(FOCUS, pool, nobody_conflicted, peers=2)
    assert team.members == (
        tm.Member("lee", tm.LEAD, ("maths",), (tm.LEAD, tm.COVERS)),
        # the eligible pool's median is 0.5 reviews done, so ali's one review is not light
        tm.Member("ali", tm.PEER, ("reading",), (tm.COVERS,)),
        tm.Member("bo", tm.PEER, ("send",), (tm.COVERS, tm.LIGHT_LOAD)),
    )
    assert team.covered == ("reading", "maths", "send")
    assert team.uncovered == ("attendance",)
    assert team.load == 5


def test_with_equal_coverage_the_lighter_load_wins():
    pool = [
        tm.Candidate("lead", frozenset(), tm.LEAD_TRAINED),
        tm.Candidate("busy", frozenset({"maths"}), reviews_done=9),
        tm.Candidate("fresh", frozenset({"maths"}), reviews_done=1),
    ]
    team = tm.suggest_team(["maths"], pool, nobody_conflicted, peers=1)
    assert [m.reviewer for m in team.members] == ["lead", "fresh"]


def test_ties_go_to_the_earliest_in_the_pool_every_time():
    pool = [tm.Candidate(f"r{i}", frozenset(), tm.LEAD_TRAINED) for i in range(8)]
    runs = {
        tuple(m.reviewer for m in tm.suggest_team(FOCUS, pool, nobody_conflicted).members)
        for _ in range(5)
    }
    assert runs == {("r0", "r1", "r2", "r3")}


def test_no_free_lead_is_no_lead():
    pool = [
        tm.Candidate("lead", frozenset(), tm.LEAD_TRAINED),
        *[tm.Candidate(f"p{i}", frozenset()) for i in range(4)],
    ]
    team = tm.suggest_team(FOCUS, pool, lambda c: ("own_school",) if c.id == "lead" else ())
    assert team.code == tm.NO_LEAD
    assert team.members == ()


def test_too_few_free_reviewers_is_too_few_free():
    pool = [
        tm.Candidate("lead", frozenset(), tm.LEAD_TRAINED),
        tm.Candidate("p1", frozenset()),
        tm.Candidate("away", frozenset(), availability=0),
        tm.Candidate("new", frozenset(), training=tm.UNTRAINED),
    ]
    team = tm.suggest_team(FOCUS, pool, nobody_conflicted, peers=2)
    assert team.code == tm.TOO_FEW_FREE
    assert team.excluded == (("away", (tm.NOT_AVAILABLE,)), ("new", (tm.NOT_TRAINED,)))


def test_a_lead_is_not_also_counted_as_a_peer():
    pool = [
        tm.Candidate("lead", frozenset(FOCUS), tm.LEAD_TRAINED),
        tm.Candidate("p1", frozenset()),
    ]
    team = tm.suggest_team(FOCUS, pool, nobody_conflicted, peers=1)
    assert [(m.reviewer, m.role) for m in team.members] == [("lead", tm.LEAD), ("p1", tm.PEER)]
