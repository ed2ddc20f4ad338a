"""Learning from other partnerships: where this partnership's theme scores sit among others.

Only partnerships of the same kind that agreed to share, other than this one, whose theme
score is itself visible (n at least k) are compared, and only when at least
``MIN_PARTNERSHIPS`` of them are. No single other partnership's figure is ever returned: the
result is this partnership's percentile and quartile, the number compared, and the others'
median and quartiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import FrameError
from .suppression import SuppressionPolicy
from .text import NOT_ENOUGH_PARTNERSHIPS

MIN_PARTNERSHIPS = 5
OTHERS_COLUMNS = ("partnership_id", "partnership_kind", "shares", "theme_key", "mean", "n")


def benchmark_position(
    own: pd.DataFrame,
    others: pd.DataFrame,
    partnership_id: int,
    partnership_kind: str,
    policy: SuppressionPolicy | None = None,
    min_partnerships: int = MIN_PARTNERSHIPS,
) -> pd.DataFrame:
    """This partnership's position per theme.

    own: theme_key, mean (this partnership's visible theme scores).
    others: partnership_id, partnership_kind, shares (bool: agreed to share), theme_key,
    mean, n. Returns theme_key, mean, compared (number of partnerships), percentile (share
    of the others scoring lower, ties counted half, 0-100), quartile (1 lowest .. 4 highest),
    others_q1, others_median, others_q3, status ("compared" | "not_enough_partnerships") and
    message (the wording to show for the latter).
    """
    if min_partnerships < MIN_PARTNERSHIPS:
        raise ValueError(f"a comparison needs at least {MIN_PARTNERSHIPS} other partnerships")
    missing = [c for c in OTHERS_COLUMNS if c not in others.columns]
    if missing:
        raise FrameError(f"others: missing column(s) {', '.join(missing)}")
    policy = policy or SuppressionPolicy()
    peers = others[
        (others["partnership_id"] != partnership_id)
        & (others["partnership_kind"] == partnership_kind)
        & others["shares"].astype(bool)
        & (others["n"] >= policy.threshold())
        & others["mean"].notna()
    ]
    rows = []
    grouped = dict(tuple(peers.groupby("theme_key")))
    for theme_key, mean in own[["theme_key", "mean"]].itertuples(index=False):
        values = grouped.get(theme_key, peers.iloc[0:0])
        values = values.drop_duplicates("partnership_id")["mean"].to_numpy(dtype=float)
        row = {"theme_key": theme_key, "mean": mean, "compared": len(values)}
        if len(values) < min_partnerships or pd.isna(mean):
            rows.append(
                {**row, "status": "not_enough_partnerships", "message": NOT_ENOUGH_PARTNERSHIPS}
            )
            continue
        below = (values < mean).sum() + 0.5 * (values == mean).sum()
        percentile = 100.0 * below / len(values)
        q1, median, q3 = np.quantile(values, [0.25, 0.5, 0.75])
        rows.append(
            {
                **row,
                "percentile": percentile,
                "quartile": int(min(4, 1 + percentile // 25)),
                "others_q1": q1,
                "others_median": median,
                "others_q3": q3,
                "status": "compared",
                "message": None,
            }
        )
    columns = [
        "theme_key",
        "mean",
        "compared",
        "percentile",
        "quartile",
        "others_q1",
        "others_median",
        "others_q3",
        "status",
        "message",
    ]
    out = pd.DataFrame(rows).reindex(columns=columns)
    out["quartile"] = out["quartile"].astype("Int64")
    out["compared"] = out["compared"].astype("int64")
    return out
