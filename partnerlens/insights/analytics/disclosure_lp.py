"""The linear programs behind the disclosure audit (``disclosure``): pure numpy/scipy.

A reader's knowledge of one unit (a theme, a question...) over one or more releases is a
program over the hidden counts: the relations between cells as equalities, the bounds a
hidden cell's reason gives, and "nobody leaves" between releases. Counts tied by such sums
form a totally unimodular system, so the program's corners are whole numbers and its ranges
are the reader's exact ranges.

- ``solve_units``: many units at once. Their programs are independent, so they are stacked
  block-diagonally into one program per question asked: the implicit equalities of every
  unit come from one homogenised program (Freund, Roundy and Todd 1985), and pinned1 ranges
  take two programs per round, each unit contributing one of its counts per round.
- ``unit_exact``: one unit whose true counts are known (the engine), cheaper still.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

TOLERANCE = 1e-7
SCREENS = 8
BIG = 1e9


@dataclass(frozen=True)
class _Release:
    """One release of one unit: per cell, value (NaN if hidden), status and the reader's
    bounds for hidden cells. ``ghost``: cells absent from the release that the reader cannot
    tell from hidden ones (a concealed group's cell that invitations say could hold
    someone): unknowns within their bounds, but not figures to protect (they are empty)."""

    value: np.ndarray
    status: np.ndarray
    present: np.ndarray
    low: np.ndarray
    high: np.ndarray
    ghost: np.ndarray | None = None


@dataclass(frozen=True)
class _Program:
    """The reader's program: ``eq @ x = eq_b``, ``le @ x <= le_b``, ``low <= x <= high``."""

    eq: sparse.csr_matrix
    eq_b: np.ndarray
    le: sparse.csr_matrix
    le_b: np.ndarray
    low: np.ndarray
    high: np.ndarray
    index: np.ndarray  # (releases, cells): unknown number, -1 for a published figure
    constant: np.ndarray  # (releases, cells): published figure (0 where unknown)
    target: np.ndarray  # (cells,): cells of the latest release that are not ghosts


def _program(releases: Sequence[_Release], signed: np.ndarray) -> _Program:
    cells = signed.shape[1]
    index = -np.ones((len(releases), cells), dtype=np.int64)
    constant = np.zeros((len(releases), cells))
    count = 0
    lows, highs, eq_blocks, eq_b = [], [], [], []
    for r, release in enumerate(releases):
        secret = release.present & np.isnan(release.value)
        if release.ghost is not None:
            secret = secret | release.ghost
        index[r, secret] = np.arange(count, count + int(secret.sum()))
        count += int(secret.sum())
        constant[r] = np.where(secret | np.isnan(release.value), 0.0, release.value)
        lows.append(release.low[secret])
        highs.append(release.high[secret])
    for r in range(len(releases)):
        secret = index[r] >= 0
        block = signed[:, secret]
        used = np.any(block != 0, axis=1)
        rows = np.zeros((int(used.sum()), count))
        rows[:, index[r, secret]] = block[used]
        eq_blocks.append(sparse.csr_matrix(rows))
        eq_b.append(-(signed[used] @ constant[r]))
    le_rows, le_b = [], []
    for r in range(1, len(releases)):  # nobody leaves: x[r-1] - x[r] <= 0
        for c in np.flatnonzero((index[r - 1] >= 0) | (index[r] >= 0)):
            row = np.zeros(count)
            bound = constant[r, c] - constant[r - 1, c]
            if index[r - 1, c] >= 0:
                row[index[r - 1, c]] = 1.0
            if index[r, c] >= 0:
                row[index[r, c]] = -1.0
            le_rows.append(row)
            le_b.append(bound)
    return _Program(
        eq=sparse.vstack(eq_blocks).tocsr() if eq_blocks else sparse.csr_matrix((0, count)),
        eq_b=np.concatenate(eq_b) if eq_b else np.zeros(0),
        le=sparse.csr_matrix(np.array(le_rows).reshape(len(le_rows), count)),
        le_b=np.array(le_b, dtype=float),
        low=np.concatenate(lows) if lows else np.zeros(0),
        high=np.concatenate(highs) if highs else np.zeros(0),
        index=index,
        constant=constant,
        target=np.ones(cells, bool) if releases[-1].ghost is None else ~releases[-1].ghost,
    )


def _solve_one(cost, program: _Program, le=None, le_b=None, bounds=None):
    a_ub = program.le if le is None else le
    b_ub = program.le_b if le_b is None else le_b
    if bounds is None:
        bounds = np.column_stack([program.low, np.where(program.high >= BIG, np.inf, program.high)])
    return linprog(
        cost,
        A_ub=a_ub if a_ub.shape[0] else None,
        b_ub=b_ub if a_ub.shape[0] else None,
        A_eq=program.eq if program.eq.shape[0] else None,
        b_eq=program.eq_b if program.eq.shape[0] else None,
        bounds=bounds,
        method="highs",
    )


def _movable(program: _Program, point: np.ndarray, targets: sparse.csr_matrix) -> np.ndarray:
    """Which target functionals are not constant over the program.

    ``point`` is any feasible point. The program's affine hull is found from the feasible
    directions there (A d = 0, every inequality tight at the point kept): one program
    maximises the slack of each tight inequality at once (homogeneous, so every one that can
    be slack is slack at the optimum: Freund, Roundy and Todd 1985); the others hold as
    equalities everywhere. A functional is constant iff it lies in the row space of the
    equalities, checked per connected block of unknowns with the null space.
    """
    count = program.low.size
    tight_rows = [program.le[np.flatnonzero(np.abs(program.le @ point - program.le_b) < 1e-6)]]
    at_low = np.flatnonzero(np.abs(point - program.low) < 1e-6)
    at_high = np.flatnonzero(np.abs(point - program.high) < 1e-6)
    tight_rows.append(-sparse.identity(count, format="csr")[at_low])
    tight_rows.append(sparse.identity(count, format="csr")[at_high])
    tight = sparse.vstack(tight_rows).tocsr()
    equalities = [program.eq]
    m = tight.shape[0]
    if m:
        # unknowns: d (count, free), t (m, 0..1); maximise sum t, tight @ d + t <= 0
        cost = np.concatenate([np.zeros(count), -np.ones(m)])
        a_ub = sparse.hstack([tight, sparse.identity(m)]).tocsr()
        a_eq = sparse.hstack([program.eq, sparse.csr_matrix((program.eq.shape[0], m))]).tocsr()
        has_eq = program.eq.shape[0] > 0
        result = linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.zeros(m),
            A_eq=a_eq if has_eq else None,
            b_eq=np.zeros(program.eq.shape[0]) if has_eq else None,
            bounds=[(None, None)] * count + [(0, 1)] * m,
            method="highs",
        )
        if result.status != 0:
            return np.ones(targets.shape[0], dtype=bool)  # cannot tell: claim nothing
        implicit = result.x[count:] < 0.5
        equalities.append(tight[np.flatnonzero(implicit)])
    rows = sparse.vstack(equalities).tocsr()
    return ~_in_row_space(rows, targets)


def _in_row_space(rows: sparse.csr_matrix, targets: sparse.csr_matrix) -> np.ndarray:
    """Which targets are combinations of ``rows``, block by block of linked unknowns.

    A row with one unknown fixes it: such unknowns are taken out first (cheap), the rest
    is settled with the null space of each block.
    """
    rows = rows.tocsr()
    single = np.diff(rows.indptr) == 1
    fixed = np.zeros(rows.shape[1], dtype=bool)
    fixed[rows.indices[rows.indptr[:-1][single]]] = True
    if fixed.any():
        keep = np.flatnonzero(~fixed)
        rows = rows[np.flatnonzero(~single)][:, keep]
        targets = targets.tocsr()
        rest = targets[:, keep]
        result = np.diff(rest.indptr) == 0  # only fixed unknowns: determined
        undecided = np.flatnonzero(~result)
        if undecided.size and keep.size:
            result[undecided] = _in_row_space(rows, rest[undecided])
        return result
    count = rows.shape[1]
    link = (abs(rows).T @ abs(rows)) + (abs(targets).T @ abs(targets)) + sparse.identity(count)
    _, label = connected_components(link, directed=False)
    result = np.zeros(targets.shape[0], dtype=bool)
    target_block = label[targets.tocsr().indices[targets.indptr[:-1]]] if targets.nnz else None
    row_block = np.full(rows.shape[0], -1)
    has = np.diff(rows.indptr) > 0
    row_block[has] = label[rows.indices[rows.indptr[:-1][has]]]
    dense_rows = rows.toarray()
    dense_targets = targets.toarray()
    for block in np.unique(target_block) if target_block is not None else []:
        columns = np.flatnonzero(label == block)
        mine = np.flatnonzero(target_block == block)
        sub = dense_rows[row_block == block][:, columns]
        wanted = dense_targets[mine][:, columns]
        if sub.shape[0] == 0:
            result[mine] = ~np.any(np.abs(wanted) > TOLERANCE, axis=1)
            continue
        _, singular, vt = np.linalg.svd(sub, full_matrices=False)
        rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0.0))).sum())
        basis = vt[:rank]  # orthonormal basis of the row space
        residual = wanted - (wanted @ basis.T) @ basis
        result[mine] = np.all(np.abs(residual) < 1e-7, axis=1)
    return result


def _targets(program: _Program) -> tuple[np.ndarray, np.ndarray, sparse.csr_matrix]:
    """What the reader wants: each hidden count of the latest release, then, per cell, the
    newcomers since the release before (x[latest] - x[latest - 1])."""
    count = program.low.size
    latest = program.index.shape[0] - 1
    targets_of = np.flatnonzero((program.index[latest] >= 0) & program.target)
    rows = [
        sparse.csr_matrix(
            (
                np.ones(targets_of.size),
                (np.arange(targets_of.size), program.index[latest, targets_of]),
            ),
            shape=(targets_of.size, count),
        )
    ]
    diff_of = np.zeros(0, dtype=np.int64)
    if latest >= 1:
        before, after = program.index[latest - 1], program.index[latest]
        diff_of = np.flatnonzero(((before >= 0) | (after >= 0)) & program.target)
        data, r_idx, c_idx = [], [], []
        for i, c in enumerate(diff_of):
            for column, sign in ((after[c], 1.0), (before[c], -1.0)):
                if column >= 0:
                    data.append(sign)
                    r_idx.append(i)
                    c_idx.append(column)
        rows.append(sparse.csr_matrix((data, (r_idx, c_idx)), shape=(diff_of.size, count)))
    return targets_of, diff_of, sparse.vstack(rows).tocsr()


def _judge(
    program: _Program,
    moves: np.ndarray,
    point: np.ndarray,
    thresholds: np.ndarray,
    cells: int,
) -> np.ndarray:
    """Exact cells of the latest release from which targets can move (see ``_targets``)."""
    targets_of, diff_of, targets = _targets(program)
    exact = np.zeros(cells, dtype=bool)
    exact[targets_of] = ~moves[: targets_of.size]
    latest = program.index.shape[0] - 1
    if latest >= 1 and targets_of.size:
        # A count pinned to the figure the release before showed for the same cell, with
        # nobody new in it, tells the reader nothing that was not public already.
        value = point[program.index[latest, targets_of]]
        shown_before = program.index[latest - 1, targets_of] < 0
        same = shown_before & (program.constant[latest - 1, targets_of] > 0)
        same &= np.abs(program.constant[latest - 1, targets_of] - value) < 1e-6
        exact[targets_of[same]] = False
    if diff_of.size:
        fixed = ~moves[targets_of.size :]
        value = targets[targets_of.size :] @ point
        d = value + program.constant[latest, diff_of] - program.constant[latest - 1, diff_of]
        small = fixed & (d > TOLERANCE) & (d < thresholds[diff_of] - TOLERANCE)
        exact[diff_of[small]] = True
    return exact


def unit_exact(
    releases: Sequence[_Release], signed: np.ndarray, thresholds: np.ndarray, point: np.ndarray
) -> np.ndarray:
    """Exact cells of one unit's latest release, given the true hidden counts ``point``."""
    program = _program(releases, signed)
    cells = signed.shape[1]
    if program.low.size == 0:
        return np.zeros(cells, dtype=bool)
    _, _, targets = _targets(program)
    return _judge(program, _movable(program, point, targets), point, thresholds, cells)


def _inequalities(program: _Program) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Every inequality of a program as rows ``g @ x <= h`` (bounds included)."""
    count = program.low.size
    finite = np.flatnonzero(program.high < BIG)
    identity = sparse.identity(count, format="csr")
    g = sparse.vstack([program.le, -identity, identity[finite]]).tocsr()
    h = np.concatenate([program.le_b, -program.low, program.high[finite]])
    return g, h


def _freund(programs: Sequence[_Program]) -> list[tuple[sparse.csr_matrix, np.ndarray] | None]:
    """Per program: its equalities including the implicit ones, and a feasible point (None
    where the program is infeasible). One homogenised program for all of them."""
    parts = [_inequalities(p) for p in programs]
    eq = sparse.block_diag([p.eq for p in programs], format="csr")
    eq_b = np.concatenate([p.eq_b for p in programs])
    g = sparse.block_diag([part[0] for part in parts], format="csr")
    h = np.concatenate([part[1] for part in parts])
    nv, m = g.shape[1], g.shape[0]
    cost = np.concatenate([np.zeros(nv + 1), -np.ones(m)])
    a_ub = sparse.hstack([g, sparse.csr_matrix(-h[:, None]), sparse.identity(m)]).tocsr()
    a_eq = sparse.hstack(
        [eq, sparse.csr_matrix(-eq_b[:, None]), sparse.csr_matrix((eq.shape[0], m))]
    ).tocsr()
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(m),
        A_eq=a_eq if eq.shape[0] else None,
        b_eq=np.zeros(eq.shape[0]) if eq.shape[0] else None,
        bounds=[(None, None)] * nv + [(1, None)] + [(0, 1)] * m,
        method="highs",
    )
    if result.status != 0:
        if len(programs) == 1:
            return [None]
        middle = len(programs) // 2  # find the infeasible ones, keep the rest
        return _freund(programs[:middle]) + _freund(programs[middle:])
    point = result.x[:nv] / result.x[nv]
    implicit = result.x[nv + 1 :] < 0.5
    out = []
    x_at = row_at = 0
    for program, (gi, _) in zip(programs, parts, strict=True):
        count, rows = program.low.size, gi.shape[0]
        mine = implicit[row_at : row_at + rows]
        equalities = sparse.vstack([program.eq, gi[np.flatnonzero(mine)]]).tocsr()
        out.append((equalities, point[x_at : x_at + count]))
        x_at += count
        row_at += rows
    return out


def solve_units(
    problems: Sequence[Sequence[_Release]],
    signed: np.ndarray,
    thresholds: np.ndarray,
    pinned1: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact and pinned-to-within-one cells of each unit's latest release: (units, cells)."""
    cells = signed.shape[1]
    exact = np.zeros((len(problems), cells), dtype=bool)
    pinned = np.zeros((len(problems), cells), dtype=bool)
    programs = [_program(releases, signed) for releases in problems]
    for i, releases in enumerate(problems):  # newcomers in a cell shown both times
        if len(releases) > 1:
            exact[i] |= _shown_newcomers(releases[-2], releases[-1], thresholds)
    live = [i for i, p in enumerate(programs) if p.low.size]
    if not live:
        return exact, pinned
    solved = _freund([programs[i] for i in live])
    loose: dict[int, np.ndarray] = {}
    for i, answer in zip(live, solved, strict=True):
        if answer is None:
            continue  # the reader's model does not fit the figures: no claim
        equalities, point = answer
        targets_of, _, targets = _targets(programs[i])
        moves = ~_in_row_space(equalities, targets)
        exact[i] |= _judge(programs[i], moves, point, thresholds, cells)
        loose[i] = targets_of[~exact[i][targets_of]]
    if pinned1 and loose:
        pinned |= _pinned(programs, loose, cells)
    return exact, pinned


def _shown_newcomers(before: _Release, after: _Release, thresholds: np.ndarray) -> np.ndarray:
    """Cells shown in both releases whose people changed by 0 < d < k: the newcomers'
    figures follow by subtraction."""
    shown = before.present & after.present & ~np.isnan(before.value) & ~np.isnan(after.value)
    d = np.where(shown, after.value - before.value, 0.0)
    return shown & (np.abs(d) > TOLERANCE) & (np.abs(d) < thresholds - TOLERANCE)


def _pinned(programs: Sequence[_Program], loose: dict[int, np.ndarray], cells: int) -> np.ndarray:
    """Cells whose range is at most 2 (known to +/-1), by rounds of stacked programs."""
    pinned = np.zeros((len(programs), cells), dtype=bool)
    order = list(loose)
    stacked = [programs[i] for i in order]
    offsets = np.cumsum([0] + [p.low.size for p in stacked])
    eq = sparse.block_diag([p.eq for p in stacked], format="csr")
    le = sparse.block_diag([p.le for p in stacked], format="csr")
    eq_b = np.concatenate([p.eq_b for p in stacked])
    le_b = np.concatenate([p.le_b for p in stacked])
    low = np.concatenate([p.low for p in stacked])
    high = np.concatenate([p.high for p in stacked])
    bounds = np.column_stack([low, np.where(high >= BIG, np.inf, high)])

    def solve(cost: np.ndarray) -> np.ndarray | None:
        result = linprog(
            cost,
            A_ub=le if le.shape[0] else None,
            b_ub=le_b if le.shape[0] else None,
            A_eq=eq if eq.shape[0] else None,
            b_eq=eq_b if eq.shape[0] else None,
            bounds=bounds,
            method="highs",
        )
        return result.x if result.status == 0 else None

    # Screening: corners reached with random objectives (the same ones in every run) show
    # spreads; a count seen to take values 3 apart is not pinned, and needs no program.
    rng = np.random.default_rng(0)
    seen_low = np.full(offsets[-1], np.inf)
    seen_high = np.full(offsets[-1], -np.inf)
    for _ in range(SCREENS):
        corner = solve(rng.normal(size=offsets[-1]))
        if corner is not None:
            seen_low, seen_high = np.minimum(seen_low, corner), np.maximum(seen_high, corner)
    for j, i in enumerate(order):
        columns = offsets[j] + programs[i].index[-1, loose[i]]
        loose[i] = loose[i][~(seen_high[columns] - seen_low[columns] > 2 + 1e-6)]
    rounds = max((loose[i].size for i in order), default=0)
    for r in range(rounds):
        cost = np.zeros(offsets[-1])
        picks = []
        for j, i in enumerate(order):
            if r < loose[i].size:
                column = offsets[j] + programs[i].index[-1, loose[i][r]]
                cost[column] = 1.0
                picks.append((i, loose[i][r], column))
        if not picks:
            continue
        ends = [solve(cost), solve(-cost)]
        if ends[0] is None or ends[1] is None:
            continue
        for i, cell, column in picks:
            pinned[i, cell] = ends[1][column] - ends[0][column] <= 2 + 1e-6
    return pinned
