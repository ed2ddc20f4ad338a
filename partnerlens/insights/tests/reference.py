"""The documented score interval (docs/methods.md, "Interval") written out by hand from raw
values, so tests check the engine's vectorised version against an independent one: the
beta's skewness and kurtosis come from scipy (not from the engine's closed form for D), the
t quantile from scipy, and each end from a root finder rather than Newton's method."""

from __future__ import annotations

import math
import statistics

from scipy import optimize, stats


def reference_interval(values, low=1.0, high=5.0) -> tuple[float, float]:
    """The dispersion with 0.02 pseudo-respondent at each end of the scale; Satterthwaite's
    degrees of freedom for it under a beta with the same mean and dispersion; then every mu
    the score test does not reject, each side of the test taking the share of the 5% the
    other side cannot use before the end of the scale."""
    span = high - low
    positions = [(v - low) / span for v in values]
    n = len(positions)
    augmented = [*positions, 0.0, 1.0]
    weights = [1.0] * n + [0.02, 0.02]
    total = sum(weights)
    centre = sum(w * x for w, x in zip(weights, augmented, strict=True)) / total
    spread = sum(w * (x - centre) ** 2 for w, x in zip(weights, augmented, strict=True))
    phi = min(spread / (total - 1) / (centre * (1 - centre)), 1.0)
    p = statistics.fmean(positions)
    z = stats.norm.ppf(0.975)
    if phi >= 1.0:
        c = z  # answers only at the two ends: the dispersion is known
    else:
        # n Var(log phi_hat) = kurtosis + 2 - 2 g skewness + g^2 (delta method), beta moments.
        size = 1 / phi - 1
        skewness, kurtosis = stats.beta(centre * size, (1 - centre) * size).stats(moments="sk")
        g = (1 - 2 * centre) * math.sqrt(phi / (centre * (1 - centre)))
        d = float(kurtosis) + 2 - 2 * g * float(skewness) + g * g
        c = min(stats.t.ppf(0.975, 2 * (n - 1) / d), z / math.sqrt(phi))
    allowance = c / z
    effective = n / phi

    def usable(room):  # the share of 0.05 the side towards an end can use
        return min(max(stats.norm.cdf(room / allowance) - 0.975, 0.0), 0.025)

    def too_high(mu):  # > 0: mu is above the interval (p is too low for it)
        statistic = math.sqrt(effective) * (mu - p) / math.sqrt(mu * (1 - mu))
        room = math.sqrt(effective * (1 - mu) / mu)
        return statistic - allowance * stats.norm.ppf(0.95 + usable(room))

    def too_low(mu):  # > 0: mu is below the interval
        statistic = math.sqrt(effective) * (p - mu) / math.sqrt(mu * (1 - mu))
        room = math.sqrt(effective * mu / (1 - mu))
        return statistic - allowance * stats.norm.ppf(0.95 + usable(room))

    edge = 1e-12
    upper = 1.0 if too_high(1 - edge) <= 0 else optimize.brentq(too_high, max(p, edge), 1 - edge)
    lower = 0.0 if too_low(edge) <= 0 else optimize.brentq(too_low, edge, min(p, 1 - edge))
    return low + lower * span, low + upper * span
