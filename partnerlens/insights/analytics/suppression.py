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
   with the null space of the relations over the hidden cells) gets another neighbour hidden.

The rules repeat until nothing changes. Empty cells (n = 0) are shown as 0 and never used to
hide another cell, because a hidden zero protects nothing. See docs/methods.md.
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

VISIBLE, SMALL_GROUP, COMPLEMENTARY = 0, 1, 2
REASON_CODES = {SMALL_GROUP: "small_group", COMPLEMENTARY: "complementary"}

# Groupings a breakdown can hold; "partnership" is always present as the grand total.
GROUPINGS = ("partnership", "role", "role_group", "organisation", "role_organisation", "source")
CELL_COLUMNS = ("group", "role", "role_group", "organisation_id", "source")


class PolicyError(ValueError):
    """A suppression setting that would weaken anonymity or makes no sense."""


@dataclass(frozen=True)
class SuppressionPolicy:
    """Minimum group sizes: ``k`` for every group, ``role_k`` for groups of a single role."""

    k: int = DEFAULT_K
    role_k: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_ROLE_K))

    def __post_init__(self) -> None:
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


def role_group_of(role: str, leaders: frozenset[str] = LEADER_ROLES) -> str:
    return LEADERS if role in leaders else OTHERS


# --------------------------------------------------------------------------------------------
# The engine: counts as arrays (units x cells), relations as index lists.


@dataclass(frozen=True)
class Relation:
    total: int
    parts: tuple[int, ...]
    # For totals that only re-add other cells (leaders = the leader roles), hiding the total
    # costs less than hiding one more part that people came to see.
    prefer_total: bool = False


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
) -> np.ndarray:
    """Suppression status per unit and cell: VISIBLE, SMALL_GROUP or COMPLEMENTARY.

    ``n`` holds respondents with a value and ``size`` respondents at all (value or "don't
    know"), both shaped (units, cells); ``thresholds`` the k of each cell.
    """
    n = np.atleast_2d(np.asarray(n, dtype=float))
    size = np.atleast_2d(np.asarray(size, dtype=float))
    size = np.maximum(size, n)
    thresholds = np.asarray(thresholds, dtype=float)
    status = np.zeros(n.shape, dtype=np.int8)
    small = ((n > 0) & (n < thresholds)) | ((size > 0) & (size < thresholds))
    status[small] = SMALL_GROUP
    signed = np.zeros((len(relations), n.shape[1]))
    for index, relation in enumerate(relations):
        signed[index, relation.total] = 1.0
        signed[index, list(relation.parts)] = -1.0
    parts_of = [np.array(r.parts, dtype=int) for r in relations]
    # Ties in size go to the cell with fewer values, then to the earlier cell: deterministic.
    order_key = size * 1e6 + n + np.arange(n.shape[1]) * 1e-6
    for unit in range(n.shape[0]):
        hidden = status[unit] != VISIBLE
        if not hidden.any():
            continue
        _protect_unit(
            hidden,
            status[unit],
            n[unit],
            size[unit],
            order_key[unit],
            thresholds,
            relations,
            parts_of,
            signed,
        )
    return status


def _hide(status: np.ndarray, hidden: np.ndarray, cell: int) -> None:
    hidden[cell] = True
    status[cell] = COMPLEMENTARY


def _protect_unit(
    hidden: np.ndarray,
    status: np.ndarray,
    n: np.ndarray,
    size: np.ndarray,
    order_key: np.ndarray,
    thresholds: np.ndarray,
    relations: Sequence[Relation],
    parts_of: list[np.ndarray],
    signed: np.ndarray,
) -> None:
    occupied = size > 0
    while True:
        changed = True
        while changed:
            changed = False
            for relation, parts in zip(relations, parts_of, strict=True):
                hidden_parts = parts[hidden[parts]]
                total_hidden = bool(hidden[relation.total])
                count = hidden_parts.size + int(total_hidden)
                if count == 0:
                    continue
                weak = False
                if not total_hidden and hidden_parts.size:
                    k = thresholds[hidden_parts].max()
                    residual_n = n[hidden_parts].sum()
                    residual_size = size[hidden_parts].sum()
                    weak = (0 < residual_n < k) or (0 < residual_size < k)
                if count != 1 and not weak:
                    continue
                total_free = not total_hidden and occupied[relation.total]
                allowed = np.zeros(hidden.shape, dtype=bool)
                allowed[parts] = True
                allowed &= occupied & ~hidden
                cell = None
                if relation.prefer_total and total_free:
                    cell = relation.total
                if cell is None:
                    cell = _candidate(order_key, allowed)
                if cell is None and total_free:
                    cell = relation.total
                if cell is None:
                    continue
                _hide(status, hidden, cell)
                changed = True
        determined = _determined(signed, hidden)
        if not determined.any():
            return
        pinned = int(np.flatnonzero(determined)[0])
        touching = np.flatnonzero(signed[:, pinned] != 0)
        allowed = np.zeros(hidden.shape, dtype=bool)
        for index in touching:
            allowed |= signed[index] != 0
        allowed &= occupied & ~hidden
        if not allowed.any():  # widen to every relation that holds a hidden cell
            for index in np.flatnonzero(np.any(signed[:, hidden] != 0, axis=1)):
                allowed |= signed[index] != 0
            allowed &= occupied & ~hidden
        cell = _candidate(order_key, allowed)
        if cell is None:
            return  # nothing left to hide: every occupied cell already is
        _hide(status, hidden, cell)


# --------------------------------------------------------------------------------------------
# Breakdown tables: long frames with one row per unit x cell.


def cell_universe(cells: pd.DataFrame) -> pd.DataFrame:
    """Distinct cells (one row each) with their ``cell`` code, ordered deterministically."""
    universe = cells.loc[:, list(CELL_COLUMNS)].drop_duplicates().reset_index(drop=True)
    total = pd.DataFrame([{"group": "partnership"}]).reindex(columns=list(CELL_COLUMNS))
    if not (universe["group"] == "partnership").any():
        universe = pd.concat([total.astype(universe.dtypes.to_dict()), universe])
    rank = universe["group"].map({g: i for i, g in enumerate(GROUPINGS)})
    universe = universe.assign(_rank=rank).sort_values(
        ["_rank", "role", "role_group", "organisation_id", "source"], na_position="first"
    )
    universe = universe.drop(columns="_rank").reset_index(drop=True)
    universe["cell"] = np.arange(len(universe))
    return universe


def relations_for(
    universe: pd.DataFrame, role_groups: Mapping[str, str] | None = None
) -> list[Relation]:
    """total = sum(parts) relations among the cells of a breakdown."""
    role_groups = role_groups or {}
    group = universe["group"].to_numpy()
    cell = universe["cell"].to_numpy()
    role = universe["role"].to_numpy()
    organisation = universe["organisation_id"].to_numpy()
    (total,) = cell[group == "partnership"]
    relations: list[Relation] = []

    def add(total_cell: int, mask: np.ndarray) -> None:
        parts = tuple(int(c) for c in cell[mask])
        if parts:
            relations.append(Relation(int(total_cell), parts))

    for grouping in ("role", "organisation", "source", "role_group", "role_organisation"):
        add(total, group == grouping)
    role_cells = dict(zip(role[group == "role"], cell[group == "role"], strict=True))
    group_cells = dict(
        zip(universe["role_group"][group == "role_group"], cell[group == "role_group"], strict=True)
    )
    for label, group_cell in group_cells.items():
        members = [c for r, c in role_cells.items() if role_groups.get(r, OTHERS) == label]
        if members:
            relations.append(
                Relation(int(group_cell), tuple(int(c) for c in members), prefer_total=True)
            )
    pairs = group == "role_organisation"
    for r, role_cell in role_cells.items():
        add(role_cell, pairs & (role == r))
    org_mask = group == "organisation"
    for o, org_cell in zip(organisation[org_mask], cell[org_mask], strict=True):
        add(org_cell, pairs & (organisation == o))
    return relations


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
) -> pd.DataFrame:
    """Mark and blank the cells of a breakdown that must not be shown.

    ``table`` has one row per unit (``unit_columns``, e.g. cycle and theme) and cell
    (``CELL_COLUMNS``) with counts ``n`` and ``size_column``. Returns a copy with
    ``suppressed`` (bool) and ``suppression_reason`` ("small_group" | "complementary" | None),
    and every other column that is not a key set to missing on suppressed rows, so no caller
    can show a hidden figure by accident.
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
    status = protect(
        n, size, thresholds_for(universe, policy), relations_for(universe, role_groups)
    )
    row_status = status[unit_codes, cell_codes]
    out = table.copy()
    suppressed = row_status != VISIBLE
    out["suppressed"] = suppressed
    out["suppression_reason"] = pd.Series(row_status, index=out.index).map(REASON_CODES)
    keys = set(unit_columns) | set(CELL_COLUMNS) | {"suppressed", "suppression_reason"}
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


# --------------------------------------------------------------------------------------------
# Free text.


def visible_comments(
    comments: pd.DataFrame,
    respondents: pd.DataFrame,
    policy: SuppressionPolicy,
    by: Sequence[str] = (),
) -> pd.DataFrame:
    """The comments that may be shown grouped ``by`` role and/or organisation_id.

    A group's size is the number of people in it who responded to the cycle (a commenter hides
    among all of them). Groups are protected exactly like score cells, with the partnership as
    the visible total, so the comments left over from hidden groups never come from one small
    group. ``by=()`` shows comments unattributed, if the whole partnership reaches k.
    """
    allowed = {(), ("role",), ("organisation_id",), ("role", "organisation_id")}
    if tuple(by) not in allowed:
        raise ValueError(f"comments can be grouped by role and/or organisation_id, not {by!r}")
    if comments.empty:
        return comments.copy()
    kept = []
    for cycle, people in respondents.groupby("cycle_id", sort=False):
        counts = _respondent_cells(people, tuple(by))
        protected = protect_breakdown(counts.assign(cycle_id=cycle), policy, ["cycle_id"])
        wanted = {
            (): "partnership",
            ("role",): "role",
            ("organisation_id",): "organisation",
            ("role", "organisation_id"): "role_organisation",
        }[tuple(by)]
        shown = protected[(protected["group"] == wanted) & ~protected["suppressed"]]
        mine = comments[comments["cycle_id"] == cycle]
        if by:
            mine = mine.merge(shown[list(by)].drop_duplicates(), on=list(by), how="inner")
        elif shown.empty:
            mine = mine.iloc[0:0]
        kept.append(mine)
    return pd.concat(kept, ignore_index=True) if kept else comments.iloc[0:0].copy()


def _respondent_cells(people: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    frames = [pd.DataFrame({"group": ["partnership"], "n": [len(people)]})]
    if "role" in by:
        counts = people.groupby("role").size().rename("n").reset_index()
        frames.append(counts.assign(group="role"))
    if "organisation_id" in by:
        counts = people.groupby("organisation_id").size().rename("n").reset_index()
        frames.append(counts.assign(group="organisation"))
    if by == ("role", "organisation_id"):
        counts = people.groupby(["role", "organisation_id"]).size().rename("n").reset_index()
        frames.append(counts.assign(group="role_organisation"))
    cells = pd.concat(frames, ignore_index=True).reindex(columns=[*CELL_COLUMNS, "n"])
    cells["organisation_id"] = cells["organisation_id"].astype("Int64")
    return cells.assign(n_responses=cells["n"])
