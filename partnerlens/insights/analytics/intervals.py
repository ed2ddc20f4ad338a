"""95% intervals for a group's mean score that stay honest on small, skewed and unanimous
groups (docs/methods.md, "How sure we are").

Scores are bounded (every score lies on its scale), so the mean is placed on the scale as a
position from 0 to 1 and its interval is a *quasi-likelihood score interval* (Wedderburn
1974; Wilson 1927 for the special case of a proportion), in four steps:

1. *Variance tied to the mean.* On a bounded scale the spread of the answers is limited by
   how close the mean is to an end (Bhatia and Davis 2000: variance <= mu (1 - mu)). The
   variance is modelled as ``phi * mu * (1 - mu)``, with the dispersion ``phi`` (0 to 1)
   estimated from the group. The interval is every ``mu`` the group's mean ``p`` does not
   contradict: ``n (p - mu)^2 <= c^2 phi mu (1 - mu)`` -- a Wilson interval with the
   effective size ``n / phi``, lopsided near an end of the scale.
2. *A weak prior* (Agresti and Coull 1998): ``PSEUDO`` imaginary respondents at each end of
   the scale enter the dispersion only. A unanimous group so gets ``phi = 1``, the widest
   spread the scale allows, and its interval is never zero-width.
3. *Student's allowance with Satterthwaite's degrees of freedom* (Student 1908; Satterthwaite
   1946). ``phi`` is estimated from n answers, so ``c`` is a t quantile, on the degrees of
   freedom the estimate of ``phi`` is worth: ``2 (n - 1) / D``, where ``n Var(log phi_hat)
   ~= D`` (delta method) for answers spread like a beta distribution with the group's mean
   and dispersion (the usual model of a bounded score: Ferrari and Cribari-Neto 2004):
   ``D = (1 - phi) / (1 + 2 phi) * [2 + phi (3 - 2 phi) (1 - 2 q)^2 / ((1 + phi) q (1 - q))]``.
   D is 2 (so n - 1 degrees of freedom) for a narrow bell in the middle of the scale, more
   for skewed answers, and 0 when ``phi = 1`` (answers only at the two ends: the dispersion
   is then known, not estimated, and ``c`` is the normal quantile). The allowance never
   takes ``c^2 phi`` beyond ``z^2``: the variance at ``mu`` is at most ``mu (1 - mu)``
   (Bhatia-Davis), however little the estimate of ``phi`` is worth.
4. *The test spends its whole 5% where the scale ends* (as the unified approach of Feldman
   and Cousins 1998 does near a physical boundary). Each ``mu`` is tested on both sides,
   2.5% each. Near an end of the scale the side towards that end cannot use all of its
   share: the mean cannot pass the end, and in the normal approximation only the tail
   between the critical value and the end (the end ``sqrt(n (1 - mu) / (phi mu))``
   standard errors above ``mu``, on the Student scale) is there to use. The rest goes to
   the other side. Without this a group near an end is covered 97.5% of the time at best,
   whatever the rule, because its mean can hardly ever land far beyond the truth.

It needs only each group's count, mean and sd, so the aggregates give the same interval as
the raw answers; it is closed-form and vectorised but for a few Newton steps (step 4, and
only near an end of the scale). The interval always contains the group's observed mean,
lies on the scale, and is missing (NaN) for fewer than 2 respondents. Coverage measured on
simulated answers: ``bench/rigour_intervals.py``; the table is in docs/methods.md.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

CONFIDENCE = 0.95
PSEUDO = 0.02  # pseudo-respondents at each end of the scale (in the dispersion only)
NEWTON_STEPS = 4  # for step 4 near an end of the scale (within 1e-7 of the scale by then)
SLACK = 1e-7  # a share of alpha this close to alpha / 2 changes the end by < 1e-6
TINY = 1e-12
FAR = 12.0  # standard errors: the normal tail beyond is nil (and slow to work out)
MOST_DF = 1e6  # degrees of freedom beyond which the t quantile is the normal one


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
        phi, shrunk = dispersion(n, position, variance)
        df = np.where(n >= 2, degrees_of_freedom(n, shrunk, phi), np.nan)
        lower, upper = _score_bounds(n, position, phi, df, 1.0 - confidence)
    missing = ~(n >= 2) | ~np.isfinite(position)
    lower = np.where(missing, np.nan, low_end + lower * span)
    upper = np.where(missing, np.nan, low_end + upper * span)
    return lower, upper


def dispersion(
    n: np.ndarray, position: np.ndarray, variance: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(phi, shrunk mean): the dispersion with ``PSEUDO`` respondents at each end of the
    scale, and the mean of the answers with them, both on 0-1."""
    total = n + 2 * PSEUDO
    shrunk = (n * position + PSEUDO) / total
    squares = (n - 1) * variance + n * position * position + PSEUDO
    spread = np.maximum(squares - total * shrunk * shrunk, 0.0) / np.maximum(total - 1, TINY)
    return np.clip(spread / (shrunk * (1 - shrunk)), TINY, 1.0), shrunk


def degrees_of_freedom(n: np.ndarray, q: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """Satterthwaite's degrees of freedom of the dispersion estimated from ``n`` answers
    spread like a beta distribution with mean ``q`` and dispersion ``phi`` (step 3)."""
    lean = (1 - 2 * q) ** 2 / np.maximum(q * (1 - q), TINY)
    d = (1 - phi) / (1 + 2 * phi) * (2 + phi * (3 - 2 * phi) * lean / (1 + phi))
    return np.minimum(2 * (n - 1) / np.maximum(d, TINY), MOST_DF)


def _score_bounds(n, position, phi, df, alpha):
    """Steps 1, 3 and 4: the score interval with Student's allowance, each side of the test
    taking the share of ``alpha`` the other side cannot use at the end of the scale."""
    normal = special.ndtri(1 - alpha / 2)
    # Never beyond the widest spread the scale allows (phi = 1, then known): Bhatia-Davis.
    allowance = np.minimum(t_quantile(1 - alpha / 2, df) / normal, 1 / np.sqrt(phi))
    effective = n / phi
    upper = _upper_end(position, effective, allowance, alpha)
    lower = 1 - _upper_end(1 - position, effective, allowance, alpha)  # the mirror image
    return lower, upper


def _upper_end(position, effective, allowance, alpha):
    """The upper end: the largest mu the test's low side does not reject, at the critical
    value left to it by the high side's usable share at that mu (step 4)."""
    normal = special.ndtri(1 - alpha / 2)
    upper = _wilson_upper(position, effective, allowance * normal)
    near = _usable(upper, effective, allowance, alpha) < alpha / 2 - SLACK
    if not near.any():
        return upper
    # Near the top: the root of h(mu) = statistic - critical value, which rises with mu,
    # between the one-sided end (all of alpha to the low side, h <= 0) and the two-sided
    # one (h >= 0): Newton's method, kept inside that bracket.
    p, size, scale = position[near], effective[near], allowance[near]
    inside, outside = _wilson_upper(p, size, scale * special.ndtri(1 - alpha)), upper[near]
    mu = outside
    for _ in range(NEWTON_STEPS):
        spread = np.maximum(mu * (1 - mu), TINY)
        statistic = np.sqrt(size) * (mu - p) / np.sqrt(spread)
        share = 1 - alpha + _usable(mu, size, scale, alpha)
        critical = scale * special.ndtri(share)
        h = statistic - critical
        inside, outside = np.where(h <= 0, mu, inside), np.where(h > 0, mu, outside)
        # dh/dmu: the statistic's slope, plus the critical value's fall as the top nears.
        room = np.minimum(np.sqrt(size * (1 - mu) / np.maximum(mu, TINY)) / scale, FAR)
        active = (share > 1 - alpha) & (share < 1 - alpha / 2)
        falling = np.where(active, _pdf(room) / _pdf(critical / scale), 0.0)
        rising = np.sqrt(size) * (mu + p - 2 * p * mu) / (2 * spread**1.5)
        falling = falling * np.sqrt(size) / (2 * np.maximum(mu, TINY) * np.sqrt(spread))
        step = mu - h / np.maximum(rising + falling, TINY)
        mu = np.where((step >= inside) & (step <= outside), step, (inside + outside) / 2)
    upper = upper.copy()
    upper[near] = mu
    return upper


def _pdf(x):
    return np.exp(-x * x / 2) / np.sqrt(2 * np.pi)


def _usable(mu, effective, allowance, alpha):
    """The share of ``alpha`` the test's high side at ``mu`` can use: the normal tail between
    its critical value and the top of the scale (how far the top lies, in standard errors at
    mu on the Student scale), at most alpha / 2."""
    room = np.minimum(np.sqrt(effective * (1 - mu) / np.maximum(mu, TINY)) / allowance, FAR)
    return np.maximum(special.ndtr(room) - (1 - alpha / 2), 0.0)


def _wilson_upper(position, effective, critical):
    """The upper end of Wilson's interval with the effective size ``effective``."""
    ratio = critical * critical / effective
    centre = (position + ratio / 2) / (1 + ratio)
    half = np.sqrt(ratio * position * (1 - position) + ratio * ratio / 4) / (1 + ratio)
    return np.clip(centre + half, position, 1.0)


def t_quantile(level: float, df: np.ndarray) -> np.ndarray:
    """Student's t quantile at ``level`` (above 0.5) for (real) ``df``, read from a table of
    its log on log df (worked out once per level: far cheaper than a quantile per group;
    within 4e-7 of scipy's, relatively). Below half a degree of freedom it is the value at
    0.5, which the cap on the allowance makes moot."""
    grid, values = _t_table(float(level))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp(np.interp(np.log(np.asarray(df, dtype=float)), grid, values))


@lru_cache(maxsize=8)
def _t_table(level: float) -> tuple[np.ndarray, np.ndarray]:
    grid = np.linspace(np.log(0.5), np.log(MOST_DF), 20000)
    return grid, np.log(special.stdtrit(np.exp(grid), level))
