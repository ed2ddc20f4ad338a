# ruff: noqa: RUF002  (mathematical notation: Greek letters, minus and times signs)
"""Effect sizes, the EEF's months' progress, multi-year averages and small-cohort suppression.

Effect size: ``d = τ / SD``. Which SD is the caller's choice and is recorded (``did``): the
pupil-level SD (as the EEF uses; for a share of pupils reaching a standard, ``sqrt(p(1−p))``
with the pre-period share ``p``) or the school-level SD of the pre-period values.

Months' progress: the EEF Teaching and Learning Toolkit's conversion ("About the Toolkits:
attainment", Education Endowment Foundation): |d| rounded to 2 decimal places falls in a band,
the same number of months with the sign of d; 1.00 or more counts as 12.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Upper ends of the EEF bands for 0, 1, …, 11 months; above 0.95 is 12 months.
EEF_MONTH_BANDS = (0.01, 0.09, 0.18, 0.26, 0.35, 0.44, 0.52, 0.61, 0.69, 0.78, 0.87, 0.95)
SUPPRESS_AT_OR_BELOW = 5  # DfE performance tables: "SUPP" for 5 pupils or fewer
AVERAGE_YEARS = 3  # EEF Families of Schools pools small cohorts over three years
SUPPRESSED, SHOWN = "suppressed", "shown"


def effect_size(estimate: float, sd: float) -> float:
    """``estimate / sd``; NaN when the SD is missing or not positive."""
    if not np.isfinite(sd) or sd <= 0:
        return float("nan")
    return float(estimate) / float(sd)


def pupil_sd_of_share(share: float) -> float:
    """Pupil-level SD of a 0–1 share of pupils (a Bernoulli outcome): ``sqrt(p(1−p))``."""
    return float(np.sqrt(share * (1 - share)))


def months_progress(d: float) -> int | None:
    """EEF months' progress for effect size ``d`` (None when d is not a number)."""
    if not np.isfinite(d):
        return None
    size = round(abs(float(d)), 2)
    months = int(np.searchsorted(np.array(EEF_MONTH_BANDS), size, side="left"))
    return int(np.sign(d)) * months if months else 0


def suppress_small_cohorts(
    panel: pd.DataFrame, at_or_below: int = SUPPRESS_AT_OR_BELOW
) -> pd.DataFrame:
    """The panel with ``status`` (SHOWN | SUPPRESSED) and ``value`` NaN where the cohort is
    ``at_or_below`` pupils or unknown. Needs ``cohort``."""
    out = panel.copy()
    small = ~(out["cohort"] > at_or_below)
    out["status"] = np.where(small, SUPPRESSED, SHOWN)
    out.loc[small, "value"] = np.nan
    return out


def average_years(panel: pd.DataFrame, years: int = AVERAGE_YEARS) -> pd.DataFrame:
    """Cohort-weighted mean of each school's last ``years`` years (this one included):
    ``Σ n_t y_t / Σ n_t`` over the years in the window with a value, ``cohort = Σ n_t``.
    Needs ``urn, year, value, cohort``; years missing from the panel simply leave the window.
    Suppress afterwards, on the pooled cohort."""
    frame = panel[["urn", "year", "value", "cohort"]].copy()
    have = frame["value"].notna() & frame["cohort"].notna()
    frame["weighted"] = np.where(have, frame["value"] * frame["cohort"], 0.0)
    frame["n"] = np.where(have, frame["cohort"], 0.0)
    pieces = []
    for lag in range(years):
        shifted = frame[["urn", "year", "weighted", "n"]].copy()
        shifted["year"] += lag
        pieces.append(shifted)
    pooled = pd.concat(pieces).groupby(["urn", "year"], as_index=False)[["weighted", "n"]].sum()
    pooled = frame[["urn", "year"]].merge(pooled, on=["urn", "year"], how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(pooled["n"] > 0, pooled["weighted"] / pooled["n"], np.nan)
    return pd.DataFrame(
        {"urn": pooled["urn"], "year": pooled["year"], "value": value, "cohort": pooled["n"]}
    )
