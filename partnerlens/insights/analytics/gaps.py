"""Perception gaps: where groups see the partnership differently, and leaders' optimism.

Gaps are read from a *protected* breakdown (``scores.breakdown``), so a group hidden there can
never feed a gap: no figure about a group below k is computed here at all.

difference = mean_a - mean_b, with Welch's interval (unequal variances) and its two-sided
p-value. ``flagged`` says the 95% interval excludes 0 *on its own*; a dashboard never shows
that: it runs every gap and trend test of a release through ``multiplicity.release_findings``,
which controls the false-discovery rate across all of them and says which are ``clear``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .intervals import CONFIDENCE
from .suppression import LEADERS, OTHERS


def two_sided_p(difference, se, df) -> np.ndarray:
    """Two-sided p-value of ``difference / se`` on a t distribution with ``df`` degrees of
    freedom; se 0 (both groups unanimous) is certain: p 0, or 1 for no difference at all."""
    difference, se, df = (np.asarray(x, dtype=float) for x in (difference, se, df))
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(difference) / se
        p = 2 * stats.t.sf(t, np.where(np.isnan(df) | (df < 1), 1.0, df))
    p = np.where(se == 0, np.where(difference == 0, 1.0, 0.0), p)
    return np.where(np.isnan(difference) | np.isnan(se), np.nan, p)


# Leaders rate "markedly" higher when even the low end of the interval of the difference
# exceeds this share of the scale's range: 0.125 x 4 = 0.5 points on a 1-5 agreement scale.
OPTIMISM_MARGIN = 0.125
# Prior degrees of freedom of the moderated group variances (``moderated``): each group's
# spread counts as if four more people had the whole partnership's spread in that unit.
PRIOR_DF = 4.0
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
    dof_a: np.ndarray | None = None,
    dof_b: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Difference of two means with Welch's standard error, degrees of freedom and interval.

    ``dof_a``, ``dof_b``: the degrees of freedom of each variance (default n - 1; more for a
    moderated variance). When both groups answered identically (both sds 0) the difference
    is exact for these respondents: the interval collapses onto it.
    """
    mean_a, sd_a, n_a, mean_b, sd_b, n_b = (
        np.asarray(x, dtype=float) for x in (mean_a, sd_a, n_a, mean_b, sd_b, n_b)
    )
    dof_a = n_a - 1 if dof_a is None else np.asarray(dof_a, dtype=float)
    dof_b = n_b - 1 if dof_b is None else np.asarray(dof_b, dtype=float)
    var_a = sd_a**2 / n_a
    var_b = sd_b**2 / n_b
    se = np.sqrt(var_a + var_b)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (var_a + var_b) ** 2 / (var_a**2 / dof_a + var_b**2 / dof_b)
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


def moderated(
    rows: pd.DataFrame, protected: pd.DataFrame, units: list[str], prior_df: float
) -> pd.DataFrame:
    """``rows`` with each group's sd moderated towards the whole partnership's in that unit
    (Smyth 2004): ``s2 = ((n - 1) s_g^2 + prior_df s_0^2) / (n - 1 + prior_df)``, with
    ``dof = n - 1 + prior_df``. A small group whose few answers happen to agree closely no
    longer passes for a precise one (the main source of chance findings in small groups);
    large groups barely move. Units whose partnership row is hidden keep their own sd."""
    everyone = protected[(protected["group"] == "partnership") & ~protected["suppressed"]]
    prior = everyone[[*units, "sd"]].rename(columns={"sd": "prior_sd"})
    rows = rows.merge(prior.drop_duplicates(units), on=units, how="left")
    own = rows["n"].astype(float) - 1
    has = rows["prior_sd"].notna().to_numpy() & (prior_df > 0)
    weight = np.where(has, prior_df, 0.0)
    prior_var = rows["prior_sd"].astype(float).fillna(0.0) ** 2
    variance = (own * rows["sd"].astype(float) ** 2 + weight * prior_var) / (own + weight)
    return rows.assign(sd=np.sqrt(variance), dof=own + weight).drop(columns="prior_sd")


def perception_gaps(
    protected: pd.DataFrame,
    between: str = "role",
    pairs: Sequence[tuple[object, object]] | None = None,
    prior_df: float = PRIOR_DF,
) -> pd.DataFrame:
    """Gaps between every pair of visible groups (or the given ``pairs``) in each unit.

    ``between``: "role", "organisation", "source" or "role_group". Columns: unit keys,
    group_a, group_b, n_a, n_b, mean_a, mean_b, difference (a - b), se, df, ci_low, ci_high,
    flagged (interval excludes 0), p_value. Pairs with a hidden group are left out. Each
    group's variance is moderated (``moderated``; ``prior_df=0`` gives plain Welch).
    """
    if between not in BETWEEN:
        raise ValueError(f"between must be one of {', '.join(BETWEEN)}, not {between!r}")
    group, column = BETWEEN[between]
    units = unit_columns_of(protected)
    rows = _visible(protected, group)[[*units, column, "n", "mean", "sd"]]
    rows = moderated(rows, protected, units, prior_df)
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
        dof_a=joined["dof_a"],
        dof_b=joined["dof_b"],
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
    out["p_value"] = two_sided_p(out["difference"], out["se"], out["df"])
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

    ``verdict`` per unit, judged on this test alone: "optimistic" when the whole 95%
    interval of leaders minus others lies above ``margin`` x the scale's range;
    "leaders_higher" when it lies above 0; "leaders_lower" when below 0; "similar"
    otherwise. ``multiplicity.release_findings`` replaces it with the verdict after the
    release-wide false-discovery control. Units where either side is hidden are
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
