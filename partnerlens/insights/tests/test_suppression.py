from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerlens.insights.analytics import scores
from partnerlens.insights.analytics.comment_groups import visible_comments
from partnerlens.insights.analytics.suppression import (
    LEADER_ROLES,
    PolicyError,
    SuppressionPolicy,
)

from .helpers import answers, themes

ROLES = ("headteacher", "senior_leader", "teacher", "governor", "parent")


def test_a_minimum_group_size_below_three_is_rejected():
    with pytest.raises(PolicyError, match="never be below 3"):
        SuppressionPolicy(k=2)
    with pytest.raises(PolicyError, match=r"role_k\['parent'\]"):
        SuppressionPolicy(role_k={"parent": 1})
    with pytest.raises(PolicyError, match="whole number"):
        SuppressionPolicy(k=4.5)


def test_parents_need_ten_by_default_and_others_five():
    policy = SuppressionPolicy()
    assert (policy.threshold("parent"), policy.threshold("teacher"), policy.threshold()) == (
        10,
        5,
        5,
    )


def _people_answers(people, scale):
    """people: (role, organisation, source, value or None for don't know)."""
    rows = []
    for index, (role, org, source, value) in enumerate(people, start=1):
        row = {"response_id": index, "role": role, "organisation_id": org, "source": source}
        if value is None:
            row["dont_know"] = True
        else:
            row["value"] = float(value)
        rows.append(row)
    return answers(rows, scale)


def test_one_small_role_hides_the_next_smallest_so_it_cannot_be_subtracted():
    scale = themes({"theme_key": "trust"})
    people = (
        [("teacher", 1, "self", 4)] * 12
        + [("governor", 1, "self", 2)] * 6
        + [("headteacher", 1, "self", 5)] * 2
    )
    table = scores.breakdown(
        _people_answers(people, scale), scale, "theme", groupings=("partnership", "role")
    )
    roles = table[table["group"] == "role"].set_index("role")
    assert roles.loc["headteacher", "suppression_reason"] == "small_group"
    assert roles.loc["governor", "suppression_reason"] == "complementary"
    assert not roles.loc["teacher", "suppressed"]
    assert pd.isna(roles.loc["governor", "mean"]) and pd.isna(roles.loc["governor", "n"])


# ---- an independent checker of what a reader could work out from the visible cells ----


def _cells_and_relations(people):
    """True respondent counts per cell and the total = sum(parts) relations a reader knows."""
    count = Counter()
    for role, org, source, _ in people:
        group = "leaders" if role in LEADER_ROLES else "others"
        for cell in (
            ("partnership",),
            ("role", role),
            ("organisation", org),
            ("role_organisation", role, org),
            ("source", source),
            ("role_group", group),
        ):
            count[cell] += 1
    roles = {p[0] for p in people}
    orgs = {p[1] for p in people}
    relations = [
        (("partnership",), [("role", r) for r in roles]),
        (("partnership",), [("organisation", o) for o in orgs]),
        (("partnership",), [("source", s) for s in {p[2] for p in people}]),
        (("partnership",), [("role_group", g) for g in ("leaders", "others")]),
        (("role_group", "leaders"), [("role", r) for r in roles if r in LEADER_ROLES]),
        (("role_group", "others"), [("role", r) for r in roles if r not in LEADER_ROLES]),
    ]
    relations += [(("role", r), [("role_organisation", r, o) for o in orgs]) for r in roles]
    relations += [(("organisation", o), [("role_organisation", r, o) for r in roles]) for o in orgs]
    return count, relations


def _cell_key(row):
    group = row["group"]
    if group == "partnership":
        return ("partnership",)
    if group == "role":
        return ("role", row["role"])
    if group == "organisation":
        return ("organisation", int(row["organisation_id"]))
    if group == "role_organisation":
        return ("role_organisation", row["role"], int(row["organisation_id"]))
    if group == "source":
        return ("source", row["source"])
    return ("role_group", row["role_group"])


def _recoverable(hidden, relations):
    """Hidden cells whose value follows from the relations: e_i in the row space, i.e.
    dropping cell i's column lowers the rank of the relations restricted to hidden cells."""
    hidden = sorted(hidden)
    if not hidden:
        return set()
    index = {cell: i for i, cell in enumerate(hidden)}
    matrix = np.zeros((len(relations), len(hidden)))
    for r, (total, parts) in enumerate(relations):
        if total in index:
            matrix[r, index[total]] = 1
        for part in parts:
            if part in index:
                matrix[r, index[part]] = -1
    rank = np.linalg.matrix_rank(matrix)
    return {
        cell
        for cell, i in index.items()
        if np.linalg.matrix_rank(np.delete(matrix, i, axis=1)) < rank
    }


people_strategy = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.integers(1, 3),
        st.sampled_from(("self", "self", "self", "peer")),
        st.one_of(st.none(), st.integers(1, 5)),
    ),
    min_size=1,
    max_size=70,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=people_strategy, k=st.integers(3, 6))
def test_no_output_shows_a_small_group_or_lets_one_be_worked_out(people, k):
    scale = themes({"theme_key": "trust"})
    policy = SuppressionPolicy(k=k, role_k={"parent": k + 4})
    table = scores.breakdown(_people_answers(people, scale), scale, "theme", policy=policy)
    count, relations = _cells_and_relations(people)
    shown = {}
    for row in table.to_dict("records"):
        cell = _cell_key(row)
        threshold = policy.threshold(
            row["role"] if row["group"] in ("role", "role_organisation") else None
        )
        if row["suppressed"]:
            assert pd.isna(row["n"]) and pd.isna(row["mean"]) and pd.isna(row["n_responses"])
            continue
        shown[cell] = row
        for figure in ("n", "n_responses"):
            assert row[figure] == 0 or row[figure] >= threshold, (cell, row[figure])
        assert row["n_responses"] == count[cell]
    hidden = {cell for cell in count if cell not in shown}
    # 1. no relation has exactly one hidden member (recoverable by subtraction)
    for total, parts in relations:
        members = [total, *parts]
        assert sum(m in hidden for m in members) != 1, (total, parts, hidden)
    # 2. no combination of relations pins down a hidden cell
    assert not _recoverable(hidden, relations)
    # 3. what is left over after subtraction is itself a group of at least k
    for total, parts in relations:
        left = [p for p in parts if p in hidden]
        if total not in hidden and left:
            strictest = max(
                policy.threshold(p[1])
                if p[0] == "role"
                else policy.threshold(p[1])
                if p[0] == "role_organisation"
                else k
                for p in left
            )
            assert sum(count[p] for p in left) >= strictest


def test_comments_of_a_hidden_group_are_withheld():
    people = pd.DataFrame(
        {
            "response_id": range(1, 16),
            "cycle_id": 1,
            "role": ["teacher"] * 8 + ["governor"] * 5 + ["headteacher"] * 2,
            "organisation_id": 1,
            "source": "self",
        }
    )
    comments = pd.DataFrame(
        {
            "cycle_id": 1,
            "response_id": [1, 9, 14],
            "role": ["teacher", "governor", "headteacher"],
            "organisation_id": 1,
            "theme_key": "trust",
            "question_key": "why",
            "text": ["more time", "clearer aims", "less email"],
        }
    )
    by_role = visible_comments(comments, people, SuppressionPolicy(), by=("role",))
    # Headteachers (2) are below k; governors are hidden too, or "the rest" would be theirs.
    assert list(by_role["text"]) == ["more time"]
    unattributed = visible_comments(comments, people, SuppressionPolicy(), by=())
    assert len(unattributed) == 3
    few = visible_comments(comments, people.iloc[:4], SuppressionPolicy(), by=())
    assert few.empty


def test_cell_keys_agree_however_the_missing_values_and_numbers_are_stored():
    from partnerlens.insights.analytics.suppression import cell_key, cell_keys

    row = {"group": "role_organisation", "role": "teacher", "organisation_id": np.int64(3)}
    stored = {
        "group": "role_organisation",
        "role": "teacher",
        "role_group": pd.NA,
        "organisation_id": 3.0,
        "source": np.nan,
    }
    assert cell_key(row) == cell_key(stored) == ("role_organisation", "teacher", None, 3, None)
    frame = pd.DataFrame([stored]).astype({"organisation_id": "Int64"})
    assert cell_keys(frame) == [cell_key(row)]
    assert cell_key({"group": "open_link"}) != cell_key({"group": "partnership"})


def test_hidden_and_known_cells_are_frozen_sets_of_the_policy():
    policy = SuppressionPolicy(hidden_cells=[("role", "teacher", None, None, None)])
    assert isinstance(policy.hidden_cells, frozenset) and policy.known_cells == frozenset()
    with pytest.raises(PolicyError):
        SuppressionPolicy(k=2, hidden_cells=frozenset())
