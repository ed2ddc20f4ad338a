"""Learning from other partnerships: where this partnership's theme scores sit among others.

Rules (docs/methods.md, "Benchmarks"; docs/anonymity.md):

- peers are partnerships of the same kind that agreed to share, other than this one, and
  only with a figure their own release shows (their own k: ``n`` at least their ``k`` and
  at least ours, mean not hidden);
- a comparison needs at least ``MIN_PARTNERSHIPS`` (10) peers;
- the published statistics are never one partnership's value: Harrell-Davis quantiles (a
  weighted mean of every order statistic, Harrell and Davis 1982), rounded to a coarse step
  (a sixteenth of the scale: 0.25 on 1-5), and shown only where the rounded figure is the
  same whichever single peer is left out (else at twice the step, else not at all), so a
  figure never depends on one peer's mean;
- successive benchmarks are checked for differencing: when the set of peers (or their
  figures) changed, but by fewer than ``MIN_CHANGE`` partnerships, the earlier figures are
  kept, so two benchmarks never differ by one newcomer's value;
- a position is given only where this partnership's 95% interval lies wholly beyond the
  peers' quartile (or median): otherwise "no clear difference".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from .frames import FrameError
from .suppression import SuppressionPolicy

MIN_PARTNERSHIPS = 10
MIN_CHANGE = 5
STEPS_PER_SCALE = 16
OTHERS_COLUMNS = ("partnership_id", "partnership_kind", "shares", "theme_key", "mean", "n")
# Optional columns of ``others``: k (that partnership's own minimum group size),
# release_id (which of its releases the figure comes from: a new one counts as a change).
POSITIONS = ("lowest_quarter", "below_median", "no_clear_difference", "above_median", "top_quarter")
LABELLED = frozenset({"lowest_quarter", "top_quarter"})
COLUMNS = (
    "theme_key",
    "mean",
    "compared",
    "position",
    "others_q1",
    "others_median",
    "others_q3",
    "status",
    "peer_ids",
    "kept",
)


def harrell_davis(values: np.ndarray, probabilities: tuple[float, ...]) -> np.ndarray:
    """Harrell-Davis quantile estimates: each a Beta-weighted mean of all order statistics."""
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    edges = np.arange(n + 1) / n
    out = []
    for p in probabilities:
        a, b = p * (n + 1), (1 - p) * (n + 1)
        weights = np.diff(stats.beta.cdf(edges, a, b))
        out.append(float(weights @ x))
    return np.array(out)


def rounded(values: np.ndarray, step: float) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) / step) * step


PROBABILITIES = (0.25, 0.5, 0.75)


def published_quartiles(values: np.ndarray, step: float) -> np.ndarray:
    """The peers' quartiles as published: each a rounded Harrell-Davis estimate that comes
    out the same whichever single peer is left out, so it does not depend on any one peer's
    mean at all (someone who knows all the others learns nothing about the last). Where
    that fails at ``step`` it is tried at twice the step, then left out (NaN)."""
    values = np.asarray(values, dtype=float)
    out = np.full(len(PROBABILITIES), np.nan)
    left_out = [np.delete(values, i) for i in range(values.size)]
    for width in (step, 2 * step):
        estimates = np.array([rounded(harrell_davis(v, PROBABILITIES), width) for v in left_out])
        stable = np.all(np.abs(estimates - estimates[0]) < 1e-9, axis=0) & np.isnan(out)
        out[stable] = estimates[0][stable]
    return out


def peers_of(
    others: pd.DataFrame,
    partnership_id: int,
    partnership_kind: str,
    policy: SuppressionPolicy | None = None,
) -> pd.DataFrame:
    """The comparable figures: theme_key, peer (id, or (id, release_id)), mean."""
    missing = [c for c in OTHERS_COLUMNS if c not in others.columns]
    if missing:
        raise FrameError(f"others: missing column(s) {', '.join(missing)}")
    policy = policy or SuppressionPolicy()
    own_k = others["k"].fillna(policy.threshold()) if "k" in others else policy.threshold()
    n = pd.to_numeric(others["n"], errors="coerce")
    peers = others[
        (others["partnership_id"] != partnership_id)
        & (others["partnership_kind"] == partnership_kind)
        & others["shares"].astype(bool)
        & (n >= policy.threshold())
        & (n >= own_k)
        & others["mean"].notna()
    ]
    if "release_id" in peers.columns:
        peer = list(zip(peers["partnership_id"], peers["release_id"], strict=True))
    else:
        peer = peers["partnership_id"].tolist()
    out = pd.DataFrame(
        {"theme_key": peers["theme_key"].to_numpy(), "peer": peer, "mean": peers["mean"]}
    )
    return out.drop_duplicates(["theme_key", "peer"]).reset_index(drop=True)


def published_benchmark(
    others: pd.DataFrame,
    partnership_id: int,
    partnership_kind: str,
    policy: SuppressionPolicy | None = None,
    previous: pd.DataFrame | None = None,
    scale: tuple[float, float] = (1.0, 5.0),
    min_partnerships: int = MIN_PARTNERSHIPS,
) -> pd.DataFrame:
    """Per theme: peer_ids (frozenset), compared, others_q1, others_median, others_q3, kept.

    ``previous``: the last benchmark published to this partnership (same columns). Where the
    peers changed by fewer than ``MIN_CHANGE`` since, its figures (and peers) are kept.
    Themes with fewer than ``min_partnerships`` peers get no figures.
    """
    if min_partnerships < MIN_PARTNERSHIPS:
        raise ValueError(f"a comparison needs at least {MIN_PARTNERSHIPS} other partnerships")
    step = (scale[1] - scale[0]) / STEPS_PER_SCALE
    peers = peers_of(others, partnership_id, partnership_kind, policy)
    before: Mapping[str, Mapping] = {}
    if previous is not None and len(previous):
        before = {row["theme_key"]: row for row in previous.to_dict("records")}
    rows = []
    for theme_key, group in peers.groupby("theme_key", sort=True):
        ids = frozenset(group["peer"])
        earlier = before.get(theme_key)
        quartiles = ("others_q1", "others_median", "others_q3")
        if earlier is not None and any(pd.notna(earlier.get(c)) for c in quartiles):
            changed = len(ids ^ frozenset(earlier["peer_ids"]))
            if changed < MIN_CHANGE:
                rows.append({**_figures(earlier), "theme_key": theme_key, "kept": True})
                continue
        if len(ids) < min_partnerships:
            rows.append({"theme_key": theme_key, "peer_ids": ids, "compared": len(ids)})
            continue
        q1, median, q3 = published_quartiles(group["mean"].to_numpy(), step)
        rows.append(
            {
                "theme_key": theme_key,
                "peer_ids": ids,
                "compared": len(ids),
                "others_q1": q1,
                "others_median": median,
                "others_q3": q3,
                "kept": False,
            }
        )
    columns = ["theme_key", "peer_ids", "compared", "others_q1", "others_median", "others_q3"]
    out = pd.DataFrame(rows).reindex(columns=[*columns, "kept"])
    out["kept"] = out["kept"].eq(True)
    return out


def _figures(row: Mapping) -> dict:
    keys = ("peer_ids", "compared", "others_q1", "others_median", "others_q3")
    return {key: row[key] for key in keys}


def position(ci_low: float, ci_high: float, q1: float, median: float, q3: float) -> str:
    """Where an interval sits among the peers' quartiles; a side only where it lies wholly
    beyond the quartile (or median), else "no_clear_difference"."""
    if pd.isna(ci_low) or pd.isna(ci_high):
        return "no_clear_difference"
    if pd.notna(q1) and ci_high < q1:
        return "lowest_quarter"
    if pd.notna(q3) and ci_low > q3:
        return "top_quarter"
    if pd.notna(median) and ci_high < median:
        return "below_median"
    if pd.notna(median) and ci_low > median:
        return "above_median"
    return "no_clear_difference"


def benchmark_position(
    own: pd.DataFrame,
    others: pd.DataFrame,
    partnership_id: int,
    partnership_kind: str,
    policy: SuppressionPolicy | None = None,
    min_partnerships: int = MIN_PARTNERSHIPS,
    previous: pd.DataFrame | None = None,
    scale: tuple[float, float] = (1.0, 5.0),
) -> pd.DataFrame:
    """This partnership's position per theme.

    own: theme_key, mean and its interval ci_low, ci_high (this partnership's visible theme
    scores, as its own release shows them; without an interval no side is given).
    others: ``OTHERS_COLUMNS`` (+ optional k, release_id). Returns ``COLUMNS``: compared
    (number of peers), position (a code of ``POSITIONS``), the peers' rounded quartiles,
    status ("compared" | "not_enough_partnerships"), message, peer_ids, kept.
    """
    published = published_benchmark(
        others, partnership_id, partnership_kind, policy, previous, scale, min_partnerships
    ).set_index("theme_key")
    rows = []
    for record in own.to_dict("records"):
        theme_key, mean = record["theme_key"], record.get("mean")
        row = {"theme_key": theme_key, "mean": mean, "compared": 0}
        figures = published.loc[theme_key] if theme_key in published.index else None
        if figures is not None:
            row["compared"] = int(figures["compared"])
            row["peer_ids"] = figures["peer_ids"]
        shown = figures is not None and any(
            pd.notna(figures[c]) for c in ("others_q1", "others_median", "others_q3")
        )
        if not shown or pd.isna(mean):
            rows.append({**row, "status": "not_enough_partnerships"})
            continue
        q1, median, q3 = (figures[c] for c in ("others_q1", "others_median", "others_q3"))
        rows.append(
            {
                **row,
                "position": position(
                    record.get("ci_low", np.nan), record.get("ci_high", np.nan), q1, median, q3
                ),
                "others_q1": q1,
                "others_median": median,
                "others_q3": q3,
                "status": "compared",
                "kept": bool(figures["kept"]),
            }
        )
    out = pd.DataFrame(rows).reindex(columns=list(COLUMNS))
    out["compared"] = out["compared"].fillna(0).astype("int64")
    out["kept"] = out["kept"].eq(True)
    return out
