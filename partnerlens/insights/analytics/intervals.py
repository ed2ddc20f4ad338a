"""95% intervals for a group's mean score that stay honest on small, skewed and unanimous
groups (docs/methods.md, "How sure we are").

Scores are bounded (every score lies on its scale), so the mean is placed on the scale as a
position from 0 to 1 and its interval is a *quasi-likelihood score interval* (Wedderburn
1974; Wilson 1927 for the special case of a proportion):

1. *Variance tied to the mean.* On a bounded scale the spread of the answers is limited by
   how close the mean is to an end (Bhatia and Davis 2000: variance <= mu (1 - mu)). The
   variance is modelled as ``phi * mu * (1 - mu)``, with the dispersion ``phi`` (0 to 1)
   estimated from the group. The interval is every ``mu`` the group's mean ``p`` does not
   contradict: ``n (p - mu)^2 <= c^2 phi mu (1 - mu)`` -- a Wilson interval with the
   effective size ``n / phi``. Because the variance is taken at ``mu`` (not at ``p``) the
   interval is lopsided near an end of the scale, where answers are skewed: a group that
   mostly gave the top answer gets more room below its mean than above.
2. *A weak prior* (Agresti and Coull 1998): ``PSEUDO`` imaginary respondents at each end of
   the scale enter the dispersion only. They stand for answers a small group may not have
   met yet, so a unanimous group's interval is never zero-width.
3. *Student's allowance* for estimating ``phi`` from n answers: ``c = t(0.975, n - 1 +
   PRIOR_DF)``, the prior counting as ``PRIOR_DF`` degrees of freedom.

It needs only each group's count, mean and sd, so the aggregates give the same interval as
the raw answers; it is closed-form and vectorised. The interval always contains the group's
observed mean, lies on the scale, and is missing (NaN) for fewer than 2 respondents.
Coverage measured on simulated answers: ``bench/rigour_intervals.py``; the table is in
docs/methods.md.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
PSEUDO = 0.02  # pseudo-respondents at each end of the scale (in the dispersion only)
PRIOR_DF = 2.0  # degrees of freedom the prior adds to Student's allowance
TINY = 1e-12


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
        # The dispersion, with the pseudo-respondents: their mean and sample variance.
        total = n + 2 * PSEUDO
        shrunk = (n * position + PSEUDO) / total
        squares = (n - 1) * variance + n * position * position + PSEUDO
        spread = np.maximum(squares - total * shrunk * shrunk, 0.0) / np.maximum(total - 1, TINY)
        phi = np.clip(spread / (shrunk * (1 - shrunk)), TINY, 1.0)
        critical = _t_quantile(0.5 + confidence / 2, np.where(n >= 2, n - 1 + PRIOR_DF, np.nan))
        # Wilson's interval with the effective size n / phi.
        effective = n / phi
        ratio = critical * critical / effective
        centre = (position + ratio / 2) / (1 + ratio)
        half = np.sqrt(ratio * position * (1 - position) + ratio * ratio / 4) / (1 + ratio)
        lower = np.clip(centre - half, 0.0, position)
        upper = np.clip(centre + half, position, 1.0)
    missing = ~(n >= 2) | ~np.isfinite(position)
    lower = np.where(missing, np.nan, low_end + lower * span)
    upper = np.where(missing, np.nan, low_end + upper * span)
    return lower, upper


def _t_quantile(level: float, df: np.ndarray) -> np.ndarray:
    """``stats.t.ppf(level, df)``, worked out once per distinct df (group sizes repeat)."""
    df = np.asarray(df, dtype=float)
    distinct, where = np.unique(df, return_inverse=True)
    return stats.t.ppf(level, distinct)[where].reshape(df.shape)
