# ruff: noqa: RUF002, RUF003  (mathematical notation)
"""The reality check: the host's self-evaluation against the review's judgement, per theme.

Judgements are ordered integer codes 0..k−1 on the review type's scale (for the Challenge
Partners scale k = 4: 0 Ineffective, 1 Working towards effective, 2 Effective, 3 Leading), so
a positive difference self − review means the self-evaluation was the more optimistic.

Weighted kappa (Cohen 1968), with agreement weights w_ij = 1 − |i−j|/(k−1) (linear) or
1 − (i−j)²/(k−1)² (quadratic), observed proportions p_ij and margins p_i·, p_·j:

    p_o = Σ w_ij p_ij      p_e = Σ w_ij p_i· p_·j      κ_w = (p_o − p_e) / (1 − p_e)

Large-sample variance (Fleiss, Cohen & Everitt 1969), with w̄_i· = Σ_j p_·j w_ij and
w̄_·j = Σ_i p_i· w_ij:

    var(κ_w) = [ Σ p_ij (w_ij − (w̄_i· + w̄_·j)(1 − κ_w))² − (κ_w − p_e(1 − κ_w))² ]
               / ( n (1 − p_e)² )

The interval is κ_w ± 1.96·se from ``BOOTSTRAP_BELOW`` pairs up; below that it spans both
that interval and the percentile interval of a seeded bootstrap that resamples whole reviews
(a review's themes are judged together, so they are not independent). Under ``MIN_PAIRS``
nothing is computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

MIN_PAIRS = 5  # fewer pairs than this: code "too_few", no figures
BOOTSTRAP_BELOW = 30  # fewer pairs than this: the interval is the bootstrap over reviews
BOOTSTRAP_DRAWS = 2000
Z95 = 1.959963984540054

LINEAR = "linear"
QUADRATIC = "quadratic"

# method codes
ASYMPTOTIC = "asymptotic"  # Fleiss–Cohen–Everitt standard error, normal interval
BOOTSTRAP = "bootstrap"  # same standard error, percentile interval over reviews
T_INTERVAL = "t"  # mean difference: Student t interval on the pairs

# result codes
OK = "ok"
TOO_FEW = "too_few"
NO_VARIATION = "no_variation"


@dataclass(frozen=True)
class Kappa:
    kappa: float
    se: float
    ci_low: float
    ci_high: float
    n: int
    method: str  # ASYMPTOTIC, or BOOTSTRAP (the wider of both intervals); "" when not computed
    code: str  # OK, TOO_FEW or NO_VARIATION


@dataclass(frozen=True)
class MeanDifference:
    mean: float  # self − review, in scale points; > 0: self-evaluation the more optimistic
    ci_low: float
    ci_high: float
    n: int
    method: str  # T_INTERVAL or BOOTSTRAP; "" when not computed
    code: str  # OK or TOO_FEW


@dataclass(frozen=True)
class Gap:
    theme: object
    host: object
    self_code: int
    review_code: int
    gap: int  # self − review


@dataclass(frozen=True)
class GroupAgreement:
    key: object  # the period (tracking over time) or the theme
    kappa: Kappa
    difference: MeanDifference


_NAN = float("nan")


def weights(n_categories: int, kind: str = LINEAR) -> np.ndarray:
    """Agreement weights: 1 on the diagonal, 0 for the two ends of the scale."""
    if n_categories < 2:
        raise ValueError("a scale needs at least two points")
    idx = np.arange(n_categories)
    dist = np.abs(idx[:, None] - idx[None, :]) / (n_categories - 1)
    if kind == LINEAR:
        return 1.0 - dist
    if kind == QUADRATIC:
        return 1.0 - dist**2
    raise ValueError(f"unknown weights {kind!r}")


def _codes(values, n_categories: int) -> np.ndarray:
    arr = np.asarray(values, dtype=np.int64).ravel()
    if arr.size and (arr.min() < 0 or arr.max() >= n_categories):
        raise ValueError("judgement codes must lie in 0..n_categories-1")
    return arr


def _table(a: np.ndarray, b: np.ndarray, k: int) -> np.ndarray:
    return np.bincount(a * k + b, minlength=k * k).reshape(k, k).astype(np.float64)


def _kappa_from_table(table: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """κ_w and its large-sample standard error from a table of counts (NaN, NaN if 1 − p_e = 0)."""
    n = table.sum()
    p = table / n
    rows = p.sum(axis=1)
    cols = p.sum(axis=0)
    p_o = float((w * p).sum())
    p_e = float((w * np.outer(rows, cols)).sum())
    if 1.0 - p_e <= 1e-12:
        return _NAN, _NAN
    kappa = (p_o - p_e) / (1.0 - p_e)
    w_row = w @ cols  # w̄_i·
    w_col = rows @ w  # w̄_·j
    inner = (p * (w - (w_row[:, None] + w_col[None, :]) * (1.0 - kappa)) ** 2).sum()
    var = (inner - (kappa - p_e * (1.0 - kappa)) ** 2) / (n * (1.0 - p_e) ** 2)
    return kappa, float(np.sqrt(max(var, 0.0)))


def _cluster_draws(groups: np.ndarray | None, n: int, rng: np.random.Generator, draws: int):
    """Yield index arrays, each a resample of whole reviews (or of pairs without groups)."""
    if groups is None:
        for _ in range(draws):
            yield rng.integers(0, n, size=n)
        return
    _, inverse = np.unique(groups, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    starts = np.searchsorted(inverse[order], np.arange(inverse.max() + 1))
    ends = np.append(starts[1:], n)
    members = [order[s:e] for s, e in zip(starts, ends, strict=True)]
    m = len(members)
    for _ in range(draws):
        picked = rng.integers(0, m, size=m)
        yield np.concatenate([members[i] for i in picked])


def weighted_kappa(
    self_codes,
    review_codes,
    n_categories: int,
    *,
    kind: str = LINEAR,
    reviews=None,
    seed: int = 0,
    draws: int = BOOTSTRAP_DRAWS,
) -> Kappa:
    """Weighted kappa between paired judgements; ``reviews`` labels each pair's review."""
    a = _codes(self_codes, n_categories)
    b = _codes(review_codes, n_categories)
    n = int(a.size)
    if n != b.size:
        raise ValueError("self and review judgements must pair up")
    if n < MIN_PAIRS:
        return Kappa(_NAN, _NAN, _NAN, _NAN, n, "", TOO_FEW)
    w = weights(n_categories, kind)
    kappa, se = _kappa_from_table(_table(a, b, n_categories), w)
    if np.isnan(kappa):
        return Kappa(_NAN, _NAN, _NAN, _NAN, n, "", NO_VARIATION)
    if n >= BOOTSTRAP_BELOW:
        return Kappa(kappa, se, kappa - Z95 * se, kappa + Z95 * se, n, ASYMPTOTIC, OK)
    groups = None if reviews is None else np.asarray(reviews)
    rng = np.random.default_rng(seed)
    boot = np.array(
        [
            _kappa_from_table(_table(a[idx], b[idx], n_categories), w)[0]
            for idx in _cluster_draws(groups, n, rng, draws)
        ]
    )
    # A resample with no expected disagreement has no kappa; it is left out (its share is
    # small unless the data nearly are one category, which the point estimate already shows).
    low, high = np.nanpercentile(boot, [2.5, 97.5])
    # With a handful of reviews the percentile interval alone is too narrow (79% coverage
    # for 3 to 5 reviews in docs/quality.md), so the interval is the wider of the two.
    low = min(float(low), kappa - Z95 * se)
    high = min(max(float(high), kappa + Z95 * se), 1.0)
    return Kappa(kappa, se, low, high, n, BOOTSTRAP, OK)


def _t_half_width(d: np.ndarray) -> float:
    return float(stats.t.ppf(0.975, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))


def mean_difference(
    self_codes,
    review_codes,
    *,
    reviews=None,
    seed: int = 0,
    draws: int = BOOTSTRAP_DRAWS,
) -> MeanDifference:
    """Mean of self − review with a 95% interval (t interval; below ``BOOTSTRAP_BELOW`` pairs
    the wider of it and the bootstrap over reviews)."""
    a = np.asarray(self_codes, dtype=np.float64).ravel()
    b = np.asarray(review_codes, dtype=np.float64).ravel()
    if a.size != b.size:
        raise ValueError("self and review judgements must pair up")
    n = int(a.size)
    if n < MIN_PAIRS:
        return MeanDifference(_NAN, _NAN, _NAN, n, "", TOO_FEW)
    d = a - b
    mean = float(d.mean())
    if n >= BOOTSTRAP_BELOW:
        half = _t_half_width(d)
        return MeanDifference(mean, mean - half, mean + half, n, T_INTERVAL, OK)
    groups = None if reviews is None else np.asarray(reviews)
    rng = np.random.default_rng(seed)
    boot = np.array([d[idx].mean() for idx in _cluster_draws(groups, n, rng, draws)])
    low, high = np.percentile(boot, [2.5, 97.5])
    half = _t_half_width(d)
    return MeanDifference(
        mean, min(float(low), mean - half), max(float(high), mean + half), n, BOOTSTRAP, OK
    )


def largest_gaps(themes, hosts, self_codes, review_codes, *, limit: int = 10) -> list[Gap]:
    """The pairs furthest apart, largest |gap| first; ties by optimism first, then input order."""
    a = np.asarray(self_codes, dtype=np.int64).ravel()
    b = np.asarray(review_codes, dtype=np.int64).ravel()
    gap = a - b
    # lexsort: last key is primary — |gap| descending, then positive gaps first, then order
    order = np.lexsort((np.arange(gap.size), -gap, -np.abs(gap)))
    out = []
    for i in order[:limit]:
        if gap[i] == 0:
            break
        out.append(Gap(themes[i], hosts[i], int(a[i]), int(b[i]), int(gap[i])))
    return out


def by_group(
    keys,
    self_codes,
    review_codes,
    n_categories: int,
    *,
    kind: str = LINEAR,
    reviews=None,
    seed: int = 0,
    draws: int = BOOTSTRAP_DRAWS,
) -> list[GroupAgreement]:
    """Kappa and mean difference per key, keys sorted: per period to track the reality check
    over time, per theme to see where self-evaluation and review part."""
    keys = np.asarray(keys)
    a = np.asarray(self_codes)
    b = np.asarray(review_codes)
    groups = None if reviews is None else np.asarray(reviews)
    out = []
    for key in np.unique(keys):
        mask = keys == key
        sub = None if groups is None else groups[mask]
        out.append(
            GroupAgreement(
                key.item() if hasattr(key, "item") else key,
                weighted_kappa(
                    a[mask], b[mask], n_categories, kind=kind, reviews=sub, seed=seed, draws=draws
                ),
                mean_difference(a[mask], b[mask], reviews=sub, seed=seed, draws=draws),
            )
        )
    return out


by_period = by_group
by_theme = by_group
