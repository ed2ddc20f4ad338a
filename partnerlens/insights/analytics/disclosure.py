"""The disclosure audit: what a determined reader can work out from every published figure.

The reader holds every release of a cycle (earlier ones first) and knows how the groups fit
together (``suppression.relations_for``: the partnership is the sum of the roles, of the
organisations, of the sources...; a role is the sum of its role x organisation cells...). For
each hidden cell they also know:

- it holds at least one person (an empty cell is shown as 0, or not at all), unless it is
  a cell of ``suppression.CONCEALED_GROUPS`` (one role in one organisation): the outputs
  leave those out when hidden, like empty ones, so the reader knows only "0 or more";
- only if ``REASONS_SHOWN`` (off: no output prints a reason): "small_group", fewer than k
  people with a value; "complementary", at least k people;
- a later release only adds people, so no cell shrinks between releases;
- no cell of invited people holds more than were invited (``SuppressionPolicy.invited``,
  or a table's ``invited`` column, ``with_invited``): the lead made the invitation list, so
  a hidden cell whose invitees all answered can be pinned from above (six headteachers
  shown, one invited per school: each school's headteacher took part). Cells left out
  when hidden (concealed groups, and groups fewer than k were invited to) look empty when
  absent: such a cell someone was invited to is 0 up to the number invited (``with_ghosts``).

The engine (``secure``) also audits a second reader, who made up the open-link answers and
so knows the open-link group's figures (``stuffable``).

Counts are whole numbers tied by sums, a totally unimodular system, so the linear program
over them has whole-number corners and its bounds are the reader's exact bounds. A hidden
count is *exact* when the program allows one value only, *pinned1* when it allows at most
three neighbouring values (known to within +/-1 person). A mean needs its count and its sum,
and sums obey the same equations, so an exact mean implies an exact count: counting exact
counts covers means (and sds) too. Between two releases, the people who joined a cell are a
group of their own: if their number is determined and below k (and above 0), their figures
follow by subtraction, which counts as exact as well.

How: per unit, the implicit equalities of the program are found by one linear program
(Freund, Roundy and Todd 1985: maximise the slack of every inequality, homogenised, so every
inequality that can be slack is slack at the optimum); a count is exact when the equations
plus those equalities pin it (null space). Ranges for pinned1 take two small programs per
remaining count. Units with the same published pattern share one answer. Solver: HiGHS
(``scipy.optimize.linprog``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .disclosure_lp import BIG, _Release, solve_units
from .suppression import (
    CELL_COLUMNS,
    COMPLEMENTARY,
    CONCEALED_GROUPS,
    LEADER_ROLES,
    LEADERS,
    OPEN_LINK_GROUP,
    SMALL_GROUP,
    VISIBLE,
    Relation,
    SuppressionPolicy,
    _plain,
    _protect_unit,
    cell_keys,
    cell_universe,
    concealed_for,
    hiding_order,
    relations_for,
    signed_matrix,
    thresholds_for,
)

UNIT_COLUMNS = ("cycle_id", "theme_key", "question_key", "dimension")
MEASURES = ("n", "n_responses")
INVITED_COLUMN = "invited"


@dataclass(frozen=True)
class AuditResult:
    """hidden: hidden (unit, cell) figures of the latest release; exact: of those, how many
    a reader can work out exactly; pinned1: to within +/-1 person (not counting exact);
    determined: (unit key, cell key) pairs of the latest release that are exact, ready for
    ``SuppressionPolicy.hidden_cells``."""

    hidden: int
    exact: int
    pinned1: int
    determined: frozenset


# --------------------------------------------------------------------------------------------
# The core: one unit, any number of releases.


# Whether the audit's reader knows why a figure is hidden (too few people, or hidden to
# protect another group), which bounds the hidden counts (fewer than k; at least k). No
# output prints a reason: every hidden figure reads the same, and only the stored release
# (no screen, no download) holds them. With the lead's invitation list in the model, a
# reader who also had the reasons would pin groups that no amount of hiding frees (a theme
# asked of three roles, everyone invited answered, a school's group "at least k" with k
# invited), so the audit models the reader the outputs make. Tests of the reasons' own
# machinery switch it on.
REASONS_SHOWN = False


def reader_bounds(
    status: np.ndarray,
    threshold: np.ndarray,
    measure: str,
    n: np.ndarray | None = None,
    concealed: np.ndarray | None = None,
    caps: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """What a reader knows of hidden counts from the reason shown: (low, high) per cell.

    ``n`` (the true counts of ``measure``, the engine's view) picks, for a complementary cell
    that holds nobody with a value, the lower branch the reader would also have to consider.
    ``concealed`` (per cell): hidden cells whose row is not published at all
    (``suppression.CONCEALED_GROUPS``): the reader cannot tell them from empty ones, so
    knows neither that they hold anyone nor why they are hidden: 0 or more.
    ``caps`` (per cell): people invited (``caps_for``), an upper bound on every hidden count,
    concealed or not.
    """
    low = np.where(status == VISIBLE, 0.0, 1.0 if measure == "n_responses" else 0.0)
    high = np.full(status.shape, BIG)
    if REASONS_SHOWN:
        small = status == SMALL_GROUP
        high = np.where(small & (measure == "n"), threshold - 1, high)
        complementary = status == COMPLEMENTARY
        at_least_k = complementary if n is None else complementary & (n >= threshold)
        low = np.where(at_least_k, threshold, low)
    # (Without the reasons, a reader who sees one text for every hidden figure knows only
    # that a hidden, non-empty group holds at least one person.)
    if concealed is not None:
        hidden = np.broadcast_to(concealed, status.shape) & (status != VISIBLE)
        low = np.where(hidden, 0.0, low)
        high = np.where(hidden, BIG, high)
    if caps is not None:
        high = np.minimum(high, caps)
    return low, high


def _cap_keys(keys: Sequence[tuple], invited: Mapping) -> np.ndarray:
    """The reader's upper bound per cell key: people invited; none for a key the list
    does not hold, for the open-link group, for the partnership when open-link respondents
    exist (they were not invited), nor at all without an invitation list."""
    caps = np.full(len(keys), BIG)
    if not invited:
        return caps
    groups = [key[0] for key in keys]
    open_link = OPEN_LINK_GROUP in groups
    for i, (key, group) in enumerate(zip(keys, groups, strict=True)):
        if group == OPEN_LINK_GROUP or (group == "partnership" and open_link):
            continue
        caps[i] = float(invited.get(key, BIG))
    return caps


def with_ghosts(
    cells: pd.DataFrame, policy: SuppressionPolicy, groups: Sequence[str]
) -> pd.DataFrame:
    """``cells`` (one row per distinct cell) plus a row for each cell left out when hidden
    (of a concealed group, or with fewer than k invited) that someone was invited to and
    ``cells`` lacks: the reader cannot tell such an empty cell from a hidden one, so the
    audit treats it as 0 up to the number invited."""
    invited = policy.invited
    if not invited:
        return cells
    have = set(cell_keys(cells))
    groupings = set(cells["group"].dropna())  # a table without a grouping gets none of it

    def left_out(key: tuple, count: int) -> bool:
        role = key[CELL_COLUMNS.index("role")]
        small = count < policy.threshold(role if isinstance(role, str) else None)
        return key[0] in groupings - {OPEN_LINK_GROUP} and (key[0] in groups or small)

    extra = [k for k, v in invited.items() if k not in have and v > 0 and left_out(k, v)]
    if not extra:
        return cells
    frame = pd.DataFrame(extra, columns=list(CELL_COLUMNS))
    if "organisation_id" in cells and cells["organisation_id"].dtype != object:
        frame["organisation_id"] = frame["organisation_id"].astype(cells["organisation_id"].dtype)
    return pd.concat([cells, frame], ignore_index=True)


def caps_for(universe: pd.DataFrame, policy: SuppressionPolicy | Mapping) -> np.ndarray:
    """Per cell of ``universe``: the most people it can hold, as the lead knows from the
    invitation list (``SuppressionPolicy.invited``); ``BIG`` where nothing is known."""
    invited = policy.invited if isinstance(policy, SuppressionPolicy) else policy
    return _cap_keys(cell_keys(universe), invited)


def with_invited(table: pd.DataFrame, invited: Mapping) -> pd.DataFrame:
    """``table`` with an ``invited`` column: each row's upper bound from the invitation
    list at the time (empty where unknown), so an audit of later releases reads each
    release's own bounds (``audit``). Unchanged without an invitation list."""
    if not invited or table is None or table.empty:
        return table
    caps = _cap_keys(cell_keys(table), invited)
    return table.assign(**{INVITED_COLUMN: np.where(caps >= BIG, np.nan, caps)})


# --------------------------------------------------------------------------------------------
# The engine's use: hide more until no hidden count is exact.


def secure(
    status: np.ndarray,
    n: np.ndarray,
    size: np.ndarray,
    thresholds: np.ndarray,
    relations: Sequence[Relation],
    known: np.ndarray | None = None,
    max_rounds: int = 50,
    concealed: np.ndarray | None = None,
    stuffable: np.ndarray | None = None,
    caps: np.ndarray | None = None,
) -> np.ndarray:
    """Hide more cells (COMPLEMENTARY) until the audit finds no exact hidden count.

    The engine knows the true counts, so it only solves where a hidden count sits on one of
    the reader's bounds (1 person, k - 1, exactly k): elsewhere the relations alone would
    have to pin it, and complementary suppression has already ruled that out. Units with
    the same published pattern (status and visible figures) share one answer.
    ``concealed``: per cell, hidden cells the outputs leave out (see ``reader_bounds``).
    ``stuffable``: per cell, groups whose figures whoever stuffed them knows (the open-link
    group): a second reader, who knows them, is audited too. ``caps``: per cell, people
    invited (``caps_for``): the reader's upper bounds (a cell whose invitees all answered
    sits on one).
    """
    status = status.copy()
    caps = np.full(status.shape[1], BIG) if caps is None else np.asarray(caps, dtype=float)
    stuffable = np.zeros(status.shape[1], bool) if stuffable is None else stuffable
    known = np.zeros(status.shape, bool) if known is None else np.atleast_2d(known)
    signed = signed_matrix(relations, status.shape[1])
    parts_of = [np.array(r.parts, dtype=int) for r in relations]
    order_key = hiding_order(n, size)
    pending = list(range(status.shape[0]))
    for _ in range(max_rounds):
        problems, owners, patterns = [], [], {}
        for unit in pending:
            secret = (status[unit] != VISIBLE) & ~known[unit] & (size[unit] > 0)
            readers = [secret]
            if (secret & stuffable).any():  # whoever stuffed the open link knows its figures
                readers.append(secret & ~stuffable)
            for unknown in readers:
                if not unknown.any():
                    continue
                cap = np.maximum(caps, size[unit])  # never below the truth
                ghost = _ghosts(size[unit] > 0, concealed, caps)
                seen = np.where(ghost, SMALL_GROUP, status[unit])
                for measure, truth in (("n", n[unit]), ("n_responses", size[unit])):
                    low, high = reader_bounds(seen, thresholds, measure, truth, concealed, cap)
                    inside = (truth[unknown] > low[unknown]) & (truth[unknown] < high[unknown])
                    if inside.all():
                        continue  # nothing on a bound: the relations alone cannot pin it
                    value = np.where(unknown | ghost, np.nan, truth)
                    pattern = (value.tobytes(), status[unit].tobytes(), low.tobytes())
                    pattern += (high.tobytes(),)
                    if pattern not in patterns:
                        patterns[pattern] = len(problems)
                        present = size[unit] > 0
                        release = _Release(value, status[unit], present, low, high, ghost)
                        problems.append([release])
                    owners.append((unit, patterns[pattern]))
        if not problems:
            break
        found, _ = solve_units(problems, signed, thresholds, pinned1=False)
        exact: dict[int, np.ndarray] = {}
        for unit, problem in owners:
            row = found[problem]
            exact[unit] = exact.get(unit, np.zeros(status.shape[1], dtype=bool)) | row
        pending = []
        for unit, cells in exact.items():
            if not cells.any():
                continue
            chosen = set()
            cap = np.maximum(caps, size[unit])
            room = _room(status[unit], n[unit], size[unit], thresholds, concealed, cap)
            # Cells pinned on a bound of their own (a headteacher invited alone, who
            # answered) pin others through the relations: free those first; the others
            # usually move with them (the next round checks).
            own = cells & ~_room(status[unit], n[unit], size[unit], thresholds, concealed, cap)
            for pinned in np.flatnonzero(own if own.any() else cells):
                chosen |= _slack_for(
                    int(pinned),
                    status[unit],
                    size[unit],
                    known[unit] | stuffable,
                    relations,
                    room,
                )
            if not chosen:  # every relation already has room: widen to any visible cell
                free = (status[unit] == VISIBLE) & (size[unit] > 0) & ~known[unit] & ~stuffable
                if not free.any():
                    continue
                candidates = np.flatnonzero(free)
                if (candidates != GRAND_TOTAL).any():
                    candidates = candidates[candidates != GRAND_TOTAL]
                chosen = {int(candidates[np.argmin(size[unit][candidates])])}
            status[unit, list(chosen)] = COMPLEMENTARY
            # The newly hidden cells must not be given away by subtraction either.
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
            pending.append(unit)
        if not pending:
            break
    return status


GRAND_TOTAL = 0  # ``suppression.cell_universe`` puts the whole partnership first


def _ghosts(present: np.ndarray, concealed: np.ndarray | None, caps: np.ndarray) -> np.ndarray:
    """Cells absent from a release that the reader cannot tell from hidden ones: cells of a
    concealed group (left out when hidden, like empty ones) to which someone was invited.
    The reader knows only that they hold 0 up to the number invited."""
    if concealed is None:
        return np.zeros(present.shape, bool)
    return concealed & ~present & (caps > 0) & (caps < BIG)


def _room(
    status: np.ndarray,
    n: np.ndarray,
    size: np.ndarray,
    thresholds: np.ndarray,
    concealed: np.ndarray | None,
    caps: np.ndarray,
) -> np.ndarray:
    """Per cell: whether, hidden (as it is, or to protect another if shown), its counts lie
    strictly inside the reader's bounds (``reader_bounds``), so it can move both ways: not
    a cell of exactly k hidden to protect another, nor one whose invitees all answered."""
    hidden = np.where(status == VISIBLE, COMPLEMENTARY, status)
    low_n, high_n = reader_bounds(hidden, thresholds, "n", n, concealed, caps)
    low, high = reader_bounds(hidden, thresholds, "n_responses", size, concealed, caps)
    return (size > low) & (size < high) & ((n > low_n) | (n == 0)) & (n < high_n)


def _slack_for(
    cell: int,
    status: np.ndarray,
    size: np.ndarray,
    known: np.ndarray,
    relations: Sequence[Relation],
    roomy: np.ndarray,
) -> set[int]:
    """Cells to hide so that ``cell`` can move: in each relation holding it where no other
    hidden member has room both ways (``_room``: a cell of exactly k, a small one, or one
    whose invitees all answered, sits on one of the reader's bounds), the smallest visible
    member that would have room (else the smallest visible member)."""
    free = (status == VISIBLE) & (size > 0) & ~known
    secret = (status != VISIBLE) & ~known
    chosen = set()
    for relation in relations:
        members = np.array((relation.total, *relation.parts))
        if cell not in members:
            continue
        others = members[members != cell]
        if (secret[others] & roomy[others]).any():
            continue
        # The whole partnership's figure is the one most people come to see: hide it only
        # when no other member of the relation can give the pinned cell room.
        parts = others != GRAND_TOTAL
        for allowed in (
            free[others] & roomy[others] & parts,
            free[others] & parts,
            free[others] & roomy[others],
            free[others],
        ):
            if allowed.any():
                candidates = others[allowed]
                chosen.add(int(candidates[np.argmin(size[candidates])]))
                break
    return chosen


# --------------------------------------------------------------------------------------------
# The audit of published frames.


def _unit_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in UNIT_COLUMNS if c in table.columns]


def _status_of(table: pd.DataFrame) -> np.ndarray:
    reason = table["suppression_reason"].to_numpy(dtype=object)
    suppressed = table["suppressed"].to_numpy(dtype=bool)
    status = np.where(suppressed, 3, VISIBLE)  # hidden for another reason: bounds 1+ only
    status = np.where(suppressed & (reason == "small_group"), SMALL_GROUP, status)
    return np.where(suppressed & (reason == "complementary"), COMPLEMENTARY, status)


def audit(
    tables: Sequence[pd.DataFrame],
    policy: SuppressionPolicy | None = None,
    leaders: frozenset[str] = LEADER_ROLES,
    role_sources: Mapping[str, str] | None = None,
    pinned1: bool = True,
    concealed_groups: Sequence[str] = CONCEALED_GROUPS,
) -> AuditResult:
    """Audit the latest of ``tables`` (protected breakdowns of one level, one per release of
    a cycle, earlier releases first) against a reader holding all of them.

    Uses every published count (n and n_responses of visible cells, 0 for cells missing from
    a release), the reasons shown (fewer than k / at least k), that each hidden cell whose
    row is published holds at least one person, that nobody leaves between releases, and
    that no cell holds more than were invited: a table's ``invited`` column (``with_invited``,
    each release's own), else ``policy.invited``.
    Hidden rows of ``concealed_groups`` are kept in the stored tables but never published
    (``suppression.published_rows``): the reader knows only that they hold 0 or more; pass
    ``()`` for a table that prints every row. ``policy`` gives k per cell (the latest
    release's). ``pinned1=False`` skips the ranges (faster).
    """
    policy = policy or SuppressionPolicy()
    tables = [t for t in tables if not t.empty]
    if not tables:
        return AuditResult(0, 0, 0, frozenset())
    units_at = _unit_columns(tables[-1])
    cells_seen = pd.concat([t[list(CELL_COLUMNS)] for t in tables], ignore_index=True)
    universe = cell_universe(with_ghosts(cells_seen, policy, concealed_groups))
    keys = cell_keys(universe)
    thresholds = thresholds_for(universe, policy)
    relations = relations_for(universe, {role: LEADERS for role in leaders}, role_sources)
    signed = signed_matrix(relations, len(keys))
    concealed = concealed_for(universe, concealed_groups)
    cells = len(keys)
    policy_caps = caps_for(universe, policy)
    coded, caps_of, concealed_of = [], [], []
    unit_index: dict[tuple, int] = {}
    for table in tables:
        cell = _codes(table, list(CELL_COLUMNS), universe)
        units = table.groupby(units_at, sort=False, dropna=False).ngroup().to_numpy()
        first = np.zeros(int(units.max()) + 1, dtype=np.int64)
        first[units[::-1]] = np.arange(units.size)[::-1]
        labels = [
            tuple(_plain(v) for v in row)
            for row in table.iloc[first][units_at].itertuples(index=False)
        ]
        for label in labels:
            unit_index.setdefault(label, len(unit_index))
        unit = np.array([unit_index[label] for label in labels])[units]
        coded.append((table, cell, unit, _status_of(table)))
        caps = policy_caps
        if INVITED_COLUMN in table.columns:  # the bounds of that release's own time
            caps = policy_caps.copy()  # (cells absent from it: the latest list's)
            given = table[INVITED_COLUMN].to_numpy(dtype=float, na_value=np.nan)
            caps[cell] = np.where(np.isnan(given), BIG, given)
        caps_of.append(caps)
        concealed_of.append(concealed | (caps < thresholds))  # left out when hidden
    latest_units = sorted({int(u) for u in coded[-1][2]})
    label_of = {i: label for label, i in unit_index.items()}
    exact = np.zeros((len(unit_index), cells), dtype=bool)
    pinned = np.zeros((len(unit_index), cells), dtype=bool)
    status_latest = np.zeros((len(unit_index), cells), dtype=np.int8)
    for measure in MEASURES:
        grids = []
        for table, cell, unit, status in coded:
            value = np.zeros((len(unit_index), cells))
            st = np.zeros((len(unit_index), cells), dtype=np.int8)
            present = np.zeros((len(unit_index), cells), dtype=bool)
            figures = table[measure].to_numpy(dtype=float, na_value=np.nan)
            value[unit, cell] = np.where(status == VISIBLE, figures, np.nan)
            st[unit, cell] = status
            present[unit, cell] = True
            grids.append((value, st, present))
        status_latest = grids[-1][1]
        problems, problem_of, patterns = [], [], {}
        for u in latest_units:
            pattern = b"".join(
                grid[u].tobytes() for value, st, present in grids for grid in (value, st, present)
            )
            if pattern not in patterns:  # units published alike share one answer
                patterns[pattern] = len(problems)
                releases = []
                for (value, st, present), caps, left in zip(
                    grids, caps_of, concealed_of, strict=True
                ):
                    ghost = _ghosts(present[u], left, caps)
                    seen = np.where(ghost, SMALL_GROUP, st[u])
                    bounds = {"concealed": left, "caps": caps}
                    low, high = reader_bounds(seen, thresholds, measure, **bounds)
                    figures = np.where(ghost, np.nan, value[u])
                    releases.append(_Release(figures, st[u], present[u], low, high, ghost))
                problems.append(releases)
            problem_of.append(patterns[pattern])
        found, near = solve_units(problems, signed, thresholds, pinned1)
        exact[latest_units] |= found[problem_of]
        pinned[latest_units] |= near[problem_of]
    secret = status_latest != VISIBLE
    # exact: hidden counts pinned, and (shown or hidden) cells whose newcomers since the
    # release before are a determined group of 0 < d < k.
    determined = frozenset(
        (label_of[int(u)], keys[int(c)]) for u, c in zip(*np.nonzero(exact), strict=True)
    )
    return AuditResult(
        int(secret.sum()), int(exact.sum()), int((pinned & secret & ~exact).sum()), determined
    )


def _codes(table: pd.DataFrame, columns: list[str], universe: pd.DataFrame) -> np.ndarray:
    """Each row's cell code in ``universe``, matching one row per distinct cell only."""
    distinct = table.groupby(columns, sort=False, dropna=False).ngroup().to_numpy()
    first = np.zeros(int(distinct.max()) + 1, dtype=np.int64)
    first[distinct[::-1]] = np.arange(distinct.size)[::-1]
    firsts = table.iloc[first][columns]
    differ = [c for c in columns if firsts[c].dtype != universe[c].dtype]
    if differ:  # a grouping only ghost cells fill (``with_ghosts``): compare as objects
        firsts = firsts.astype({c: object for c in differ})
        universe = universe.astype({c: object for c in differ})
    keyed = firsts.merge(universe, on=columns, how="left", validate="one_to_one")
    return keyed["cell"].to_numpy()[distinct]


def more_to_hide(
    table: pd.DataFrame, result: AuditResult, leaders: frozenset[str] = LEADER_ROLES
) -> frozenset:
    """(unit key, cell key) pairs a release should hide as well, after ``audit`` found
    ``result.determined`` in ``table`` (its latest release): each determined cell that is
    shown, and for each one already hidden the smallest shown cell of every relation that
    holds it. Put them in ``SuppressionPolicy.hidden_cells`` and build again, until the
    audit finds nothing."""
    if not result.determined:
        return frozenset()
    units_at = _unit_columns(table)
    universe = cell_universe(table[list(CELL_COLUMNS)])
    keys = cell_keys(universe)
    relations = relations_for(universe, {role: LEADERS for role in leaders})
    cell = _codes(table, list(CELL_COLUMNS), universe)
    unit_keys = [tuple(_plain(v) for v in row) for row in table[units_at].itertuples(index=False)]
    shown: dict[tuple, dict[int, float]] = {}
    hidden: dict[tuple, set[int]] = {}
    sizes = table["n_responses"].to_numpy(dtype=float, na_value=np.nan)
    for unit, c, secret, size in zip(unit_keys, cell, table["suppressed"], sizes, strict=True):
        if secret:
            hidden.setdefault(unit, set()).add(int(c))
        else:
            shown.setdefault(unit, {})[int(c)] = size
    code = {key: i for i, key in enumerate(keys)}
    out = set()
    for unit, key in result.determined:
        c = code.get(key)
        if c is None:
            continue
        if c not in hidden.get(unit, set()):
            out.add((unit, key))
            continue
        visible = shown.get(unit, {})
        added = False
        for relation in relations:
            members = [relation.total, *relation.parts]
            if c not in members:
                continue
            options = [(visible[m], m) for m in members if m in visible and visible[m] > 0]
            if options:
                out.add((unit, keys[min(options)[1]]))
                added = True
        if not added:  # no shown neighbour left: the smallest shown cell of the unit
            options = [(size, m) for m, size in visible.items() if size > 0]
            if options:
                out.add((unit, keys[min(options)[1]]))
    return frozenset(out)
