"""Uneven response across schools: response rates and a school-weighted (post-stratified)
estimate beside the plain one (docs/methods.md, "When schools respond unevenly").

The plain theme score averages the people who answered, so a school where most staff
responded counts for more than one where few did. The school-weighted score gives each school
the share of the partnership's invited people it holds (post-stratification to the numbers
invited; Holt and Smith 1979; Lohr 2022, section 4.4): it estimates the score the partnership
would have had if every school had responded at the same rate, assuming the people who
answered in a school answer like those who did not.

It is computed from the *protected* theme table only, so it publishes nothing new: the
visible schools each form a stratum; every other respondent (hidden schools, no school,
open link) forms one residual stratum whose count, total and sum of squares are the
partnership's minus the visible schools' (already worked out by anyone from the published
figures, and never smaller than the group-size rule allows). The interval is
``intervals.interval`` with Kish's effective sample size and the stratified variance.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .intervals import interval

UNEVEN = 0.10  # weights this far (total variation distance) from response shares: uneven
RESIDUAL = -1  # the stratum of everyone not in a visible school
COLUMNS = (
    "theme_key",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "weighted_mean",
    "weighted_ci_low",
    "weighted_ci_high",
    "distance",
    "uneven",
    "invited_covered",
)


def response_rates(
    respondents: Mapping[int, int], invited: Mapping[int, int], shown: Mapping[int, bool]
) -> pd.DataFrame:
    """organisation_id, invited, responses, rate (NaN without invitations) per organisation
    invited or responding; ``responses`` and ``rate`` are missing (NA) where ``shown`` says
    the organisation's group is hidden."""
    keys = sorted(set(invited) | set(respondents))
    rows = []
    for key in keys:
        asked, answered = int(invited.get(key, 0)), int(respondents.get(key, 0))
        visible = shown.get(key, answered == 0)
        rate = answered / asked if asked else np.nan
        rows.append((key, asked, answered if visible else pd.NA, rate if visible else np.nan))
    frame = pd.DataFrame(rows, columns=["organisation_id", "invited", "responses", "rate"])
    frame["responses"] = frame["responses"].astype("Int64")
    return frame


def _moments(n: np.ndarray, mean: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    total = n * mean
    squares = np.nan_to_num((n - 1) * sd * sd) + n * mean * mean
    return total, squares


def _theme(rows: pd.DataFrame, invited: Mapping[int, int]) -> dict | None:
    whole = rows[rows["group"] == "partnership"]
    if whole.empty or bool(whole["suppressed"].iloc[0]) or not whole["n"].iloc[0] > 0:
        return None
    whole = whole.iloc[0]
    schools = rows[(rows["group"] == "organisation") & ~rows["suppressed"].astype(bool)]
    schools = schools[schools["n"].astype(float) > 0]
    n = schools["n"].to_numpy(dtype=float)
    mean = schools["mean"].to_numpy(dtype=float)
    sd = schools["sd"].to_numpy(dtype=float)
    total, squares = _moments(n, mean, sd)
    all_n = float(whole["n"])
    all_total, all_squares = _moments(
        np.array([all_n]), np.array([float(whole["mean"])]), np.array([float(whole["sd"])])
    )
    ids = schools["organisation_id"].astype(int).tolist()
    weight = np.array([float(invited.get(i, 0)) for i in ids])
    rest_n = all_n - n.sum()
    rest_invited = float(sum(invited.values())) - weight.sum()
    if rest_n > 0:
        rest_mean = (all_total[0] - total.sum()) / rest_n
        rest_var = (all_squares[0] - squares.sum() - rest_n * rest_mean**2) / max(rest_n - 1, 1)
        n = np.append(n, rest_n)
        mean = np.append(mean, rest_mean)
        sd = np.append(sd, np.sqrt(max(rest_var, 0.0)) if rest_n > 1 else np.nan)
        weight = np.append(weight, rest_invited)
    keep = weight > 0
    if keep.sum() < 2:
        return None
    covered = weight[keep].sum() / max(float(sum(invited.values())), 1.0)
    n, mean, sd, share = n[keep], mean[keep], sd[keep], weight[keep] / weight[keep].sum()
    # Strata of one person have no spread of their own: the pooled within-school spread.
    df = np.where(np.isfinite(sd) & (n > 1), n - 1, 0)
    pooled = np.sqrt(np.sum(df * np.nan_to_num(sd) ** 2) / df.sum()) if df.sum() else 0.0
    sd = np.where(df > 0, np.nan_to_num(sd), pooled)
    estimate = float(np.sum(share * mean))
    variance = float(np.sum(share**2 * sd**2 / n))
    effective = 1.0 / float(np.sum(share**2 / n))  # Kish: (sum w)^2 / sum w^2
    low, high = interval(
        np.array([effective]),
        np.array([estimate]),
        np.array([np.sqrt(variance * effective)]),
        np.array([float(whole["scale_min"])]),
        np.array([float(whole["scale_max"])]),
    )
    distance = 0.5 * float(np.abs(share - n / n.sum()).sum())
    return {
        "theme_key": whole["theme_key"],
        "n": int(all_n),
        "mean": float(whole["mean"]),
        "ci_low": float(whole["ci_low"]),
        "ci_high": float(whole["ci_high"]),
        "weighted_mean": estimate,
        "weighted_ci_low": float(low[0]),
        "weighted_ci_high": float(high[0]),
        "distance": distance,
        "uneven": distance >= UNEVEN,
        "invited_covered": float(covered),
    }


def post_stratified(theme_table: pd.DataFrame, invited: Mapping[int, int]) -> pd.DataFrame:
    """Per theme of a protected theme breakdown (one cycle): the plain score and interval,
    the school-weighted score and interval, ``distance`` (total variation distance between
    the invited shares and the response shares of the strata), ``uneven`` (distance >=
    ``UNEVEN``) and ``invited_covered`` (share of the invited in strata with respondents:
    schools where nobody answered cannot be represented). ``invited``: organisation_id ->
    people invited (``NO_ORGANISATION`` for those invited for no school). Themes without a
    visible partnership row or with fewer than two weighted strata are left out."""
    found = [
        row
        for _key, rows in theme_table.groupby("theme_key", sort=False)
        if (row := _theme(rows, invited)) is not None
    ]
    return pd.DataFrame(found, columns=list(COLUMNS))
