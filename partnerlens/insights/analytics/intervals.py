"""95% intervals for a group's mean score that stay honest on small, skewed and unanimous
groups (docs/methods.md, "How sure we are").

Scores are bounded (every score lies on its scale), so the mean is placed on the scale as a
position from 0 to 1 and treated the way a proportion is:

1. *A prior of pseudo-respondents* (Agresti and Coull 1998, for proportions): ``PSEUDO``
   imaginary respondents sit at each end of the scale. They keep a unanimous group from
   looking certain (its interval is never zero-width) and pull the interval towards the
   middle of the scale only as much as a seventh of a person would.
2. *The Bayesian bootstrap's moments* (Rubin 1981): with the respondents and the
   pseudo-respondents weighted by Dirichlet weights, the population mean has posterior mean
   ``E = (sum x + a) / A`` and variance ``(E[x^2] - E^2) / (A + 1)``, ``A = n + 2a``, both
   from the group's count, mean and sd alone (so the aggregates give the same interval as
   the raw answers), and widened by ``(t(0.975, n-1) / z(0.975))^2``, Student's
   small-sample allowance for estimating the spread.
3. *A beta distribution with those moments* gives the interval's ends. Unlike ``mean +/- t
   se`` it is lopsided near the ends of the scale, where the answers are skewed: a group
   that mostly gave the top answer gets more room below its mean than above.

The interval always contains the group's observed mean, lies on the scale, and is missing
(NaN) for fewer than 2 respondents. Coverage measured on simulated answers:
``bench/rigour_intervals.py``; the table is in docs/methods.md.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

CONFIDENCE = 0.95
PSEUDO = 0.15  # pseudo-respondents at each end of the scale
MIN_SHAPE = 1e-3  # the beta's total shape never falls below this (a near-uniform interval)


def interval(
    n: np.ndarray,
    mean: np.ndarray,
    sd: np.ndarray,
    scale_min: np.ndarray,
    scale_max: np.ndarray,
    confidence: float = CONFIDENCE,
) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of the interval for each group's mean, on the group's scale.

    ``n`` respondents with a score, their ``mean`` and sample ``sd`` (ddof 1; NaN or 0 for a
    unanimous group), and each group's scale. Vectorised: one call for every group at once.
    """
    n = np.asarray(n, dtype=float)
    low_end = np.asarray(scale_min, dtype=float)
    span = np.asarray(scale_max, dtype=float) - low_end
    with np.errstate(invalid="ignore", divide="ignore"):
        position = np.clip((np.asarray(mean, dtype=float) - low_end) / span, 0.0, 1.0)
        variance = np.nan_to_num(np.asarray(sd, dtype=float) / span) ** 2
        total = n + 2 * PSEUDO
        expected = (n * position + PSEUDO) / total
        squares = (n - 1) * variance + n * position * position + PSEUDO
        spread = np.maximum(squares / total - expected * expected, 0.0) / (total + 1)
        z = stats.norm.ppf(0.5 + confidence / 2)
        critical = stats.t.ppf(0.5 + confidence / 2, np.where(n >= 2, n - 1, np.nan))
        spread = spread * (critical / z) ** 2
        shape = np.maximum(expected * (1 - expected) / spread - 1, MIN_SHAPE)
        tail = (1 - confidence) / 2
        a, b = expected * shape, (1 - expected) * shape
        lower, upper = _beta_quantiles(a, b, tail, expected, spread, z)
        lower = np.minimum(lower, position)
        upper = np.maximum(upper, position)
    missing = ~(n >= 2) | ~np.isfinite(position)
    lower = np.where(missing, np.nan, low_end + lower * span)
    upper = np.where(missing, np.nan, low_end + upper * span)
    return lower, upper


NORMAL_ABOVE = 1000.0  # both beta shapes above this: its skew is under 0.07, use the normal


def _beta_quantiles(a, b, tail, mean, variance, z):
    """The beta's ``tail`` and ``1 - tail`` quantiles; where both shapes are large (large
    groups) the normal with the same moments, which is as exact and many times faster."""
    lower = np.full(np.shape(a), np.nan)
    upper = np.full(np.shape(a), np.nan)
    normal = (a > NORMAL_ABOVE) & (b > NORMAL_ABOVE)
    half = z * np.sqrt(variance[normal])
    lower[normal], upper[normal] = mean[normal] - half, mean[normal] + half
    exact = ~normal & np.isfinite(a) & np.isfinite(b)
    lower[exact] = special.betaincinv(a[exact], b[exact], tail)
    upper[exact] = special.betaincinv(a[exact], b[exact], 1 - tail)
    return lower, upper
