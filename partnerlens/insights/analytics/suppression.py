"""Anonymity protection: minimum group size and complementary suppression.

A *cell* is one group's figure (all respondents, one role, one organisation, one role in one
organisation, one source, leaders or everyone else). Cells are tied by *relations*
``total = sum(parts)`` which hold for every additive figure (the number of respondents, the
number of "don't know" answers, and the sum of scores, i.e. mean x n). The rules, in order:

1. primary: a cell with 0 < n < k (n respondents with a value, or respondents at all) is hidden;
   k depends on the role (parents 10) and never drops below ``MIN_K``;
2. single hidden: a relation with exactly one hidden member would give it away by subtraction,
   so its smallest visible non-empty member is hidden too;
3. residual: the hidden parts of a relation whose total is visible add up to a group anyone can
   work out (total minus the visible parts); that group must itself hold at least k, else one
   more part is hidden;
4. linear algebra: a hidden cell whose value is fixed by any combination of relations (checked
   with the null space of the relations over the hidden cells) gets another neighbour hidden;
5. the linear-programming audit (``disclosure.secure``, on by default): a reader also knows
   each hidden cell whose row is published holds at least one person, and no cell holds
   more than were invited to it (``SuppressionPolicy.invited``); where that pins a hidden
   count, more cells are hidden and rules 2-4 run again. Hidden cells of
   ``CONCEALED_GROUPS`` (one role in one organisation), and of groups fewer than k were
   invited to (``LEFT_OUT``), are not published at all (``published_rows``): absent, like
   empty ones, so the reader knows only that they hold zero or more people.

Groupings that overlap are tied: a source and a role group are each the sum of their roles,
and the partnership is every grouping plus the open-link group (respondents who declared their
own role and organisation, counted in no other grouping). ``SuppressionPolicy.hidden_cells``
are hidden whatever their size (reason "changed", from ``releases``); ``known_cells`` are
public already and never count as protection. The rules repeat until nothing changes. Empty
cells (n = 0) are shown as 0 and never used to hide another cell, because a hidden zero
protects nothing. See docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MIN_K = 3
DEFAULT_K = 5
DEFAULT_ROLE_K: Mapping[str, int] = {"parent": 10}
LEADER_ROLES = frozenset({"partnership_lead", "headteacher", "senior_leader"})
LEADERS = "leaders"
OTHERS = "others"

VISIBLE, SMALL_GROUP, COMPLEMENTARY, CHANGED = 0, 1, 2, 3
REASON_CODES = {SMALL_GROUP: "small_group", COMPLEMENTARY: "complementary", CHANGED: "changed"}

# Groupings a breakdown can hold; "partnership" is always present as the grand total.
GROUPINGS = ("partnership", "role", "role_group", "organisation", "role_organisation", "source")
CELL_COLUMNS = ("group", "role", "role_group", "organisation_id", "source")
# Respondents who came through an open link declared their own role and organisation, and
# nobody checked: they are one group of their own ("open_link" cell), and every other
# grouping counts invited respondents only (see ``scores.summarise``).
INVITED, OPEN_LINK = "invited", "open_link"
OPEN_LINK_GROUP = "open_link"
# Groupings whose hidden cells are never printed, not even as a hidden row: hidden and empty
# look alike (absent), so a reader cannot count them as "at least one person" (six hidden
# headteacher cells in six schools under a shown count of 6 would be one each).
CONCEALED_GROUPS = ("role_organisation",)
# Per row of a protected breakdown: left out of every output when hidden (its grouping is
# concealed, or fewer than k people were invited to it: ``protect_breakdown``).
LEFT_OUT = "concealed"
# Who reviews the partnership from outside; everyone else evaluates it from inside ("self").
SOURCE_OF_ROLE: Mapping[str, str] = {"peer_reviewer": "peer", "external_adviser": "external"}
CellKey = tuple


def source_of(role: str) -> str:
    return SOURCE_OF_ROLE.get(role, "self")


def _plain(value: object) -> object:
    """None for every kind of missing value, plain int/str otherwise (hashable, comparable)."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return value


def cell_key(row: Mapping) -> CellKey:
    """The key of a cell: its ``CELL_COLUMNS`` values as a tuple, missing values as None.

    ``row`` is any mapping (a dict, a pandas row): keys built from a breakdown row, from a
    stored release and from ``releases.changed_cells`` are equal for the same group.
    """
    return tuple(_plain(row.get(column)) for column in CELL_COLUMNS)


def cell_keys(table: pd.DataFrame) -> list[CellKey]:
    """``cell_key`` of every row of a frame, in row order (fast path for big frames)."""
    columns = [
        table[c] if c in table.columns else pd.Series([None] * len(table)) for c in CELL_COLUMNS
    ]
    return [tuple(_plain(v) for v in values) for values in zip(*columns, strict=True)]


class PolicyError(ValueError):
    """A suppression setting that would weaken anonymity or makes no sense."""


@dataclass(frozen=True)
class SuppressionPolicy:
    """Minimum group sizes: ``k`` for every group, ``role_k`` for groups of a single role.

    ``hidden_cells``: cell keys (``cell_key``) hidden whatever their size, reason "changed"
    (a later release whose group changed by fewer than k people), or ``(unit, cell key)``
    pairs, ``unit`` being the tuple of the breakdown's unit columns, to hide one unit only.
    ``known_cells``: cell keys whose figures are public anyway (an earlier release showed
    them and their people have not changed): they never count as protection for another
    hidden cell, so hiding them is pointless and complementary suppression never picks them.
    ``invited``: people invited per cell key (``releases.invited_cells``), which the lead
    knows: the audit's reader takes them as upper bounds (``disclosure.caps_for``).
    """

    k: int = DEFAULT_K
    role_k: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_ROLE_K))
    hidden_cells: frozenset = frozenset()
    known_cells: frozenset = frozenset()
    invited: Mapping[CellKey, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "hidden_cells", frozenset(self.hidden_cells))
        object.__setattr__(self, "known_cells", frozenset(self.known_cells))
        for name, value in [
            ("k", self.k),
            *((f"role_k[{r!r}]", v) for r, v in self.role_k.items()),
        ]:
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise PolicyError(f"{name} must be a whole number, got {value!r}")
            if value < MIN_K:
                raise PolicyError(
                    f"{name} is {value}: the minimum group size can never be below {MIN_K}, "
                    "because smaller groups let people identify each other's answers"
                )

    def threshold(self, role: str | None = None) -> int:
        """k for a group of one role, or for a mixed group when ``role`` is None."""
        if role is None:
            return int(self.k)
        return int(self.role_k.get(role, self.k))

    def threshold_for_roles(self, roles: Iterable[str]) -> int:
        """The strictest k among the roles present (for groups not split by role)."""
        present = set(roles)
        return max([self.threshold(), *(self.threshold(r) for r in present)])


# --------------------------------------------------------------------------------------------
# The engine: counts as arrays (units x cells), relations as index lists.


@dataclass(frozen=True)
class Relation:
    total: int
    parts: tuple[int, ...]


def signed_matrix(relations: Sequence[Relation], cells: int) -> np.ndarray:
    """The relations as rows of a matrix over the cells: +1 for the total, -1 per part."""
    signed = np.zeros((len(relations), cells))
    for row, relation in enumerate(relations):
        signed[row, relation.total] = 1.0
        signed[row, list(relation.parts)] = -1.0
    return signed


def hiding_order(n: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Which cell to hide first when several would do: the smallest; ties in size go to the
    cell with fewer values, then to the earlier cell (deterministic)."""
    return size * 1e6 + n + np.arange(n.shape[-1]) * 1e-6


def _candidate(order_key: np.ndarray, allowed: np.ndarray) -> int | None:
    if not allowed.any():
        return None
    masked = np.where(allowed, order_key, np.inf)
    return int(np.argmin(masked))


def _determined(signed: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Which hidden cells the relations pin down exactly (boolean over all cells)."""
    columns = np.flatnonzero(hidden)
    result = np.zeros(hidden.shape, dtype=bool)
    if columns.size == 0:
        return result
    sub = signed[:, columns]
    sub = sub[np.any(sub != 0, axis=1)]
    if sub.shape[0] == 0:
        return result
    _, singular, vt = np.linalg.svd(sub)
    rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
    null_space = vt[rank:]
    if null_space.shape[0] == 0:
        result[columns] = True
        return result
    weight = np.sqrt((null_space**2).sum(axis=0))
    result[columns] = weight < 1e-9
    return result


def protect(
    n: np.ndarray,
    size: np.ndarray,
    thresholds: np.ndarray,
    relations: Sequence[Relation],
    forced: np.ndarray | None = None,
    known: np.ndarray | None = None,
    stuffable: np.ndarray | None = None,
) -> np.ndarray:
    """Suppression status per unit and cell: VISIBLE, SMALL_GROUP, COMPLEMENTARY or CHANGED.

    ``n`` holds respondents with a value and ``size`` respondents at all (value or "don't
    know"), both shaped (units, cells); ``thresholds`` the k of each cell. ``forced`` (same
    shape, bool) marks cells hidden whatever their size (CHANGED unless they are small);
    ``known`` cells whose figures the reader knows anyway: never chosen to protect another.
    ``stuffable`` (per cell): groups someone outside could have filled with made-up answers
    (the open-link group): protected like any other, but never protection for another
    group, since whoever made them up knows their figures.
    """
    n = np.atleast_2d(np.asarray(n, dtype=float))
    size = np.atleast_2d(np.asarray(size, dtype=float))
    size = np.maximum(size, n)
    thresholds = np.asarray(thresholds, dtype=float)
    forced = np.zeros(n.shape, bool) if forced is None else np.atleast_2d(forced)
    known = np.zeros(n.shape, bool) if known is None else np.atleast_2d(known)
    stuffable = np.zeros(n.shape[1], bool) if stuffable is None else np.asarray(stuffable, bool)
    status = np.zeros(n.shape, dtype=np.int8)
    small = ((n > 0) & (n < thresholds)) | ((size > 0) & (size < thresholds))
    status[forced & (size > 0)] = CHANGED
    status[small] = SMALL_GROUP
    signed = signed_matrix(relations, n.shape[1])
    parts_of = [np.array(r.parts, dtype=int) for r in relations]
    order_key = hiding_order(n, size)
    for unit in range(n.shape[0]):
        if not (status[unit] != VISIBLE).any():
            continue
        _protect_unit(
            status[unit],
            known[unit],
            n[unit],
            size[unit],
            order_key[unit],
            thresholds,
            relations,
            parts_of,
            signed,
            stuffable,
        )
    return status


def _protect_unit(
    status: np.ndarray,
    known: np.ndarray,
    n: np.ndarray,
    size: np.ndarray,
    order_key: np.ndarray,
    thresholds: np.ndarray,
    relations: Sequence[Relation],
    parts_of: list[np.ndarray],
    signed: np.ndarray,
    stuffable: np.ndarray | None = None,
) -> None:
    # ``secret``: hidden cells whose figures the reader does not know. A known cell protects
    # nothing, hidden or not, so it is never picked and counts as visible in every check.
    # A stuffable cell is protected, but its stuffer knows it: never picked to protect another.
    stuffable = np.zeros(status.shape, bool) if stuffable is None else stuffable
    occupied = size > 0
    free = occupied & ~known & ~stuffable
    secret = (status != VISIBLE) & ~known

    def hide(cell: int) -> None:
        secret[cell] = True
        status[cell] = COMPLEMENTARY

    while True:
        changed = True
        while changed:
            changed = False
            for relation, parts in zip(relations, parts_of, strict=True):
                hidden_parts = parts[secret[parts]]
                total_hidden = bool(secret[relation.total])
                count = hidden_parts.size + int(total_hidden)
                if count == 0:
                    continue
                weak = False
                if not total_hidden and hidden_parts.size:
                    k = thresholds[hidden_parts].max()
                    for group in (hidden_parts, hidden_parts[~stuffable[hidden_parts]]):
                        residual_n, residual_size = n[group].sum(), size[group].sum()
                        weak |= (0 < residual_n < k) or (0 < residual_size < k)
                if count != 1 and not weak:
                    continue
                total_free = not total_hidden and free[relation.total]
                allowed = np.zeros(secret.shape, dtype=bool)
                allowed[parts] = True
                allowed &= free & ~secret
                cell = _candidate(order_key, allowed)
                if cell is None and total_free:
                    cell = relation.total
                if cell is None:
                    continue
                hide(cell)
                changed = True
        determined = _determined(signed, secret) & secret
        if (secret & stuffable).any():  # as whoever stuffed the open link sees it
            determined |= _determined(signed, secret & ~stuffable) & secret & ~stuffable
        if not determined.any():
            return
        pinned = int(np.flatnonzero(determined)[0])
        touching = np.flatnonzero(signed[:, pinned] != 0)
        allowed = np.zeros(secret.shape, dtype=bool)
        for index in touching:
            allowed |= signed[index] != 0
        allowed &= free & ~secret
        if not allowed.any():  # widen to every relation that holds a hidden cell
            for index in np.flatnonzero(np.any(signed[:, secret] != 0, axis=1)):
                allowed |= signed[index] != 0
            allowed &= free & ~secret
        if not allowed.any():  # last resort: any cell the reader does not know
            allowed = free & ~secret
        cell = _candidate(order_key, allowed)
        if cell is None:
            return  # nothing left to hide: every occupied cell already is
        hide(cell)


# --------------------------------------------------------------------------------------------
# Breakdown tables: long frames with one row per unit x cell.


CELL_GROUPS = (*GROUPINGS, OPEN_LINK_GROUP)


def cell_universe(cells: pd.DataFrame) -> pd.DataFrame:
    """Distinct cells (one row each) with their ``cell`` code, ordered deterministically."""
    universe = cells.loc[:, list(CELL_COLUMNS)].drop_duplicates().reset_index(drop=True)
    total = pd.DataFrame([{"group": "partnership"}]).reindex(columns=list(CELL_COLUMNS))
    if not (universe["group"] == "partnership").any():
        universe = pd.concat([total.astype(universe.dtypes.to_dict()), universe])
    rank = universe["group"].map({g: i for i, g in enumerate(CELL_GROUPS)})
    universe = universe.assign(_rank=rank).sort_values(
        ["_rank", "role", "role_group", "organisation_id", "source"], na_position="first"
    )
    universe = universe.drop(columns="_rank").reset_index(drop=True)
    universe["cell"] = np.arange(len(universe))
    return universe


def relations_for(
    universe: pd.DataFrame,
    role_groups: Mapping[str, str] | None = None,
    role_sources: Mapping[str, str] | None = None,
) -> list[Relation]:
    """total = sum(parts) relations among the cells of a breakdown.

    Groupings that cover the same people are tied together: the partnership is the sum of
    every grouping's cells (plus the open-link group, which no other grouping counts); a
    role group (leaders, others) and a source (self, peer, external) are each the sum of
    their roles; a role and an organisation are each the sum of their role x organisation
    cells. ``role_sources`` maps roles to sources (default ``SOURCE_OF_ROLE``).
    """
    role_groups = role_groups or {}
    role_sources = SOURCE_OF_ROLE if role_sources is None else role_sources
    group = universe["group"].to_numpy()
    cell = universe["cell"].to_numpy()
    role = universe["role"].to_numpy()
    organisation = universe["organisation_id"].to_numpy()
    (total,) = cell[group == "partnership"]
    open_link = tuple(int(c) for c in cell[group == OPEN_LINK_GROUP])
    relations: list[Relation] = []

    def add(total_cell: int, mask: np.ndarray, extra: tuple[int, ...] = ()) -> None:
        parts = tuple(int(c) for c in cell[mask])
        if parts:
            relations.append(Relation(int(total_cell), parts + extra))

    for grouping in ("role", "organisation", "source", "role_group", "role_organisation"):
        add(total, group == grouping, open_link)
    role_cells = dict(zip(role[group == "role"], cell[group == "role"], strict=True))
    by_role_group = {
        label: int(c)
        for label, c in zip(
            universe["role_group"][group == "role_group"], cell[group == "role_group"], strict=True
        )
    }
    by_source = {
        label: int(c)
        for label, c in zip(
            universe["source"][group == "source"], cell[group == "source"], strict=True
        )
    }
    for mapping, default, cells_of in (
        (role_groups, OTHERS, by_role_group),
        (role_sources, "self", by_source),
    ):
        for label, group_cell in cells_of.items():
            members = [c for r, c in role_cells.items() if mapping.get(r, default) == label]
            if members:
                relations.append(Relation(group_cell, tuple(int(c) for c in members)))
    pairs = group == "role_organisation"
    for r, role_cell in role_cells.items():
        add(role_cell, pairs & (role == r))
    org_mask = group == "organisation"
    for o, org_cell in zip(organisation[org_mask], cell[org_mask], strict=True):
        add(org_cell, pairs & (organisation == o))
    # The narrowest relations first: when a hidden cell needs a partner, one found among few
    # parts (another role of the same role group) keeps the wide totals (leaders, others,
    # self, peer, external) that a part of the partnership-wide sum would cost.
    relations.sort(key=lambda relation: len(relation.parts))
    return relations


def concealed_for(universe: pd.DataFrame, groups: Sequence[str] = CONCEALED_GROUPS) -> np.ndarray:
    """Per cell of ``universe``: whether its group is one whose hidden cells are not
    published (``CONCEALED_GROUPS``)."""
    return universe["group"].isin(list(groups)).to_numpy()


def published_rows(table: pd.DataFrame, groups: Sequence[str] = CONCEALED_GROUPS) -> pd.DataFrame:
    """The rows of a protected breakdown a reader may see: every row except the hidden cells
    of ``groups`` and those marked ``LEFT_OUT`` (absent, like empty ones). Pages and
    downloads print these only."""
    if table.empty or "suppressed" not in table:
        return table
    left_out = table["group"].isin(list(groups))
    if LEFT_OUT in table:
        left_out |= table[LEFT_OUT].fillna(False).astype(bool)
    drop = left_out & table["suppressed"].astype(bool)
    return table[~drop.to_numpy()]


def thresholds_for(universe: pd.DataFrame, policy: SuppressionPolicy) -> np.ndarray:
    roles = universe["role"].to_numpy()
    return np.array(
        [policy.threshold(r if isinstance(r, str) else None) for r in roles], dtype=float
    )


def protect_breakdown(
    table: pd.DataFrame,
    policy: SuppressionPolicy,
    unit_columns: Sequence[str],
    role_groups: Mapping[str, str] | None = None,
    size_column: str = "n_responses",
    audit: bool = True,
    concealed_groups: Sequence[str] = CONCEALED_GROUPS,
) -> pd.DataFrame:
    """Mark and blank the cells of a breakdown that must not be shown.

    ``table`` has one row per unit (``unit_columns``, e.g. cycle and theme) and cell
    (``CELL_COLUMNS``) with counts ``n`` and ``size_column``. Returns a copy with
    ``suppressed`` (bool) and ``suppression_reason`` ("small_group" | "complementary" |
    "changed" | None), and every other column that is not a key set to missing on suppressed
    rows, so no caller can show a hidden figure by accident. With ``audit`` (the default,
    and what every page, download and release uses) the linear-programming audit
    (``disclosure.secure``) then hides more until no hidden count is exactly determined by
    the published ones. ``concealed_groups``: groupings whose hidden rows the outputs leave
    out (``published_rows``), so the audit's reader does not know those cells hold anyone;
    pass ``()`` for a table that prints every row (docs/anonymity.md).
    """
    if table.empty:
        return table.assign(
            suppressed=pd.Series(dtype=bool), suppression_reason=pd.Series(dtype=object)
        )
    # Each row's cell code: the rows are grouped by their cell columns first, so only one
    # row per distinct cell (a few hundred, against tens of thousands of rows) is matched
    # with the universe. Same codes as merging every row with it, at a fraction of the cost.
    distinct = table.groupby(list(CELL_COLUMNS), sort=False, dropna=False).ngroup().to_numpy()
    first = np.zeros(int(distinct.max()) + 1, dtype=np.int64)
    first[distinct[::-1]] = np.arange(len(distinct))[::-1]
    firsts = table.iloc[first][list(CELL_COLUMNS)]
    if audit:  # concealed cells invited people could be in, absent or not (``disclosure``)
        from .disclosure import with_ghosts

        firsts = with_ghosts(firsts, policy, concealed_groups)
    universe = cell_universe(firsts)
    keyed = firsts.merge(universe, on=list(CELL_COLUMNS), how="left", validate="one_to_one")
    cell_codes = keyed["cell"].to_numpy()[distinct]
    unit_codes = table.groupby(list(unit_columns), sort=False, dropna=False).ngroup().to_numpy()
    units = int(unit_codes.max()) + 1
    cells = len(universe)
    n = np.zeros((units, cells))
    size = np.zeros((units, cells))
    n[unit_codes, cell_codes] = table["n"].to_numpy(dtype=float, na_value=0.0)
    size[unit_codes, cell_codes] = table[size_column].to_numpy(dtype=float, na_value=0.0)
    forced, known = _policy_masks(table, policy, unit_columns, unit_codes, universe)
    thresholds = thresholds_for(universe, policy)
    relations = relations_for(universe, role_groups)
    # Whoever made the open-link responses knows their figures: that group never protects
    # another (four made-up answers must not complete the partnership around one real one).
    stuffable = (universe["group"] == OPEN_LINK_GROUP).to_numpy()
    status = protect(n, size, thresholds, relations, forced, known, stuffable)
    # Left out when hidden: the concealed groupings, and any group fewer than k were invited
    # to (always hidden: a printed hidden row would tell that one of them answered).
    concealed = concealed_for(universe, concealed_groups)
    if audit:
        from .disclosure import caps_for, secure  # the LP audit builds on this module

        caps = caps_for(universe, policy)
        concealed = concealed | (caps < thresholds)
        hide = {"concealed": concealed, "stuffable": stuffable, "caps": caps}
        status = secure(status, n, size, thresholds, relations, known, **hide)
    row_status = status[unit_codes, cell_codes]
    out = table.copy()
    suppressed = row_status != VISIBLE
    out["suppressed"] = suppressed
    out["suppression_reason"] = pd.Series(row_status, index=out.index).map(REASON_CODES)
    out[LEFT_OUT] = concealed[cell_codes]
    keys = set(unit_columns) | set(CELL_COLUMNS) | {"suppressed", "suppression_reason", LEFT_OUT}
    for column in out.columns:
        if column in keys or not suppressed.any():
            continue
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")
        elif pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].astype("boolean")
        elif not pd.api.types.is_float_dtype(out[column]):
            out[column] = out[column].astype(object)
        out.loc[suppressed, column] = pd.NA if out[column].dtype != float else np.nan
    return out


def _policy_masks(
    table: pd.DataFrame,
    policy: SuppressionPolicy,
    unit_columns: Sequence[str],
    unit_codes: np.ndarray,
    universe: pd.DataFrame,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Forced-hidden and known cells of ``policy`` as (units, cells) masks (None if none)."""
    if not policy.hidden_cells and not policy.known_cells:
        return None, None
    units = int(unit_codes.max()) + 1
    keys = cell_keys(universe)
    first = np.zeros(units, dtype=np.int64)
    first[unit_codes[::-1]] = np.arange(len(unit_codes))[::-1]
    unit_rows = table.iloc[first][list(unit_columns)]
    unit_keys = [tuple(_plain(v) for v in row) for row in unit_rows.itertuples(index=False)]
    masks = []
    for wanted in (policy.hidden_cells, policy.known_cells):
        mask = np.zeros((units, len(keys)), dtype=bool)
        for cell, key in enumerate(keys):
            mask[:, cell] = key in wanted
        for unit, unit_key in enumerate(unit_keys):
            for cell, key in enumerate(keys):
                if (unit_key, key) in wanted:
                    mask[unit, cell] = True
        masks.append(mask)
    return masks[0], masks[1]
