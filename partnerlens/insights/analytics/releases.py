"""Differencing between releases of one cycle (pure: no Django).

A cycle can be released more than once: after it is reopened and closed again, after late
responses, after a settings change. Someone who keeps both releases can subtract one from
the other: if a group gained one person, n2*m2 - n1*m1 is that person's score. So a new
release is checked against every earlier one, cell by cell (a cell is one group's figure:
the partnership, one role, leaders/others, one organisation, one role in one organisation,
one source; keys in ``suppression.CELL_COLUMNS`` order):

- a cell whose members differ from an earlier release's by 0 < d < k people is hidden
  (reason "changed"): its old figure stays as the only one published;
- a cell whose members are exactly those of the latest release, and which that release
  showed, is *known*: its figure is public anyway, so it can never protect another hidden
  cell;
- if the whole partnership changed by 0 < d < k people since the latest release, no new
  release should be made at all (``total_changed_too_little``).

``secure_release`` is the loop every release goes through, the first one included (the
release service and ``bench/disclosure.py`` both call it): build the tables under a policy,
audit them with every earlier release (``disclosure.audit``), hide what the audit can pin
(``disclosure.more_to_hide``), build again. The reader knows how many people were invited to
each cell (``invited_cells``, in ``SuppressionPolicy.invited``): no hidden cell may be pinned
by those upper bounds either, and each release's tables keep its own (``invited`` column).

Returns codes and sets, never sentences.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from partnerlens.insights.analytics import disclosure
from partnerlens.insights.analytics.suppression import (
    CELL_COLUMNS,
    INVITED,
    LEADER_ROLES,
    LEADERS,
    OPEN_LINK,
    OPEN_LINK_GROUP,
    OTHERS,
    SuppressionPolicy,
    _plain,
    cell_key,
    cell_keys,
    source_of,
)

PEOPLE_COLUMNS = ("response_id", "role", "organisation_id", "source")
CHANGED = "changed"  # the reason code of a cell hidden because of an earlier release

CellKey = tuple
__all__ = [
    "ChangedCells",
    "Secured",
    "cell_key",
    "changed_cells",
    "invited_cells",
    "keys_of",
    "secure_release",
]
AUDIT_ROUNDS = 5


@dataclass(frozen=True)
class ChangedCells:
    hidden: frozenset = frozenset()  # cells that changed by 0 < d < k since some release
    known: frozenset = frozenset()  # cells identical to the latest release's, shown there
    total_changed_too_little: bool = False
    total_changed: int = 0  # people who joined or left the partnership total since the latest


def keys_of(table: pd.DataFrame) -> list[CellKey]:
    """The cell key of every row of a breakdown table (``suppression.cell_key``)."""
    return cell_keys(table)


def _cells_of_people(people: pd.DataFrame, leaders: Collection[str]) -> pd.DataFrame:
    """One row per (person, cell they belong to): ``row`` (position in ``people``), ``key``."""
    rows = np.arange(len(people))
    role = people["role"].astype(object).to_numpy()
    organisation = [_plain(o) for o in people["organisation_id"].to_numpy()]
    source = people["source"].astype(object).to_numpy()
    group = np.where(np.isin(role, list(leaders)), LEADERS, OTHERS)
    # Open-link respondents are one group of their own and in no other group but the
    # partnership (as ``scores.summarise`` counts them).
    channel = (
        people["channel"].astype(object).to_numpy()
        if "channel" in people
        else np.full(len(people), INVITED, dtype=object)
    )
    open_link = channel == OPEN_LINK
    invited = rows[~open_link]
    role, organisation, source, group = (
        np.asarray(role)[~open_link],
        [o for o, shut in zip(organisation, open_link, strict=True) if not shut],
        np.asarray(source)[~open_link],
        group[~open_link],
    )
    parts = [
        (rows, [("partnership", None, None, None, None)] * len(rows)),
        (rows[open_link], [(OPEN_LINK_GROUP, None, None, None, None)] * int(open_link.sum())),
        (invited, [("role", r, None, None, None) for r in role]),
        (invited, [("role_group", None, g, None, None) for g in group]),
        (invited, [("organisation", None, None, o, None) for o in organisation]),
        (
            invited,
            [
                ("role_organisation", r, None, o, None)
                for r, o in zip(role, organisation, strict=True)
            ],
        ),
        (invited, [("source", None, None, None, s) for s in source]),
    ]
    return pd.DataFrame(
        {
            "row": np.concatenate([p[0] for p in parts]),
            "key": [key for _rows, keys in parts for key in keys],
        }
    )


def invited_cells(
    invited_by: pd.DataFrame,
    people: pd.DataFrame | None = None,
    leaders: Collection[str] = LEADER_ROLES,
) -> dict[CellKey, int]:
    """People invited per cell key, as the lead knows them from the invitation list.

    ``invited_by``: organisation_id, role, invited (one row per role x organisation, from
    the Invitee rows). Every grouping of invited people gets its sum (role, organisation,
    role group, source, the partnership). ``people`` (the respondents, as ``changed_cells``
    reads them): a cell never counts fewer invitees than invited respondents in it (an
    invitation removed after its answer came in: the lead remembers whom they invited).
    Cells nobody was invited to are left out: no bound is known for them (answers loaded
    from elsewhere), and ``disclosure.caps_for`` leaves them unbounded.
    """
    if invited_by is None or not len(invited_by):
        return {}
    cells = invited_by.groupby(["organisation_id", "role"], sort=False)["invited"].sum()
    if people is not None and len(people):
        mine = people
        if "channel" in people:
            mine = people[people["channel"].astype(object).to_numpy() != OPEN_LINK]
        answered = mine.groupby(["organisation_id", "role"], sort=False).size()
        both = pd.concat([cells.rename("invited"), answered.rename("answered")], axis=1)
        both = both.astype(float)
        # Answers in a role and school nobody was invited to: no bound known there.
        both.loc[both["invited"].isna() & (both["answered"] > 0), "invited"] = np.inf
        cells = both[["invited", "answered"]].fillna(0).max(axis=1)
    rows = cells.rename("invited").reset_index()
    weight = rows["invited"].to_numpy(dtype=float)
    unknown = _sums(rows, np.isinf(weight).astype(np.int64), leaders)
    counts = _sums(rows, np.where(np.isinf(weight), 0, weight).astype(np.int64), leaders)
    return {key: count for key, count in counts.items() if not unknown.get(key)}


def _sums(frame: pd.DataFrame, weight: np.ndarray, leaders: Collection[str]) -> dict:
    """Sum of ``weight`` per cell key over rows of role, organisation_id (all invited)."""
    frame = pd.DataFrame(
        {
            "role": frame["role"].to_numpy(dtype=object),
            "organisation_id": frame["organisation_id"].to_numpy(),
            "source": [source_of(r) for r in frame["role"]],
        }
    )
    cells = _cells_of_people(frame, leaders)
    sums = pd.Series(weight[cells["row"].to_numpy()]).groupby(cells["key"].to_numpy(), sort=False)
    return {key: int(total) for key, total in sums.sum().items()}


def _threshold(key: CellKey, policy: SuppressionPolicy) -> int:
    role = key[CELL_COLUMNS.index("role")]
    return policy.threshold(role if isinstance(role, str) else None)


def changed_cells(
    people: pd.DataFrame,
    earlier_members: Sequence[Collection[Hashable]],
    policy: SuppressionPolicy,
    leaders: Collection[str] = LEADER_ROLES,
    *,
    former: pd.DataFrame | None = None,
    shown_before: Iterable[CellKey] | None = None,
) -> ChangedCells:
    """Which cells a new release must hide or treat as public (see the module docstring).

    ``people``: one row per respondent of the new release (``PEOPLE_COLUMNS``; a
    ``channel`` column is ignored here). ``earlier_members``: the response ids of each
    earlier release, oldest first. ``former``: the same columns for people of earlier
    releases who are no longer counted (their cells are then known); anyone of an earlier
    release found in neither frame counts as a change in every cell. ``shown_before``: the
    cells the latest release showed; without it no cell is known.
    """
    if not earlier_members:
        return ChangedCells()
    columns = [*PEOPLE_COLUMNS, *(["channel"] if "channel" in people else [])]
    everyone = people.loc[:, columns].assign(current=True)
    if former is not None and len(former):
        gone = former.loc[
            ~former["response_id"].isin(set(people["response_id"])), list(PEOPLE_COLUMNS)
        ]
        everyone = pd.concat([everyone, gone.assign(current=False)], ignore_index=True)
    everyone = everyone.drop_duplicates("response_id").reset_index(drop=True)
    memberships = _cells_of_people(everyone, leaders)
    known_ids = set(everyone["response_id"])
    current = everyone["current"].to_numpy(dtype=bool)
    all_keys = pd.unique(memberships["key"])
    hidden: set = set()
    differences: dict = {}
    for members in earlier_members:
        members = set(members)
        then = everyone["response_id"].isin(members).to_numpy()
        unknown = len(members - known_ids)  # left, and we do not know from which cells
        changed = (current != then).astype(np.int64)
        d = (
            pd.Series(changed[memberships["row"].to_numpy()])
            .groupby(memberships["key"].to_numpy(), sort=False)
            .sum()
            + unknown
        )
        differences = d.to_dict()
        for key, difference in differences.items():
            if 0 < difference < _threshold(key, policy):
                hidden.add(key)
    # ``differences`` now holds the changes against the latest release.
    shown = set(shown_before) if shown_before is not None else set()
    known = frozenset(key for key in all_keys if differences.get(key, 0) == 0 and key in shown)
    total_key = ("partnership", None, None, None, None)
    total = int(differences.get(total_key, 0))
    return ChangedCells(
        hidden=frozenset(hidden),
        known=known,
        total_changed_too_little=0 < total < policy.threshold(),
        total_changed=total,
    )


@dataclass(frozen=True)
class Secured:
    """What ``secure_release`` settled on: ``ok`` False when the audit still found an exact
    figure after every round (make no release then)."""

    ok: bool
    policy: SuppressionPolicy
    built: object  # what ``build`` returned with the tables
    tables: dict
    rounds: int


Build = Callable[[SuppressionPolicy], tuple[object, Mapping[str, pd.DataFrame]]]


def secure_release(
    build: Build,
    base: SuppressionPolicy,
    changed: ChangedCells,
    earlier: Sequence[Mapping[str, pd.DataFrame]] = (),
    rounds: int = AUDIT_ROUNDS,
) -> Secured:
    """Build a release's protected tables and audit them until nothing is exact.

    ``build(policy)`` returns ``(anything, {level: protected table})`` (the tables as they
    will be stored); ``changed`` comes from ``changed_cells`` (its hidden cells are forced
    hidden, its known cells are public already); ``earlier``: the tables of every earlier
    release of the cycle, oldest first. Each round audits every level against the same
    level of every earlier release, and hides what ``disclosure.more_to_hide`` names.
    The tables come back with an ``invited`` column when ``base.invited`` is set
    (``disclosure.with_invited``): store it, so later audits use this release's bounds.
    """
    hidden, known = set(changed.hidden), frozenset(changed.known)
    policy, built, tables = base, None, {}
    for round_ in range(1, rounds + 1):
        policy = _with_cells(base, frozenset(hidden), known - hidden)
        built, tables = build(policy)
        tables = {lv: disclosure.with_invited(t, policy.invited) for lv, t in tables.items()}
        exact, more = 0, set()
        for level, table in tables.items():
            if table is None or table.empty:
                continue
            frames = [e[level] for e in earlier if e.get(level) is not None and len(e[level])]
            frames.append(table)
            result = disclosure.audit(frames, policy, pinned1=False)
            exact += result.exact
            more |= disclosure.more_to_hide(table, result)
        if not exact:
            return Secured(True, policy, built, dict(tables), round_)
        more -= hidden
        if not more:  # nothing left to hide that would help: no release
            break
        hidden |= more
    return Secured(False, policy, built, dict(tables), round_)


def _with_cells(base: SuppressionPolicy, hidden: frozenset, known: frozenset) -> SuppressionPolicy:
    if not hidden and not known:
        return base
    return dataclasses.replace(base, hidden_cells=hidden, known_cells=known)
