"""The documented score interval (docs/methods.md, "Interval") written out by hand from raw
values, so tests check the engine's vectorised version against an independent one."""

from __future__ import annotations

import statistics

from scipy import optimize, stats


def reference_interval(values, low=1.0, high=5.0) -> tuple[float, float]:
    """The dispersion with 0.02 pseudo-respondent at each end of the scale, then every mu with
    n (p - mu)^2 <= t(0.975, n + 1)^2 phi mu (1 - mu), found by a root finder."""
    span = high - low
    positions = [(v - low) / span for v in values]
    n = len(positions)
    augmented = [*positions, 0.0, 1.0]
    weights = [1.0] * n + [0.02, 0.02]
    total = sum(weights)
    centre = sum(w * x for w, x in zip(weights, augmented, strict=True)) / total
    spread = sum(w * (x - centre) ** 2 for w, x in zip(weights, augmented, strict=True))
    phi = min(spread / (total - 1) / (centre * (1 - centre)), 1.0)
    p, c = statistics.fmean(positions), stats.t.ppf(0.975, n - 1 + 2)

    def excess(mu):
        return n * (p - mu) ** 2 - c * c * phi * mu * (1 - mu)

    lower = optimize.brentq(excess, 0.0, p) if excess(0.0) > 0 else 0.0
    upper = optimize.brentq(excess, p, 1.0) if excess(1.0) > 0 else 1.0
    return low + lower * span, low + upper * span
