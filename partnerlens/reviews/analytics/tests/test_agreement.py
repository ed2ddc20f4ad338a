# ruff: noqa: RUF002  (mathematical notation in the hand workings)
"""The reality check: weighted kappa, its uncertainty, the mean difference and the gaps.

The named table (3-point scale for readable arithmetic; 10 themes, rows self, columns review):

              review 0  review 1  review 2   row share
    self 0        2         0         0        .2
    self 1        1         3         0        .4
    self 2        0         2         2        .4
    col share    .3        .5        .2

Linear weights 1, ½, 0:
    p_o = 7/10 + 3/10·½ = .85
    p_e = .2(.3 + .25) + .4(.15 + .5 + .1) + .4(.25 + .2) = .11 + .30 + .18 = .59
    κ   = (.85 − .59)/(1 − .59) = .26/.41 = 0.634146
Quadratic weights 1, ¾, 0:
    p_o = .7 + .3·¾ = .925
    p_e = .2(.3 + .375) + .4(.225 + .5 + .15) + .4(.375 + .2) = .135 + .35 + .23 = .715
    κ   = .21/.285 = 0.736842
Standard error (linear; Fleiss, Cohen & Everitt): w̄_i· = (.55, .75, .45), w̄_·j = (.4, .7, .6),
1 − κ = 15/41; per non-empty cell p·(w − (w̄_i· + w̄_·j)(1 − κ))²:
    (0,0) .2·(1 − .95·15/41)²  = .085135     (1,0) .1·(.5 − 1.15·15/41)² = .000628
    (1,1) .3·(1 − 1.45·15/41)² = .066132     (2,1) .2·(.5 − 1.15·15/41)² = .001257
    (2,2) .2·(1 − 1.05·15/41)² = .075855     sum = .229008
    (κ − p_e(1 − κ))² = (.634146 − .215854)² = .174969
    var = (.229008 − .174969)/(10 · .41²) = .054039/1.681 = .032147   se = 0.17930
Mean difference self − review: three pairs one point optimistic, none pessimistic: 3/10 = .3.
"""

from __future__ import annotations

import numpy as np
import pytest

from partnerlens.reviews.analytics import agreement as ag

TABLE = np.array([[2, 0, 0], [1, 3, 0], [0, 2, 2]])


def pairs_from(table):
    self_codes, review_codes = [], []
    for i, j in np.ndindex(table.shape):
        self_codes += [i] * table[i, j]
        review_codes += [j] * table[i, j]
    return np.array(self_codes), np.array(review_codes)


def brute_kappa(a, b, k, kind):
    """The definition as disagreement weights over every pair of pairs, in plain loops."""
    n = len(a)
    v = (lambda i, j: abs(i - j)) if kind == ag.LINEAR else (lambda i, j: (i - j) ** 2)
    observed = sum(v(a[t], b[t]) for t in range(n)) / n
    expected = sum(v(a[s], b[t]) for s in range(n) for t in range(n)) / n**2
    return 1 - observed / expected


def test_the_named_table_gives_the_hand_worked_kappas():
    a, b = pairs_from(TABLE)
    # 10 pairs is below BOOTSTRAP_BELOW, so the interval is the bootstrap's.
    linear = ag.weighted_kappa(a, b, 3, kind=ag.LINEAR)
    quadratic = ag.weighted_kappa(a, b, 3, kind=ag.QUADRATIC)
    assert linear.kappa == pytest.approx(26 / 41)
    assert quadratic.kappa == pytest.approx(0.21 / 0.285)
    assert linear.se == pytest.approx(0.17930, abs=5e-5)
    assert (linear.n, linear.method, linear.code) == (10, ag.BOOTSTRAP, ag.OK)


def test_the_named_table_gives_the_hand_worked_mean_difference():
    a, b = pairs_from(TABLE)
    diff = ag.mean_difference(a, b)
    assert diff.mean == pytest.approx(0.3)
    # Below 30 pairs the interval spans the t interval: 0.3 ± t(0.975, 9)·sd/√10 with
    # sd = √(10/9 · 0.21) = 0.48305, t = 2.26216: 0.3 ± 0.34555 (wider than the bootstrap's,
    # which cannot go below 0 as no resample can be pessimistic).
    assert diff.method == ag.BOOTSTRAP
    assert diff.ci_low == pytest.approx(0.3 - 0.34555, abs=1e-4)
    assert diff.ci_high == pytest.approx(0.3 + 0.34555, abs=1e-4)


@pytest.mark.parametrize("kind", [ag.LINEAR, ag.QUADRATIC])
@pytest.mark.parametrize("seed", range(10))
def test_kappa_equals_the_brute_force_definition_on_random_tables(kind, seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 6))
    n = int(rng.integers(5, 40))
    a = rng.integers(0, k, n)
    b = np.clip(a + rng.integers(-2, 3, n), 0, k - 1)
    result = ag.weighted_kappa(a, b, k, kind=kind, draws=50)
    assert result.kappa == pytest.approx(brute_kappa(a, b, k, kind))


@pytest.mark.parametrize("kind", [ag.LINEAR, ag.QUADRATIC])
def test_perfect_agreement_is_one(kind):
    a = np.array([0, 1, 2, 3, 3, 2, 1, 0] * 5)
    result = ag.weighted_kappa(a, a, 4, kind=kind)
    assert result.kappa == pytest.approx(1.0)
    assert result.se == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("kind", [ag.LINEAR, ag.QUADRATIC])
def test_independent_judgements_give_a_kappa_near_zero(kind):
    rng = np.random.default_rng(7)
    a = rng.integers(0, 4, 20_000)
    b = rng.integers(0, 4, 20_000)
    result = ag.weighted_kappa(a, b, 4, kind=kind)
    assert abs(result.kappa) < 0.03
    assert result.ci_low < 0 < result.ci_high


def test_on_a_two_point_scale_linear_and_quadratic_agree():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 2, 60)
    b = np.where(rng.random(60) < 0.7, a, 1 - a)
    linear = ag.weighted_kappa(a, b, 2, kind=ag.LINEAR)
    quadratic = ag.weighted_kappa(a, b, 2, kind=ag.QUADRATIC)
    assert linear.kappa == pytest.approx(quadratic.kappa)


def test_quadratic_weights_forgive_near_misses_more_than_linear_weights():
    # Every disagreement is one point: quadratic weights count it as 15/16 agreement on a
    # 5-point scale, linear as 3/4, so the quadratic kappa is the higher.
    a = np.array([0, 1, 2, 3, 4] * 8)
    b = np.array([0, 2, 2, 4, 4] * 8)
    assert (
        ag.weighted_kappa(a, b, 5, kind=ag.QUADRATIC).kappa
        > ag.weighted_kappa(a, b, 5, kind=ag.LINEAR).kappa
    )


def simulated_raters(rng, n, k=4):
    """A host and a review team judging the same latent quality, each with their own noise."""
    latent = rng.normal(size=n)
    cuts = np.array([-0.8, 0.0, 0.8])[: k - 1]
    a = np.searchsorted(cuts, latent + rng.normal(scale=0.7, size=n) + 0.3)
    b = np.searchsorted(cuts, latent + rng.normal(scale=0.7, size=n))
    return a, b


@pytest.mark.parametrize("kind", [ag.LINEAR, ag.QUADRATIC])
def test_the_large_sample_interval_covers_the_true_kappa_about_95_times_in_100(kind):
    # The "true" kappa is the estimate on 400,000 pairs from the same model. 600 seeded
    # samples of 120 pairs: the binomial standard error of a 0.95 coverage is 0.009, so we
    # accept 0.92 to 0.98 (over three standard errors either side).
    rng = np.random.default_rng(2026)
    big_a, big_b = simulated_raters(rng, 400_000)
    truth = ag.weighted_kappa(big_a, big_b, 4, kind=kind).kappa
    hits = 0
    runs = 600
    for _ in range(runs):
        a, b = simulated_raters(rng, 120)
        result = ag.weighted_kappa(a, b, 4, kind=kind)
        assert result.method == ag.ASYMPTOTIC
        hits += result.ci_low <= truth <= result.ci_high
    assert 0.92 <= hits / runs <= 0.98


def test_fewer_than_the_minimum_pairs_is_too_few():
    result = ag.weighted_kappa([0, 1, 2, 3], [0, 1, 2, 2], 4)
    assert result.code == ag.TOO_FEW
    assert np.isnan(result.kappa)
    assert ag.mean_difference([0, 1], [1, 1]).code == ag.TOO_FEW


def test_everyone_on_one_point_of_the_scale_is_no_variation():
    result = ag.weighted_kappa([2] * 8, [2] * 8, 4)
    assert result.code == ag.NO_VARIATION
    assert np.isnan(result.kappa)


def test_one_side_on_one_point_still_has_a_kappa():
    # Expected disagreement is not zero when the other side varies.
    result = ag.weighted_kappa([2] * 8, [1, 2, 3, 2, 2, 1, 2, 3], 4)
    assert result.code == ag.OK
    assert result.kappa == pytest.approx(0.0)


def test_the_bootstrap_is_seeded_and_resamples_whole_reviews():
    a, b = pairs_from(TABLE)
    reviews = np.array([0, 0, 1, 1, 2, 2, 3, 3, 4, 4])
    first = ag.weighted_kappa(a, b, 3, reviews=reviews, seed=5)
    again = ag.weighted_kappa(a, b, 3, reviews=reviews, seed=5)
    by_pair = ag.weighted_kappa(a, b, 3, seed=5)
    assert first == again
    assert first.method == ag.BOOTSTRAP
    assert first.ci_low < first.kappa < first.ci_high
    assert (first.ci_low, first.ci_high) != (by_pair.ci_low, by_pair.ci_high)


def test_a_small_sample_interval_is_never_narrower_than_the_large_sample_one():
    for seed in range(5):
        a, b = simulated_raters(np.random.default_rng(seed), 16)
        result = ag.weighted_kappa(a, b, 4, reviews=np.arange(16) // 4, draws=300)
        assert result.method == ag.BOOTSTRAP
        assert result.ci_low <= result.kappa - ag.Z95 * result.se + 1e-9
        assert result.ci_high >= min(result.kappa + ag.Z95 * result.se, 1.0) - 1e-9
        assert result.ci_high <= 1.0


def test_codes_off_the_scale_are_refused():
    with pytest.raises(ValueError):
        ag.weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 3], 4)


def test_the_mean_difference_uses_a_t_interval_from_thirty_pairs():
    rng = np.random.default_rng(11)
    a, b = simulated_raters(rng, 200)
    diff = ag.mean_difference(a, b)
    d = a - b
    half = 1.9720 * d.std(ddof=1) / np.sqrt(200)  # t(0.975, 199) = 1.9720
    assert diff.method == ag.T_INTERVAL
    assert diff.mean > 0  # the simulated host adds 0.3 to its own judgement
    assert diff.ci_low == pytest.approx(d.mean() - half, abs=1e-4)
    assert diff.ci_high == pytest.approx(d.mean() + half, abs=1e-4)


def test_the_largest_gaps_come_first_and_agreements_are_not_listed():
    themes = ["reading", "maths", "send", "behaviour", "leadership"]
    hosts = [10, 10, 20, 20, 30]
    self_codes = [3, 2, 1, 3, 2]
    review_codes = [1, 2, 2, 2, 0]
    gaps = ag.largest_gaps(themes, hosts, self_codes, review_codes, limit=3)
    assert gaps == [
        ag.Gap("reading", 10, 3, 1, 2),
        ag.Gap("leadership", 30, 2, 0, 2),
        ag.Gap("behaviour", 20, 3, 2, 1),
    ]
    assert [g.theme for g in ag.largest_gaps(themes, hosts, self_codes, review_codes)] == [
        "reading",
        "leadership",
        "behaviour",
        "send",
    ]


def test_tracking_gives_one_kappa_and_difference_per_period_in_order():
    rng = np.random.default_rng(4)
    a, b = simulated_raters(rng, 90)
    periods = np.repeat([2026, 2024, 2025], 30)
    tracked = ag.by_period(periods, a, b, 4)
    assert [p.key for p in tracked] == [2024, 2025, 2026]
    first = tracked[0]
    assert first.kappa == ag.weighted_kappa(a[30:60], b[30:60], 4)
    assert first.difference.mean == pytest.approx((a[30:60] - b[30:60]).mean())


def test_per_theme_a_theme_with_few_pairs_says_too_few_and_the_others_are_computed():
    rng = np.random.default_rng(8)
    a, b = simulated_raters(rng, 43)
    themes = np.array(["reading"] * 20 + ["maths"] * 20 + ["send"] * 3)
    per_theme = ag.by_theme(themes, a, b, 4, reviews=np.arange(43) // 4)
    assert [(t.key, t.kappa.code, t.kappa.n) for t in per_theme] == [
        ("maths", ag.OK, 20),
        ("reading", ag.OK, 20),
        ("send", ag.TOO_FEW, 3),
    ]
