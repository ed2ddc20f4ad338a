"""The disclosure audit (linear programming) and the attacks of issue 8 against the engine:
overlapping groups, stuffing an open link, forced-hidden and known cells, the LP reader."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from partnerlens.insights.analytics import disclosure, scores, synthetic
from partnerlens.insights.analytics.frames import validate_answers, validate_themes
from partnerlens.insights.analytics.suppression import (
    CELL_COLUMNS,
    LEADER_ROLES,
    SuppressionPolicy,
    cell_key,
    cell_keys,
    cell_universe,
    protect,
    protect_breakdown,
    relations_for,
    source_of,
    thresholds_for,
)

ROLE_GROUPS = {role: "leaders" for role in LEADER_ROLES}


def _frame(rows: list[dict]) -> pd.DataFrame:
    """A published breakdown by hand: one theme, cells given as dicts."""
    frame = pd.DataFrame(rows).reindex(
        columns=[*CELL_COLUMNS, "n", "n_responses", "suppressed", "suppression_reason"]
    )
    frame["suppressed"] = frame["suppressed"].astype(object).fillna(False).astype(bool)
    for column in ("n", "n_responses"):
        frame[column] = frame[column].where(~frame["suppressed"], np.nan).astype(float)
    frame["organisation_id"] = frame["organisation_id"].astype("Int64")
    return frame.assign(cycle_id=1, theme_key="trust", mean=np.nan)


@pytest.fixture
def reasons(monkeypatch):
    """A reader who also knows why each figure is hidden (fewer than k; at least k). No
    output prints the reasons (``disclosure.REASONS_SHOWN``), but the machinery that uses
    them stays tested."""
    monkeypatch.setattr(disclosure, "REASONS_SHOWN", True)


def _roles_table(total: int, teachers: int) -> pd.DataFrame:
    return _frame(
        [
            {"group": "partnership", "n": total, "n_responses": total},
            {"group": "role", "role": "teacher", "n": teachers, "n_responses": teachers},
            {
                "group": "role",
                "role": "governor",
                "suppressed": True,
                "suppression_reason": "small_group",
            },
            {
                "group": "role",
                "role": "support_staff",
                "suppressed": True,
                "suppression_reason": "complementary",
            },
        ]
    )


def test_the_audit_finds_a_count_pinned_by_the_reasons_and_totals(reasons):
    # 16 people, 10 teachers shown: governors (1-4, "fewer than 5") and support staff (at
    # least 5) share 6, so there is 1 governor and 5 support staff.
    result = disclosure.audit([_roles_table(16, 10)])
    assert result.hidden == 2 and result.exact == 2
    governor = cell_key({"group": "role", "role": "governor"})
    assert ((1, "trust"), governor) in result.determined


def test_more_to_hide_names_shown_cells_whose_hiding_frees_every_pinned_count(reasons):
    # What the release service adds to the policy when the audit pins a count: hiding an
    # already hidden cell again frees nothing, so it must name shown cells instead.
    table = _roles_table(16, 10)
    more = disclosure.more_to_hide(table, disclosure.audit([table]))
    hide = np.array([((1, "trust"), key) in more for key in cell_keys(table)])
    assert hide.any() and not (hide & table["suppressed"].to_numpy()).any()
    rebuilt = table.copy()
    rebuilt.loc[hide, "suppressed"] = True
    rebuilt.loc[hide, "suppression_reason"] = "complementary"
    rebuilt.loc[hide, ["n", "n_responses"]] = np.nan
    assert disclosure.audit([rebuilt]).exact == 0


def test_the_audit_claims_nothing_where_the_counts_can_move(reasons):
    # 20 and 10: governors 1-4 and support staff 6-9; neither is known to within one.
    result = disclosure.audit([_roles_table(20, 10)])
    assert (result.hidden, result.exact, result.pinned1) == (2, 0, 0)
    assert result.determined == frozenset()


def test_the_audit_reports_counts_known_to_within_one_person(reasons):
    # 17 and 10: governors 1-2, support staff 5-6.
    result = disclosure.audit([_roles_table(17, 10)])
    assert result.exact == 0 and result.pinned1 == 2


def test_the_audit_sees_one_newcomer_between_two_releases():
    first = _frame(
        [
            {"group": "partnership", "n": 20, "n_responses": 20},
            {"group": "role", "role": "teacher", "n": 12, "n_responses": 12},
            {"group": "role", "role": "parent", "n": 8, "n_responses": 8},
        ]
    )
    second = first.copy()
    second.loc[second["group"] == "partnership", ["n", "n_responses"]] = 21
    second.loc[second["role"] == "teacher", ["n", "n_responses"]] = 13
    result = disclosure.audit([first, second])
    assert result.exact >= 1  # teachers gained exactly one person: their answers follow
    assert ((1, "trust"), cell_key({"group": "role", "role": "teacher"})) in result.determined
    assert disclosure.audit([second]).exact == 0  # the same table alone gives nothing away


def test_the_engine_hides_what_the_linear_programming_reader_finds(reasons):
    data = synthetic.synthetic_answers(1500, questions=8, themes=8, organisations=25, seed=11)
    answers, themes = validate_answers(data.answers), validate_themes(data.themes)
    encoded = scores.encode(answers, themes)
    table = scores.summarise(encoded, scores.level_scores(encoded, "theme"))
    units = ["cycle_id", "theme_key"]
    policy = SuppressionPolicy()
    # A table that prints every row, hidden ones included (each then holds at least one).
    rows = {"concealed_groups": ()}
    without = protect_breakdown(table, policy, units, ROLE_GROUPS, audit=False, **rows)
    found = disclosure.audit([without], policy, **rows)
    assert found.exact > 0  # without the audit, the reader pins hidden counts
    protected = protect_breakdown(table, policy, units, ROLE_GROUPS, audit=True, **rows)
    after = disclosure.audit([protected], policy, **rows)
    assert after.exact == 0 and after.hidden >= found.hidden
    assert protected["suppressed"].sum() >= without["suppressed"].sum()
    # What pages print: hidden cells of one role in one organisation are left out, so the
    # reader cannot count them as "at least one person"; the audit pins nothing, with less
    # hidden.
    printed = protect_breakdown(table, policy, units, ROLE_GROUPS)
    assert disclosure.audit([printed], policy).exact == 0
    assert printed["suppressed"].sum() < protected["suppressed"].sum()
    totals = printed[printed["group"] == "partnership"]
    assert not totals["suppressed"].any()


# --------------------------------------------------------------------------------------------
# Overlapping groups: sources and role groups are the same people as roles.

ROLES = ["teacher", "support_staff", "governor", "headteacher", "peer_reviewer", "external_adviser"]


def _people(rng: np.random.Generator) -> pd.DataFrame:
    size = int(rng.integers(8, 60))
    role = rng.choice(ROLES, size=size, p=[0.4, 0.2, 0.1, 0.1, 0.1, 0.1])
    return pd.DataFrame(
        {
            "role": role,
            "organisation_id": rng.integers(1, int(rng.integers(2, 6)) + 1, size=size),
            "source": [source_of(r) for r in role],
        }
    )


def _cells(people: pd.DataFrame) -> pd.DataFrame:
    people = people.assign(
        role_group=np.where(people["role"].isin(LEADER_ROLES), "leaders", "others")
    )
    frames = [pd.DataFrame({"group": ["partnership"], "n": [len(people)]})]
    for group, by in scores.GROUP_COLUMNS.items():
        if by:
            counts = people.groupby(list(by)).size().rename("n").reset_index()
            frames.append(counts.assign(group=group))
    cells = pd.concat(frames, ignore_index=True).reindex(columns=[*CELL_COLUMNS, "n"])
    cells["organisation_id"] = cells["organisation_id"].astype("Int64")
    return cells.assign(cycle_id=1, n_responses=cells["n"])


def _recovered(universe: pd.DataFrame, hidden: np.ndarray) -> int:
    """Hidden cells a reader works out by repeated subtraction over every true relation."""
    relations = relations_for(universe, ROLE_GROUPS)
    known = ~hidden
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [c for c in (relation.total, *relation.parts) if not known[c]]
            if len(unknown) == 1:
                known[unknown[0]] = changed = True
    return int((known & hidden).sum())


def test_overlapping_groups_recover_nothing_in_500_partnerships():
    rng = np.random.default_rng(20261205)
    policy = SuppressionPolicy()
    recovered = recovered_blind = 0
    for _ in range(500):
        cells = _cells(_people(rng))
        protected = protect_breakdown(cells, policy, ["cycle_id"], ROLE_GROUPS)
        universe = cell_universe(cells)
        code = {key: i for i, key in enumerate(cell_keys(universe))}
        hidden = np.zeros(len(universe), dtype=bool)
        for key, h in zip(cell_keys(protected), protected["suppressed"], strict=True):
            hidden[code[key]] = h
        recovered += _recovered(universe, hidden)
        # The same tables protected as if sources were independent of roles.
        n = np.zeros(len(universe))
        n[[code[k] for k in cell_keys(cells)]] = cells["n"].to_numpy()
        blind = [
            r
            for r in relations_for(universe, ROLE_GROUPS)
            if universe["group"][r.total] != "source"
        ]
        status = protect(n, n, thresholds_for(universe, policy), blind)[0]
        recovered_blind += _recovered(universe, status != 0)
    assert recovered_blind > 0  # the attack works on suppression that ignores the overlap
    assert recovered == 0


def test_a_source_is_tied_to_its_roles():
    universe = cell_universe(_cells(_people(np.random.default_rng(1))))
    relations = relations_for(universe, ROLE_GROUPS)
    group, role, source = universe["group"], universe["role"], universe["source"]
    peer = int(universe.index[(group == "source") & (source == "peer")][0])
    tied = [r for r in relations if r.total == peer]
    assert len(tied) == 1
    assert {role[p] for p in tied[0].parts} == {"peer_reviewer"}


# --------------------------------------------------------------------------------------------
# Open links: their own group, never completing a group of invited respondents.

THEMES = pd.DataFrame(
    {
        "theme_key": ["trust"],
        "dimension": ["d"],
        "weight": [1.0],
        "target_level": [4.0],
        "scale_min": [1.0],
        "scale_max": [5.0],
    }
)


def _answers(people: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return validate_answers(
        pd.DataFrame(
            [
                {
                    "cycle_id": 1,
                    "response_id": i + 1,
                    "role": role,
                    "organisation_id": organisation,
                    "theme_key": "trust",
                    "dimension": "d",
                    "question_key": "q1",
                    "kind": "agreement",
                    "value": value,
                    "dont_know": False,
                    "source": source_of(role),
                    "channel": channel,
                }
                for i, (role, organisation, channel, value) in enumerate(people)
            ]
        ),
        THEMES,
    )


def _staff(value_of_governor: float) -> list[tuple[str, int, str, float]]:
    staff = [("teacher", 1 + i % 2, "invited", 3.0 + i % 3) for i in range(14)]
    staff += [("support_staff", 1 + i % 2, "invited", 2.0 + i % 4) for i in range(12)]
    return [*staff, ("governor", 1, "invited", value_of_governor)]


@pytest.mark.parametrize("governor", [1.0, 5.0])
def test_stuffing_an_open_link_reveals_nothing_about_the_real_governor(governor):
    stuffers = [("governor", 1, "open_link", 5.0)] * 4
    table = scores.breakdown(_answers(_staff(governor) + stuffers), THEMES)
    real = table[(table["group"] == "role_organisation") & (table["role"] == "governor")]
    assert real["suppressed"].all()
    visible = table[~table["suppressed"]]
    # No group the reader sees, other than the whole partnership, holds the real governor
    # together with the made-up ones.
    assert set(visible["group"]) - {"partnership"} <= {
        "role",
        "organisation",
        "source",
        "role_group",
        "role_organisation",
    }
    open_link = table[table["group"] == "open_link"]
    assert len(open_link) == 1 and bool(open_link["suppressed"].iloc[0])  # 4 < k
    # Shown groups count invited respondents only: each figure shown both with and without
    # the made-up answers is the same (the partnership apart), so they complete nothing.
    alone = scores.breakdown(_answers(_staff(governor)), THEMES)
    keys = ["group", "role", "role_group", "organisation_id", "source"]
    shown_alone = alone[~alone["suppressed"]]
    both = visible[visible["group"] != "partnership"].merge(
        shown_alone, on=keys, suffixes=("", "_alone")
    )
    assert len(both) >= 2
    assert (both["n"] == both["n_alone"]).all()
    assert np.allclose(both["mean"], both["mean_alone"])
    assert disclosure.audit([table]).exact == 0


def test_the_partnership_is_invited_plus_open_link():
    people = _staff(3.0) + [("teacher", 1, "open_link", 4.0)] * 6
    encoded = scores.encode(_answers(people), THEMES)
    table = scores.summarise(encoded, scores.level_scores(encoded, "theme"))  # unprotected
    count = dict(zip(table["group"] + "/" + table["role"].fillna(""), table["n"], strict=True))
    assert count["partnership/"] == 33
    assert count["open_link/"] == 6
    assert count["role/teacher"] == 14  # invited teachers only
    roles = table[table["group"] == "role"]["n"].sum()
    assert count["partnership/"] == roles + count["open_link/"]


# --------------------------------------------------------------------------------------------
# Forced-hidden and known cells (releases).


def test_forced_hidden_cells_are_hidden_as_changed_and_protected():
    people = _staff(3.0) + [("support_staff", 2, "invited", 2.0)] * 6
    answers = _answers(people)
    plain = scores.breakdown(answers, THEMES)
    shown = plain[~plain["suppressed"] & (plain["group"] != "partnership")]
    forced = cell_key(shown.sort_values("n").to_dict("records")[-1])
    policy = SuppressionPolicy(hidden_cells=frozenset({forced}))
    table = scores.breakdown(answers, THEMES, policy=policy)
    row = next(r for r in table.to_dict("records") if cell_key(r) == forced)
    assert row["suppressed"] and row["suppression_reason"] == "changed"
    assert np.isnan(row["mean"])
    assert disclosure.audit([table], policy).exact == 0  # not left to subtraction
    # One unit only: a (unit, cell key) pair.
    single = SuppressionPolicy(hidden_cells=frozenset({((1, "trust"), forced)}))
    again = scores.breakdown(answers, THEMES, policy=single)
    assert next(r for r in again.to_dict("records") if cell_key(r) == forced)["suppressed"]


def test_known_cells_never_count_as_protection():
    people = _staff(3.0) + [("support_staff", 2, "invited", 2.0)] * 6
    answers = _answers(people)
    table = scores.breakdown(answers, THEMES)
    governor = table[(table["group"] == "role") & (table["role"] == "governor")].iloc[0]
    assert governor["suppressed"]
    partners = table[(table["group"] == "role") & table["suppressed"]]
    protecting = [cell_key(r) for r in partners.to_dict("records") if r["role"] != "governor"]
    assert protecting  # some other role protects the governor
    policy = SuppressionPolicy(known_cells=frozenset(protecting))
    again = scores.breakdown(answers, THEMES, policy=policy)
    hidden = {cell_key(r) for r in again[again["suppressed"]].to_dict("records")}
    # Another cell, not a known one, now protects the governor in the role relation.
    unknown_roles = {
        key for key in hidden if key[0] == "role" and key not in protecting and key[1] != "governor"
    }
    assert unknown_roles


@pytest.mark.parametrize("real", [1, 4, 5])
def test_made_up_answers_never_complete_the_partnership_around_a_few_real_ones(real):
    # Whoever stuffs an open link knows their own answers: the partnership minus the open-link
    # group is the invited people, shown only if they are at least k.
    people = [("teacher", 1, "invited", 2.0 + i % 3) for i in range(real)]
    people += [("teacher", 1, "open_link", 5.0)] * 6
    table = scores.breakdown(_answers(people), THEMES)
    total = table[table["group"] == "partnership"].iloc[0]
    open_link = table[table["group"] == "open_link"].iloc[0]
    assert not open_link["suppressed"]  # six people: shown, and the stuffer knows them
    assert bool(total["suppressed"]) == (real < 5)
    if not total["suppressed"]:
        assert total["n"] - open_link["n"] == real


def test_made_up_answers_never_complete_a_relationship_pair():
    # Relationship answers are stored per organisation and partner, without the channel: a
    # pair shows only if it holds k people besides every open-link respondent of the cycle.
    from partnerlens.insights.analytics import maturity

    def pair(real: int, made_up: int) -> pd.DataFrame:
        rows = [("teacher", 1, 2, 3.0)] * real + [("teacher", 1, 2, 0.0)] * made_up
        return pd.DataFrame(
            [
                {
                    "response_id": i + 1,
                    "role": role,
                    "organisation_id": own,
                    "about_organisation_id": about,
                    "kind": "relationship",
                    "value": value,
                }
                for i, (role, own, about, value) in enumerate(rows)
            ]
        )

    naive = maturity.relationship_levels(pair(1, 4))
    assert not naive["suppressed"].iloc[0]  # five answers: the old rule showed the pair
    guarded = maturity.relationship_levels(pair(1, 4), open_link=4)
    assert guarded["suppressed"].iloc[0] and pd.isna(guarded["median"].iloc[0])
    enough = maturity.relationship_levels(pair(5, 4), open_link=4)
    assert not enough["suppressed"].iloc[0]
    assert maturity.partnership_relationship_level(pair(1, 4), open_link=4) is None
