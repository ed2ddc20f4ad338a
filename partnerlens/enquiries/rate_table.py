"""The response-rate table with small counts protected (pure: no Django, no database).

A lead sees, per role and organisation, how many were invited and how many have submitted,
with totals per role, per organisation and overall. Invited counts are the lead's own
list, so they are always shown. A submitted count is shown only if it and the count still
to submit (invited minus submitted) are both at least ``k``; otherwise it is hidden, and
in groups large enough (see ``labelled``) the small one reads "fewer than k". A "1 of 1"
would say a named person took part.

Totals make subtraction possible: a role total minus the shown cells of that role gives
the one hidden cell. So whenever a sum (a total and its parts) has exactly one hidden
figure, another is hidden too (the smallest shown), until no sum has exactly one; then a
linear program over all the sums, with the ranges a reader can infer (from the labels
and the invited counts), confirms no hidden figure is pinned, hiding more if one is. In
anonymous cycles no role and organisation submitted count is shown at all, and a total
only for a group of at least ``k`` invited people.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.optimize import linprog

ALL = None  # the "total" position in a key: (role, ALL), (ALL, organisation), (ALL, ALL)

Key = tuple[Hashable, Hashable]


@dataclass(frozen=True)
class Figure:
    """One row of the table. ``submitted``/``waiting`` are None when hidden; ``*_below``
    says the hidden figure is below ``k`` (shown as "fewer than k")."""

    invited: int
    submitted: int | None
    waiting: int | None
    submitted_below: bool = False
    waiting_below: bool = False

    @property
    def hidden(self) -> bool:
        return self.submitted is None


def _sums(rows: list, columns: list, keys: set[Key]) -> list[tuple[Key, list[Key]]]:
    """Each published total with its parts: role totals, organisation totals, the grand
    total over roles and over organisations."""
    sums = []
    for r in rows:
        sums.append(((r, ALL), [(r, c) for c in columns if (r, c) in keys]))
    for c in columns:
        sums.append(((ALL, c), [(r, c) for r in rows if (r, c) in keys]))
    sums.append(((ALL, ALL), [(r, ALL) for r in rows]))
    sums.append(((ALL, ALL), [(ALL, c) for c in columns]))
    return sums


def _pinned(
    hidden: set[Key],
    sums: list[tuple[Key, list[Key]]],
    counts: Mapping[Key, tuple[int, int]],
    bounds: Mapping[Key, tuple[int, int]],
) -> list[Key]:
    """Hidden figures that a reader can work out exactly from everything shown.

    The reader knows every shown figure, every invited count, and for each hidden figure
    the range ``bounds`` gives. With the shown figures moved to the right-hand side each
    sum is an equation in the hidden ones. A figure is pinned if it sits on one edge of
    its range in every solution (``_stuck``), or if the sums alone fix it once those are
    known (``_fixed_by_sums``).
    """
    free = sorted((key for key in hidden if bounds[key][0] < bounds[key][1]), key=repr)
    if not free:
        return []
    index = {key: i for i, key in enumerate(free)}
    rows, right = [], []
    for total, parts in sums:
        row = np.zeros(len(free))
        constant = 0.0
        for key, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if key in index:
                row[index[key]] += sign
            else:  # shown, or hidden with a range of one value: known either way
                known = bounds[key][0] if key in hidden else counts[key][1]
                constant -= sign * known
        if row.any():
            rows.append(row)
            right.append(constant)
    if not rows:
        return []
    matrix = np.array(rows)
    stuck = _stuck(matrix, right, [bounds[key] for key in free])
    pinned = {free[i] for i in stuck}
    pinned |= _fixed_by_sums([free[i] for i in range(len(free)) if i not in stuck])
    return sorted(pinned, key=repr)


def _fixed_by_sums(unknown: list[Key]) -> set[Key]:
    """The unknown figures that the sums alone determine.

    Negate the totals of roles and of organisations and the table with its margins becomes
    a grid (roles and "all roles" by organisations and "all organisations") whose every
    row and column sum is known. The unknowns are edges of a bipartite graph between its
    rows and columns; what the sums leave free is exactly the cycle space of that graph, so
    an unknown is determined exactly when its edge lies on no cycle: when it is a bridge.
    """
    graph = nx.Graph()
    for role, organisation in unknown:
        graph.add_edge(("role", role), ("organisation", organisation), key=(role, organisation))
    return {graph.edges[edge]["key"] for edge in nx.bridges(graph)}


def _stuck(matrix: np.ndarray, right: list[float], box: list[tuple[int, int]]) -> set[int]:
    """The variables that sit on the same edge of their range in every solution.

    Each round maximises the summed margins (up to 1 each) of the variables not yet seen
    strictly inside their range; those that get a margin can leave their bounds. When a
    round frees none, no solution has any of the rest inside, and by convexity each of
    them then keeps one value in every solution. Every other variable can be strictly
    inside at once (the average of the solutions found), so the equations alone decide
    whether it can move.
    """
    n = len(box)
    waiting = list(range(n))
    while waiting:
        m = len(waiting)
        goal = np.concatenate([np.zeros(n), -np.ones(m)])
        margins = np.zeros((2 * m, n + m))
        limits = np.zeros(2 * m)
        for j, i in enumerate(waiting):
            low, high = box[i]
            margins[2 * j, i], margins[2 * j, n + j], limits[2 * j] = -1.0, 1.0, -low
            margins[2 * j + 1, i], margins[2 * j + 1, n + j], limits[2 * j + 1] = 1.0, 1.0, high
        found = linprog(
            goal,
            A_ub=margins,
            b_ub=limits,
            A_eq=np.hstack([matrix, np.zeros((matrix.shape[0], m))]),
            b_eq=right,
            bounds=[*box, *[(0, 1)] * m],
            method="highs",
        )
        if found.status != 0:
            return set()  # the figures contradict each other: nothing to learn
        inside = {i for j, i in enumerate(waiting) if found.x[n + j] > 1e-7}
        if not inside:
            return set(waiting)
        waiting = [i for i in waiting if i not in inside]
    return set()


def protect(
    cells: Mapping[Key, tuple[int, int]], k: int, *, anonymous: bool = False
) -> dict[Key, Figure]:
    """``cells`` maps (role, organisation) to (invited, submitted); the result holds every
    cell and every total (keys with ``ALL``) as a ``Figure``."""
    rows = sorted({r for r, _c in cells}, key=repr)
    columns = sorted({c for _r, c in cells}, key=repr)
    counts: dict[Key, tuple[int, int]] = dict(cells)
    for r in rows:
        parts = [cells[(r, c)] for c in columns if (r, c) in cells]
        counts[(r, ALL)] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
    for c in columns:
        parts = [cells[(r, c)] for r in rows if (r, c) in cells]
        counts[(ALL, c)] = (sum(p[0] for p in parts), sum(p[1] for p in parts))
    counts[(ALL, ALL)] = (
        sum(n for n, _s in cells.values()),
        sum(s for _n, s in cells.values()),
    )

    def small(key: Key) -> bool:
        invited, submitted = counts[key]
        return submitted < k or invited - submitted < k

    def labelled(key: Key) -> bool:
        """Whether a hidden figure may say "fewer than k". Only in groups of more than 2k
        invited people: then at most one side can be below k, and a figure hidden only to
        protect another still leaves at least two possible values. In smaller groups a
        label would tell which side is small, and with the invited count that can pin it."""
        return key not in withheld and counts[key][0] > 2 * k

    def _range(key: Key) -> tuple[int, int]:
        """What the page and the rules tell a reader about a hidden submitted count."""
        invited, submitted = counts[key]
        if not labelled(key):
            return 0, invited
        if submitted < k:
            return 0, k - 1
        if invited - submitted < k:
            return invited - k + 1, invited
        return k, invited - k

    withheld = set()  # not shown at all, not even as "fewer than k"
    if anonymous:
        withheld = {key for key in counts if ALL not in key or counts[key][0] < k}
    hidden = withheld | {key for key in counts if small(key)}
    sums = _sums(rows, columns, set(cells))
    while True:
        grew = False
        for total, parts in sums:
            members = [total, *parts]
            if sum(m in hidden for m in members) == 1:
                shown = [m for m in members if m not in hidden]
                if shown:
                    hidden.add(min(shown, key=lambda m: (counts[m][1], repr(m))))
                    grew = True
        if grew:
            continue
        pinned = _pinned(hidden, sums, counts, {key: _range(key) for key in hidden})
        if not pinned:
            break
        added = set()
        for target in pinned:  # one more hidden figure beside each pinned one
            near = [m for t, parts in sums if target in (t, *parts) for m in (t, *parts)]
            if any(m in added for m in near):
                continue
            shown = [m for m in near if m not in hidden] or [m for m in counts if m not in hidden]
            if shown:
                added.add(min(shown, key=lambda m: (counts[m][1], repr(m))))
        if not added:
            break
        hidden |= added

    result = {}
    for key, (invited, submitted) in counts.items():
        if key not in hidden:
            result[key] = Figure(invited, submitted, invited - submitted)
        elif key in withheld:
            result[key] = Figure(invited, None, None)
        else:
            below = labelled(key)
            result[key] = Figure(
                invited, None, None, below and submitted < k, below and invited - submitted < k
            )
    return result
