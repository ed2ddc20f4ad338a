"""Perception gaps: where groups see the partnership differently, and leaders' optimism.

Gaps are read from a *protected* breakdown (``scores.breakdown``), so a group hidden there can
never feed a gap: no figure about a group below k is computed here at all.

difference = mean_a - mean_b, with Welch's interval (unequal variances): the gap is *flagged*
when its 95% interval excludes 0, i.e. it is larger than its own uncertainty.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .suppression import LEADERS, OTHERS

CONFIDENCE = 0.95
# Leaders rate "markedly" higher when even the low end of the interval of the difference
# exceeds this share of the scale's range: 0.125 x 4 = 0.5 points on a 1-5 agreement scale.
OPTIMISM_MARGIN = 0.125
ROLE_ORDER = (
    "partnership_lead",
    "headteacher",
    "senior_leader",
    "middle_leader",
    "teacher",
    "support_staff",
    "governor",
    "parent",
    "pupil_voice",
    "external_adviser",
    "peer_reviewer",
    "broker",
    "administrator",
)
SOURCE_PAIRS = (("self", "peer"), ("self", "external"), ("peer", "external"))
BETWEEN = {
    "role": ("role", "role"),
    "organisation": ("organisation", "organisation_id"),
    "source": ("source", "source"),
    "role_group": ("role_group", "role_group"),
}
UNIT_CANDIDATES = ("cycle_id", "theme_key", "question_key", "dimension")


def unit_columns_of(table: pd.DataFrame) -> list[str]:
    return [c for c in UNIT_CANDIDATES if c in table.columns]


def welch(
    mean_a: np.ndarray,
    sd_a: np.ndarray,
    n_a: np.ndarray,
    mean_b: np.ndarray,
    sd_b: np.ndarray,
    n_b: np.ndarray,
    confidence: float = CONFIDENCE,
) -> dict[str, np.ndarray]:
    """Difference of two means with Welch's standard error, degrees of freedom and interval.

    When both groups answered identically (both sds 0) the difference is exact for these
    respondents: the interval collapses onto it.
    """
    mean_a, sd_a, n_a, mean_b, sd_b, n_b = (
        np.asarray(x, dtype=float) for x in (mean_a, sd_a, n_a, mean_b, sd_b, n_b)
    )
    var_a = sd_a**2 / n_a
    var_b = sd_b**2 / n_b
    se = np.sqrt(var_a + var_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (var_a + var_b) ** 2 / (var_a**2 / (n_a - 1) + var_b**2 / (n_b - 1))
        critical = stats.t.ppf(0.5 + confidence / 2, df)
    half = np.where(se == 0, 0.0, critical * se)
    difference = mean_a - mean_b
    return {
        "difference": difference,
        "se": se,
        "df": df,
        "ci_low": difference - half,
        "ci_high": difference + half,
    }


def _visible(table: pd.DataFrame, group: str) -> pd.DataFrame:
    rows = table[(table["group"] == group) & ~table["suppressed"].astype(bool)]
    # A gap needs a spread on both sides; n >= k >= 3 already, this guards odd callers.
    return rows[rows["n"].astype(float) >= 2]


def perception_gaps(
    protected: pd.DataFrame,
    between: str = "role",
    pairs: Sequence[tuple[object, object]] | None = None,
) -> pd.DataFrame:
    """Gaps between every pair of visible groups (or the given ``pairs``) in each unit.

    ``between``: "role", "organisation", "source" or "role_group". Columns: unit keys,
    group_a, group_b, n_a, n_b, mean_a, mean_b, difference (a - b), se, df, ci_low, ci_high,
    flagged (interval excludes 0). Pairs with a hidden group are left out.
    """
    if between not in BETWEEN:
        raise ValueError(f"between must be one of {', '.join(BETWEEN)}, not {between!r}")
    group, column = BETWEEN[between]
    units = unit_columns_of(protected)
    rows = _visible(protected, group)[[*units, column, "n", "mean", "sd"]]
    rows = rows.rename(columns={column: "member"})
    rows["rank"] = _rank(rows["member"], between)
    joined = rows.merge(rows, on=units, suffixes=("_a", "_b"))
    if pairs is None:
        joined = joined[joined["rank_a"] < joined["rank_b"]]
    else:
        wanted = pd.DataFrame(list(pairs), columns=["member_a", "member_b"])
        joined = joined.merge(wanted, on=["member_a", "member_b"])
    result = welch(
        joined["mean_a"],
        joined["sd_a"],
        joined["n_a"],
        joined["mean_b"],
        joined["sd_b"],
        joined["n_b"],
    )
    out = joined[units].copy()
    out["group_a"] = joined["member_a"].to_numpy()
    out["group_b"] = joined["member_b"].to_numpy()
    for side in ("a", "b"):
        out[f"n_{side}"] = joined[f"n_{side}"].astype("int64").to_numpy()
        out[f"mean_{side}"] = joined[f"mean_{side}"].astype(float).to_numpy()
    for name, values in result.items():
        out[name] = np.asarray(values)
    out["flagged"] = (out["ci_low"] > 0) | (out["ci_high"] < 0)
    out["_a"], out["_b"] = joined["rank_a"].to_numpy(), joined["rank_b"].to_numpy()
    out = out.sort_values([*units, "_a", "_b"], kind="stable").drop(columns=["_a", "_b"])
    return out.reset_index(drop=True)


def _rank(members: pd.Series, between: str) -> np.ndarray:
    if between == "role":
        order = {role: i for i, role in enumerate(ROLE_ORDER)}
        return members.map(lambda r: order.get(r, len(order))).to_numpy() * 1000 + (
            members.rank(method="dense").to_numpy()
        )
    if between == "source":
        return members.map({"self": 0, "peer": 1, "external": 2}).to_numpy()
    if between == "role_group":
        return members.map({LEADERS: 0, OTHERS: 1}).to_numpy()
    return members.astype(float).to_numpy()


def self_review_gaps(protected: pd.DataFrame) -> pd.DataFrame:
    """Self-evaluation against peer and external review (only where both are visible)."""
    return perception_gaps(protected, "source", pairs=SOURCE_PAIRS)


def optimism(protected: pd.DataFrame, margin: float = OPTIMISM_MARGIN) -> pd.DataFrame:
    """Leaders (partnership lead, headteachers, senior leaders) against everyone else.

    ``verdict`` per unit: "optimistic" when the whole 95% interval of leaders minus others
    lies above ``margin`` x the scale's range; "leaders_higher" when it lies above 0;
    "leaders_lower" when below 0; "similar" otherwise. Units where either side is hidden are
    left out.
    """
    gaps = perception_gaps(protected, "role_group", pairs=[(LEADERS, OTHERS)])
    units = unit_columns_of(protected)
    scale = protected[[*units, "scale_min", "scale_max"]].dropna().drop_duplicates(units)
    gaps = gaps.merge(scale, on=units, how="left")
    threshold = margin * (gaps["scale_max"] - gaps["scale_min"])
    gaps["margin"] = threshold
    gaps["verdict"] = np.select(
        [gaps["ci_low"] > threshold, gaps["ci_low"] > 0, gaps["ci_high"] < 0],
        ["optimistic", "leaders_higher", "leaders_lower"],
        default="similar",
    )
    gaps["optimistic"] = gaps["verdict"] == "optimistic"
    return gaps.rename(
        columns={
            "n_a": "n_leaders",
            "n_b": "n_others",
            "mean_a": "mean_leaders",
            "mean_b": "mean_others",
        }
    ).drop(columns=["group_a", "group_b", "flagged"])
