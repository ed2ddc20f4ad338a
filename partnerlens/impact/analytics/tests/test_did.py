"""Difference-in-differences: the estimate, its errors, the thresholds and registration."""

from __future__ import annotations

import numpy as np
import pandas as pd

from partnerlens.impact.analytics import did, synthetic, wild
from partnerlens.impact.analytics.effects import months_progress
from partnerlens.impact.analytics.registration import RegisteredSpec


def test_on_a_balanced_panel_it_is_the_difference_of_the_four_means():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(1), 8, 40)
    result = did.estimate(frame, treated, comparison, start, wild_event_intervals=False)
    is_treated, after = frame["urn"].isin(treated), frame["year"] >= start
    means = frame.groupby([is_treated, after])["value"].mean()
    expected = (means[True, True] - means[True, False]) - (means[False, True] - means[False, False])
    assert result.status == did.ESTIMATED
    assert np.isclose(result.effect, expected)


def test_cr1_matches_a_regression_with_a_dummy_for_every_school_on_an_unbalanced_panel():
    rng = np.random.default_rng(2)
    frame, treated, comparison, start = synthetic.panel(rng, 60, 60, effect=0.3)
    frame = frame.drop(index=rng.choice(len(frame), 80, replace=False)).reset_index(drop=True)
    result = did.estimate(frame, treated, comparison, start)
    assert result.method == "cr1"
    school = pd.get_dummies(frame["urn"]).to_numpy(float)
    year = pd.get_dummies(frame["year"]).to_numpy(float)[:, 1:]
    D = (frame["urn"].isin(treated) & (frame["year"] >= start)).to_numpy(float)
    X = np.column_stack([D, year, school])
    y = frame["value"].to_numpy()
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    u = y - X @ beta
    bread = np.linalg.pinv(X.T @ X)
    scores = school.T @ (X * u[:, None])
    G, N, K = school.shape[1], len(y), 1 + year.shape[1]
    V = G / (G - 1) * (N - 1) / (N - K) * bread @ scores.T @ scores @ bread
    assert np.isclose(result.effect, beta[0])
    assert np.isclose(result.se, np.sqrt(V[0, 0]), rtol=1e-8)


def test_adding_an_effect_moves_the_estimate_and_the_bootstrap_interval_by_exactly_that():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(3), 7, 60)
    shifted = frame.copy()
    shifted.loc[shifted["urn"].isin(treated) & (shifted["year"] >= start), "value"] += 0.25
    a = did.estimate(frame, treated, comparison, start, seed=9)
    b = did.estimate(shifted, treated, comparison, start, seed=9)
    assert a.method == b.method == "wild_bootstrap"
    assert a.bootstrap_weights == "rademacher"
    for name in ("effect", "ci_low", "ci_high"):
        assert np.isclose(getattr(b, name) - getattr(a, name), 0.25, atol=1e-6)


def test_the_wild_bootstrap_p_value_is_one_at_the_estimate_and_small_far_from_it():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(4), 6, 50)
    rows = did._prepare(frame, set(treated), set(comparison), start)
    D = (rows["urn"].isin(treated) & (rows["year"] >= start)).to_numpy(float)
    design = did._design(rows, D[:, None])
    result = wild.fit(design)
    _kind, W = wild.weights(design.clusters, 999, np.random.default_rng(0))
    test = wild.WildTest(design, result, 0, W)
    low, high = test.interval()
    assert test.p_value(test.estimate) == 1.0
    assert test.p_value(test.estimate + 10 * test.se) < 0.01
    assert low < test.estimate < high
    assert np.isclose(test.p_value(low), 0.05, atol=0.01)


def test_few_clusters_use_webb_weights():
    kind, W = wild.weights(8, 999, np.random.default_rng(0))
    assert kind == "webb" and len(np.unique(W)) == 6
    kind, W = wild.weights(40, 999, np.random.default_rng(0))
    assert kind == "rademacher" and set(np.unique(W)) == {-1.0, 1.0}


def test_the_event_study_has_a_zero_reference_year_and_finds_a_pre_trend():
    rng = np.random.default_rng(5)
    frame, treated, comparison, start = synthetic.panel(rng, 40, 200, pretrend=0.2)
    result = did.estimate(frame, treated, comparison, start, seed=1)
    events = result.event_study.set_index("relative_year")
    assert events.index.tolist() == [-4, -3, -2, -1, 0, 1]
    assert events.loc[-1, "coef"] == 0.0
    assert events.loc[-4, "coef"] < events.loc[-2, "coef"] < 0
    assert result.pretrend == did.NOT_PARALLEL and result.pretrend_p < 0.05


def test_one_year_before_the_start_leaves_pre_trends_untestable_but_not_the_estimate():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(6), 10, 50)
    frame = frame[frame["year"] >= start - 2]
    result = did.estimate(frame, treated, comparison, start)
    assert result.status == did.ESTIMATED
    assert result.pretrend in (did.PARALLEL, did.NOT_PARALLEL)
    frame = frame[frame["year"] >= start - 1]
    result = did.estimate(frame, treated, comparison, start)
    assert result.status == did.NOT_ENOUGH_DATA
    assert result.reasons == ("too_few_years_before",)


def test_every_threshold_gives_not_enough_data_and_no_numbers():
    rng = np.random.default_rng(7)
    frame, treated, comparison, start = synthetic.panel(rng, 4, 19, effect=1.0)
    result = did.estimate(frame, treated, comparison, start)
    assert result.status == did.NOT_ENOUGH_DATA
    assert result.reasons == ("too_few_treated_schools", "too_few_comparison_schools")
    assert np.isnan(result.effect) and np.isnan(result.ci_low) and result.months is None
    frame, treated, comparison, start = synthetic.panel(rng, 5, 20, effect=1.0)
    assert did.estimate(frame, treated, comparison, start).status == did.ESTIMATED
    before_only = frame[frame["year"] < start]
    result = did.estimate(before_only, treated, comparison, start)
    # No school spans the start, so no school (and no year) counts at all.
    assert result.reasons == (
        "too_few_years_before",
        "too_few_years_after",
        "too_few_treated_schools",
        "too_few_comparison_schools",
    )


def test_suppressed_years_do_not_count_towards_the_thresholds():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(8), 6, 30)
    frame.loc[frame["urn"].isin(treated[:2]) & (frame["year"] >= start), "value"] = np.nan
    result = did.estimate(frame, treated, comparison, start)
    assert result.treated == 4 and result.reasons == ("too_few_treated_schools",)


def test_effect_sizes_and_months_use_the_pupil_sd_only_when_given():
    frame, treated, comparison, start = synthetic.panel(
        np.random.default_rng(9), 50, 200, effect=0.3
    )
    pupil = did.estimate(frame, treated, comparison, start, pupil_sd=1.0, attainment=True)
    assert pupil.sd_basis == "pupil" and pupil.effect_size == pupil.effect
    assert pupil.months == months_progress(pupil.effect) and pupil.months in (3, 4, 5)
    school = did.estimate(frame, treated, comparison, start, attainment=True)
    before = frame[frame["year"] < start]["value"].std(ddof=1)
    assert school.sd_basis == "school" and np.isclose(school.sd, before)
    assert np.isclose(school.effect_size, school.effect / before) and school.months is None


def test_the_estimate_says_whether_it_matched_the_registered_spec():
    frame, treated, comparison, start = synthetic.panel(np.random.default_rng(10), 50, 60)
    spec = RegisteredSpec.of("ks2_rwm_expected", treated, start)
    same = did.estimate(frame, treated, comparison, start, spec=spec, measure="ks2_rwm_expected")
    assert same.registration == "registered" and same.spec_hash == spec.digest()
    other = did.estimate(
        frame, treated, comparison, start + 1, spec=spec, measure="ks2_rwm_expected"
    )
    assert other.registration == "differs_from_registration"
    assert did.estimate(frame, treated, comparison, start).registration == "not_registered"
