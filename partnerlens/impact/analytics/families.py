# ruff: noqa: RUF002  (mathematical notation: Greek letters, minus and times signs)
"""Comparison families: for each partnership school, the ~50 most similar schools outside it.

Like the EEF's Families of Schools: matched on prior outcome, FSM, EAL, SEN and size, within
the same phase (an exact match). The distance is a weighted, z-scored Euclidean distance:

    d(i, j) = sqrt( Σ_v w_v · ((x_iv − x_jv) / sd_v)² )

with ``sd_v`` the SD of covariate v over the phase's schools with complete data, size as
log(pupils), and weights ``WEIGHTS`` (prior outcome counts double: it predicts later outcomes
best; size half: it matters least). Ties are broken by URN (smaller first), so a family is
reproducible. A school without all five covariates cannot be placed: as a partnership school it
gets the code ``missing_covariates`` and no family; as a candidate it is left out of the pool
(``FamilyIndex.missing`` counts them). Families may overlap; the comparison group of a
difference-in-differences is their union.

Balance: standardised mean differences (Austin 2009; Stuart 2010), the partnership's schools
against the whole eligible pool (before) and against their families (after, each family
weighted 1/size so every partnership school counts once), both over the same denominator
``sqrt((s²_partnership + s²_pool) / 2)``; |SMD| < 0.1 is the usual mark of good balance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

COVARIATES = ("prior", "fsm", "eal", "sen", "log_pupils")
WEIGHTS = {"prior": 2.0, "fsm": 1.0, "eal": 1.0, "sen": 1.0, "log_pupils": 0.5}
FAMILY_SIZE = 50
MATCHED, SMALL_FAMILY = "matched", "small_family"
MISSING_COVARIATES, UNKNOWN_SCHOOL = "missing_covariates", "unknown_school"
REQUIRED = ("urn", "phase", "prior", "fsm", "eal", "sen", "pupils")


class FamilyError(ValueError):
    """The schools frame lacks a column or repeats a URN (a caller's bug, not the data's)."""


@dataclass(frozen=True)
class Families:
    members: pd.DataFrame  # school_urn, member_urn, distance, rank
    status: pd.DataFrame  # school_urn, status, family_size
    balance: pd.DataFrame  # covariate, partnership_mean, pool_mean, family_mean, smd_*

    def comparison_urns(self) -> list[int]:
        return sorted(self.members["member_urn"].unique().tolist())


@dataclass(frozen=True)
class _Phase:
    tree: cKDTree
    urns: np.ndarray  # sorted; tree point i is urns[i]
    raw: np.ndarray  # unscaled covariates, for balance


class FamilyIndex:
    """Every phase's schools in a k-d tree, built once and queried per partnership."""

    def __init__(self, schools: pd.DataFrame, weights: dict[str, float] | None = None) -> None:
        missing = [c for c in REQUIRED if c not in schools.columns]
        if missing:
            raise FamilyError(f"schools: missing column(s) {missing}")
        if schools["urn"].duplicated().any():
            raise FamilyError("schools: a URN appears twice")
        weights = weights or WEIGHTS
        frame = schools[list(REQUIRED)].copy()
        pupils = frame["pupils"].astype(float)
        frame["log_pupils"] = np.log(pupils.where(pupils > 0))
        values = frame[list(COVARIATES)].astype(float).to_numpy()
        complete = np.isfinite(values).all(axis=1) & frame["phase"].notna().to_numpy()
        self.missing = int((~complete).sum())
        self.known = dict(zip(frame["urn"].astype(int), complete, strict=True))
        self.phase_of = dict(zip(frame["urn"].astype(int), frame["phase"], strict=True))
        scale = np.sqrt(np.array([weights[c] for c in COVARIATES]))
        self.phases: dict[object, _Phase] = {}
        frame, values = frame[complete], values[complete]
        for phase in frame["phase"].unique():
            rows = np.flatnonzero((frame["phase"] == phase).to_numpy())
            urns = frame["urn"].to_numpy(dtype=np.int64)[rows]
            order = np.argsort(urns, kind="stable")
            rows, urns = rows[order], urns[order]
            raw = values[rows]
            sd = raw.std(axis=0, ddof=1) if len(rows) > 1 else np.ones(raw.shape[1])
            sd = np.where(sd > 0, sd, 1.0)
            z = (raw - raw.mean(axis=0)) / sd * scale
            self.phases[phase] = _Phase(cKDTree(z), urns, raw)

    def families(self, partnership, size: int = FAMILY_SIZE, exclude=()) -> Families:
        """The family of each school in ``partnership`` (URNs), none of them inside it."""
        schools = sorted({int(u) for u in partnership})
        banned = set(schools) | {int(u) for u in exclude}
        members, status = [], []
        treated_raw, family_raw, family_weight, pool_raw = [], [], [], []
        for urn in schools:
            if urn not in self.known:
                status.append((urn, UNKNOWN_SCHOOL, 0))
            elif not self.known[urn]:
                status.append((urn, MISSING_COVARIATES, 0))
        by_phase: dict[object, list[int]] = {}
        for urn in schools:
            if self.known.get(urn):
                by_phase.setdefault(self.phase_of[urn], []).append(urn)
        for phase, urns in by_phase.items():
            index = self.phases[phase]
            blocked = np.isin(index.urns, np.fromiter(banned, dtype=np.int64))
            own = np.searchsorted(index.urns, urns)
            dist, idx = _nearest(index, own, blocked, size)
            treated_raw.append(index.raw[own])
            pool_raw.append(index.raw[~blocked])
            for row, urn in enumerate(urns):
                found = np.isfinite(dist[row])
                got = int(found.sum())
                status.append((urn, MATCHED if got >= size else SMALL_FAMILY, got))
                chosen = idx[row][found]
                members.append(
                    pd.DataFrame(
                        {
                            "school_urn": urn,
                            "member_urn": index.urns[chosen],
                            "distance": dist[row][found],
                            "rank": np.arange(1, got + 1),
                        }
                    )
                )
                family_raw.append(index.raw[chosen])
                family_weight.append(np.full(got, 1.0 / max(got, 1)))
        table = (
            pd.concat(members, ignore_index=True)
            if members
            else pd.DataFrame(columns=["school_urn", "member_urn", "distance", "rank"])
        )
        status_frame = pd.DataFrame(status, columns=["school_urn", "status", "family_size"])
        balance = _balance(treated_raw, pool_raw, family_raw, family_weight)
        return Families(table, status_frame.sort_values("school_urn", ignore_index=True), balance)


def _nearest(index: _Phase, own: np.ndarray, blocked: np.ndarray, size: int) -> tuple:
    """(distances, tree indices) of the ``size`` nearest unblocked points, ties by URN;
    inf where the phase has fewer. Queries more points until no tie can be cut off."""
    available = int((~blocked).sum())
    points = index.tree.data[own]
    k = min(2 * size + 16, len(index.urns))  # widened below while blocked schools crowd in
    while True:
        dist, idx = index.tree.query(points, k=k)
        dist, idx = dist.reshape(len(own), -1), idx.reshape(len(own), -1)
        furthest = dist[:, -1].copy()
        dist = np.where(blocked[idx], np.inf, dist)
        order = np.lexsort((index.urns[idx], dist), axis=-1)
        dist = np.take_along_axis(dist, order, axis=-1)[:, :size]
        idx = np.take_along_axis(idx, order, axis=-1)[:, :size]
        if k >= len(index.urns):
            break
        boundary = dist[:, min(size, available) - 1] if available else np.zeros(len(own))
        if np.all(furthest > boundary):
            break
        k = min(2 * k, len(index.urns))
    if dist.shape[1] < size:
        pad = size - dist.shape[1]
        dist = np.pad(dist, ((0, 0), (0, pad)), constant_values=np.inf)
        idx = np.pad(idx, ((0, 0), (0, pad)), constant_values=0)
    return dist, idx


def _balance(treated, pool, family, weight) -> pd.DataFrame:
    if not treated:
        return pd.DataFrame(
            columns=[
                "covariate",
                "partnership_mean",
                "pool_mean",
                "family_mean",
                "smd_before",
                "smd_after",
            ]
        )
    t, p = np.vstack(treated), np.vstack(pool)
    f, w = np.vstack(family), np.concatenate(weight)
    t_var = t.var(axis=0, ddof=1) if len(t) > 1 else np.zeros(t.shape[1])
    denominator = np.sqrt((t_var + p.var(axis=0, ddof=1)) / 2)
    family_mean = (f * w[:, None]).sum(axis=0) / w.sum() if w.sum() else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "covariate": COVARIATES,
                "partnership_mean": t.mean(axis=0),
                "pool_mean": p.mean(axis=0),
                "family_mean": family_mean,
                "smd_before": (t.mean(axis=0) - p.mean(axis=0)) / denominator,
                "smd_after": (t.mean(axis=0) - family_mean) / denominator,
            }
        )
