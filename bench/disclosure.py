"""Disclosure bench: 500 random partnerships, each released twice, and every attack run.

    .venv/bin/python bench/disclosure.py

Each partnership (fixed seed) has random sizes, roles (with peer reviewers and external
advisers, so sources overlap roles), schools, open-link respondents and skewed answers with
some "don't know", and an invitation list: per role and school the invited respondents plus
a random number of people who did not answer (none in about a third of the cells, where
everyone invited answered). The reader knows the list (``SuppressionPolicy.invited``).
Both releases go through ``releases.secure_release``, the loop
``insights.releases.make_release`` runs (build the protected tables, which already run the
engine's audit, then audit them with every earlier release and hide more until nothing is
exact). Release 1 uses k = 5. Between releases a few responses arrive and k may go up;
release 2 starts from ``releases.changed_cells`` against release 1 (its hidden and known
cells in the policy). The tables are ``scores.breakdowns``, as the dashboard builds them.
The attacks, against the published tables (hidden role x organisation rows, which the
outputs leave out, are kept here: the subtraction attack assumes it knows they exist):

- differencing: a cell shown in both releases whose members changed by 0 < d < k;
- overlapping groups: repeated subtraction over every relation (sources and role groups
  are sums of roles; the partnership is every grouping plus the open-link group);
- stuffing: a shown group other than the partnership and the open-link group that counts
  an open-link respondent, or a shown partnership total holding fewer than k invited people
  besides the open-link group (whose figures the stuffer knows);
- linear programming: ``disclosure.audit`` over both releases (exact and pinned1);
- a response-rate-style table (submitted per role x school with the minimum applied),
  audited the same way;
- benchmarks: 9 made-up partnerships plus a victim, and a newcomer between two successive
  benchmarks: a leak is a victim's mean narrowed to less than 0.1 of a point.

Prints ``bench disclosure tables=500 hidden=<n> exact=<n> pinned1=<n> leaks=<n>``, then the
time taken and how many releases the audit withheld. A withheld release is what the
product does when the audit cannot secure one: it stores and shows nothing, so the attacks
and audits run on the releases a reader actually gets. Goal: exact=0 and leaks=0.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# Thousands of tiny matrices: BLAS threads only get in each other's way on 2 cores.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from partnerlens.insights.analytics import benchmarking, disclosure, releases, scores  # noqa: E402
from partnerlens.insights.analytics.suppression import (  # noqa: E402
    CELL_COLUMNS,
    SuppressionPolicy,
    cell_keys,
    cell_universe,
    protect_breakdown,
    relations_for,
    source_of,
)

SEED = 20261205
PARTNERSHIPS = 500
THEMES = 3
BENCHMARKS = True
ROLES = {
    "headteacher": 0.05,
    "senior_leader": 0.08,
    "teacher": 0.35,
    "support_staff": 0.15,
    "governor": 0.1,
    "parent": 0.17,
    "peer_reviewer": 0.05,
    "external_adviser": 0.05,
}


def partnership(rng: np.random.Generator, people: int, start: int = 1) -> pd.DataFrame:
    """One row per respondent: response_id, role, organisation_id, channel, level."""
    schools = int(rng.integers(2, 9))
    roles = rng.choice(list(ROLES), size=people, p=np.array(list(ROLES.values())))
    open_share = rng.choice([0.0, 0.0, 0.05, 0.15])
    return pd.DataFrame(
        {
            "response_id": np.arange(start, start + people),
            "role": roles,
            "organisation_id": rng.integers(1, schools + 1, size=people),
            "channel": np.where(rng.random(people) < open_share, "open_link", "invited"),
            "level": rng.normal(0, 0.6, size=people),
        }
    )


def invitations(people: pd.DataFrame, rng: np.random.Generator, before=None) -> pd.DataFrame:
    """organisation_id, role, invited: the invited respondents per role and school plus
    people who did not answer (0 in about a third of the cells). ``before``: an earlier
    list; late respondents came from its non-responders where any were left, else were
    invited since."""
    invited = people[people["channel"] == "invited"]
    counts = invited.groupby(["organisation_id", "role"]).size().rename("answered")
    counts = counts.reset_index()
    if before is None:
        extra = rng.choice([0, 0, 1, 1, 2, 4], size=len(counts))
        return counts.assign(invited=counts["answered"] + extra)[
            ["organisation_id", "role", "invited"]
        ]
    merged = counts.merge(before, on=["organisation_id", "role"], how="outer").fillna(0)
    merged["invited"] = np.maximum(merged["invited"], merged["answered"]).astype(int)
    return merged[["organisation_id", "role", "invited"]]


def answers_of(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Theme scores in the engine's answers shape, skewed to the top of 1-5."""
    n = len(people)
    theme = np.tile([f"t{t}" for t in range(THEMES)], n)
    person = np.repeat(np.arange(n), THEMES)
    raw = 4.3 + people["level"].to_numpy()[person] + rng.normal(0, 0.7, size=person.size)
    value = np.clip(np.rint(raw), 1, 5)
    dont_know = rng.random(person.size) < 0.05
    value[dont_know] = np.nan
    role = people["role"].to_numpy()[person]
    return pd.DataFrame(
        {
            "cycle_id": 1,
            "response_id": people["response_id"].to_numpy()[person],
            "role": role,
            "organisation_id": people["organisation_id"].to_numpy()[person],
            "theme_key": theme,
            "dimension": "d",
            "question_key": theme,
            "kind": "agreement",
            "value": value,
            "dont_know": dont_know,
            "about_organisation_id": pd.array([pd.NA] * person.size, dtype="Int64"),
            "source": [source_of(r) for r in role],
            "channel": people["channel"].to_numpy()[person],
        }
    )


THEME_FRAME = pd.DataFrame(
    {
        "theme_key": [f"t{t}" for t in range(THEMES)],
        "dimension": "d",
        "weight": 1.0,
        "target_level": 4.0,
        "scale_min": 1.0,
        "scale_max": 5.0,
    }
)


def release(answers: pd.DataFrame, policy: SuppressionPolicy) -> pd.DataFrame:
    return scores.breakdowns(answers, THEME_FRAME, ["theme"], policy)["theme"]


def built(answers: pd.DataFrame):
    """The ``build`` a release goes through (``releases.secure_release``): the protected
    theme table under a policy, as the dashboard builds it (``scores.breakdowns``)."""

    def build(policy: SuppressionPolicy):
        table = release(answers, policy)
        return table, {"theme": table}

    return build


def members(people: pd.DataFrame) -> dict:
    """Response ids per cell key (the truth the attacks are checked against)."""
    frame = people.assign(source=[source_of(r) for r in people["role"]])
    cells = releases._cells_of_people(frame, scores.LEADER_ROLES)
    ids = frame["response_id"].to_numpy()
    out: dict = {}
    for row, key in zip(cells["row"], cells["key"], strict=True):
        out.setdefault(key, set()).add(int(ids[row]))
    return out


def differencing_leaks(first: pd.DataFrame, second: pd.DataFrame, before, after, policy) -> int:
    shown = {}
    for table, label in ((first, 0), (second, 1)):
        for key, unit, hidden in zip(
            cell_keys(table), table["theme_key"], table["suppressed"], strict=True
        ):
            if not hidden:
                shown.setdefault((unit, key), set()).add(label)
    leaks = 0
    for (_unit, key), labels in shown.items():
        if labels != {0, 1}:
            continue
        d = len(before.get(key, set()) ^ after.get(key, set()))
        role = key[CELL_COLUMNS.index("role")]
        if 0 < d < policy.threshold(role if isinstance(role, str) else None):
            leaks += 1
    return leaks


def subtraction_leaks(table: pd.DataFrame, public: frozenset = frozenset()) -> int:
    """Peel relations with one unknown member, repeatedly, per theme. ``public``: cells an
    earlier release showed, unchanged since (recovering them teaches nothing new)."""
    universe = cell_universe(table)
    relations = relations_for(universe, {r: "leaders" for r in scores.LEADER_ROLES})
    code = {key: i for i, key in enumerate(cell_keys(universe))}
    leaks = 0
    for _unit, rows in table.groupby("theme_key"):
        known = np.ones(len(universe), dtype=bool)  # absent cells are known zeros
        secret = np.zeros(len(universe), dtype=bool)
        for key, hidden in zip(cell_keys(rows), rows["suppressed"], strict=True):
            known[code[key]] = not hidden
            secret[code[key]] = hidden
        changed = True
        while changed:
            changed = False
            for relation in relations:
                members_ = [relation.total, *relation.parts]
                unknown = [m for m in members_ if not known[m]]
                if len(unknown) == 1:
                    known[unknown[0]] = True
                    changed = True
        already = np.array([key in public for key in cell_keys(universe)], dtype=bool)
        leaks += int((known & secret & ~already).sum())
    return leaks


def stuffing_leaks(table: pd.DataFrame, truth: dict, policy: SuppressionPolicy) -> int:
    """Shown groups (other than the partnership and open-link group) counting open-link
    respondents: their n must equal the invited members who answered. And a shown
    partnership total whose invited people (the total minus the open-link group, which
    whoever stuffed it knows) are fewer than k."""
    leaks = 0
    total = ("partnership", None, None, None, None)
    open_link = ("open_link", None, None, None, None)
    invited = len(truth.get(total, set()) - truth.get(open_link, set()))
    for key, hidden, n_responses in zip(
        cell_keys(table), table["suppressed"], table["n_responses"], strict=True
    ):
        if hidden or key == open_link:
            continue
        if key == total:
            leaks += bool(truth.get(open_link)) and 0 < invited < policy.threshold()
        elif n_responses > len(truth.get(key, set())):
            leaks += 1
    return leaks


def rate_table(people: pd.DataFrame, policy: SuppressionPolicy) -> pd.DataFrame:
    """Submitted responses per role x school, role, school and in all, minimum applied."""
    invited = people[people["channel"] == "invited"]
    frames = [pd.DataFrame({"group": ["partnership"], "n": [len(invited)]})]
    for group, by in (
        ("role", ["role"]),
        ("organisation", ["organisation_id"]),
        ("role_organisation", ["role", "organisation_id"]),
    ):
        counts = invited.groupby(by).size().rename("n").reset_index().assign(group=group)
        frames.append(counts)
    cells = pd.concat(frames, ignore_index=True).reindex(columns=[*CELL_COLUMNS, "n"])
    cells["organisation_id"] = cells["organisation_id"].astype("Int64")
    cells = cells.assign(cycle_id=1, n_responses=cells["n"])
    # The cycle page prints every row (invited counts), so no hidden cell is concealed.
    return protect_breakdown(cells, policy, ["cycle_id"], concealed_groups=())


def benchmark_leaks(rng: np.random.Generator, means: np.ndarray, victims: int = 25) -> int:
    """Sybils: 9 made-up peers with known means plus a victim; then a newcomer joining 10
    peers between two benchmarks. A leak: the victim's mean narrowed below 0.1 point."""
    leaks = 0

    def published(values: np.ndarray, previous=None) -> tuple[pd.DataFrame, tuple]:
        others = pd.DataFrame(
            {
                "partnership_id": np.arange(2, 2 + values.size),
                "partnership_kind": "mat",
                "shares": True,
                "theme_key": "t0",
                "mean": values,
                "n": 20,
            }
        )
        out = benchmarking.published_benchmark(others, 1, "mat", previous=previous)
        figures = out[["others_q1", "others_median", "others_q3"]].iloc[0].to_numpy(float)
        return out, tuple(np.nan_to_num(figures, nan=-1.0))

    def narrowed(seen: tuple, consistent_with, step: float = 0.02) -> bool:
        grid = np.round(np.arange(1.0, 5.0001, step), 2)
        consistent = [v for v in grid if consistent_with(v) == seen]
        return not consistent or max(consistent) - min(consistent) < 0.1

    rounding = 4.0 / benchmarking.STEPS_PER_SCALE
    for _ in range(victims):
        own = rng.choice(means, size=9, replace=means.size < 9)
        victim = float(rng.choice(means))

        def sybil_view(value: float, own: np.ndarray = own) -> tuple:
            quartiles = benchmarking.published_quartiles(np.append(own, value), rounding)
            return tuple(np.nan_to_num(quartiles, nan=-1.0))

        _, seen = published(np.append(own, victim))
        leaks += narrowed(seen, sybil_view)
        # A newcomer between two benchmarks of the same 10 peers.
        base = np.append(own, rng.choice(means))
        first, _ = published(base)
        _, seen = published(np.append(base, victim), previous=first)
        leaks += narrowed(
            seen,
            lambda v, base=base, first=first: published(np.append(base, v), first)[1],
            step=0.1,
        )
    return leaks


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    hidden = exact = pinned = leaks = withheld = 0
    partnership_means = []
    for _ in range(PARTNERSHIPS):
        size = int(rng.choice([rng.integers(6, 30), rng.integers(30, 120), rng.integers(120, 300)]))
        people = partnership(rng, size)
        invited1 = invitations(people, rng)
        frame1 = people.assign(source=[source_of(r) for r in people["role"]])
        policy1 = SuppressionPolicy(k=5, invited=releases.invited_cells(invited1, frame1))
        answers1 = answers_of(people, rng)
        secured = releases.secure_release(built(answers1), policy1, releases.ChangedCells())
        # A release the audit cannot secure is withheld (``insights.releases.make_release``
        # stores nothing): the reader gets nothing from it, so nothing of it is attacked.
        first = secured.tables["theme"] if secured.ok else None
        policy1 = secured.policy
        withheld += not secured.ok
        # Between releases: a few late responses, and k may go up.
        added = partnership(rng, int(rng.integers(1, 7)), start=size + 1)
        people2 = pd.concat([people, added], ignore_index=True)
        answers2 = pd.concat([answers1, answers_of(added, rng)], ignore_index=True)
        frame2 = people2.assign(source=[source_of(r) for r in people2["role"]])
        invited2 = releases.invited_cells(invitations(people2, rng, invited1), frame2)
        policy2 = SuppressionPolicy(k=int(rng.choice([5, 5, 6, 7])), invited=invited2)
        earlier = [] if first is None else [{"theme": first}]
        shown = (
            set()
            if first is None
            else {
                key for key, h in zip(cell_keys(first), first["suppressed"], strict=True) if not h
            }
        )
        changed = releases.changed_cells(
            frame2, [set(people["response_id"])] if earlier else [], policy2, shown_before=shown
        )
        if first is not None and changed.total_changed_too_little:
            second = first  # no new release: the first stays the one published
            policy2 = policy1
        else:
            # As the release service does (``insights.releases.make_release``).
            secured = releases.secure_release(built(answers2), policy2, changed, earlier)
            second = secured.tables["theme"] if secured.ok else None
            policy2 = secured.policy
            withheld += not secured.ok
        truth1, truth2 = members(people), members(people2 if second is not first else people)
        if first is not None and second is not None:
            leaks += differencing_leaks(first, second, truth1, truth2, policy2)
        if first is not None:
            leaks += subtraction_leaks(first) + stuffing_leaks(first, truth1, policy1)
        if second is not None:
            leaks += subtraction_leaks(second, policy2.known_cells)
            leaks += stuffing_leaks(second, truth2, policy2)
        audits = [disclosure.audit([first], policy1)] if first is not None else []
        published = [table for table in (first, second) if table is not None]
        if second is not None:
            audits.append(disclosure.audit(published, policy2))
        for result in audits:
            hidden, exact, pinned = (
                hidden + result.hidden,
                exact + result.exact,
                pinned + result.pinned1,
            )
        # Its own table: no release cells, the same invitation list.
        rate_policy = SuppressionPolicy(k=policy2.k, invited=invited2)
        rates = disclosure.audit(
            [rate_table(people2, rate_policy)], rate_policy, pinned1=False, concealed_groups=()
        )
        hidden, exact, pinned = hidden + rates.hidden, exact + rates.exact, pinned + rates.pinned1
        total = (
            pd.DataFrame()
            if second is None
            else second[(second["group"] == "partnership") & (second["theme_key"] == "t0")]
        )
        if len(total) and not bool(total["suppressed"].iloc[0]):
            partnership_means.append(float(total["mean"].iloc[0]))
    if BENCHMARKS:
        leaks += benchmark_leaks(rng, np.array(partnership_means))
    elapsed = time.perf_counter() - started
    print(
        f"bench disclosure tables={PARTNERSHIPS} hidden={hidden} exact={exact} "
        f"pinned1={pinned} leaks={leaks}"
    )
    print(f"bench disclosure seconds={elapsed:.1f} withheld={withheld}")


if __name__ == "__main__":
    main()
