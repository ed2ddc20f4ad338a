"""Issue 13's acceptance: 200 simulated panels per claim, school-clustered noise, 5 to 50
treated schools, a fixed seed (docs/quality.md has the figures).

The panels (``synthetic.panel``) have the real KS2 panel's noise; the start is in the fifth
of six years (four years before it, two after), like the benchmark's national panel.
"""

from __future__ import annotations

import numpy as np

from partnerlens.impact.analytics import did, synthetic

SIMULATIONS = 200
COMPARISON = 150


def simulate(seed: int, effect: float = 0.0, pretrend: float = 0.0) -> list[did.Estimate]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(SIMULATIONS):
        treated = int(rng.integers(5, 51))
        frame, t, c, start = synthetic.panel(
            rng, treated, COMPARISON, effect=effect, pretrend=pretrend
        )
        out.append(did.estimate(frame, t, c, start, seed=i, wild_event_intervals=False))
    return out


def test_the_95_percent_interval_holds_the_true_effect_93_to_97_percent_of_the_time():
    results = simulate(seed=1301, effect=0.2)
    coverage = np.mean([r.ci_low <= 0.2 <= r.ci_high for r in results])
    assert 0.93 <= coverage <= 0.97, coverage
    assert {r.method for r in results} == {"wild_bootstrap", "cr1"}


def test_with_no_effect_at_most_6_percent_are_called_effects_and_pre_trends_are_rarely_flagged():
    results = simulate(seed=1302)
    false_positives = np.mean([r.ci_low > 0 or r.ci_high < 0 for r in results])
    assert false_positives <= 0.06, false_positives
    assert np.mean([r.p_value < 0.05 for r in results]) <= 0.06
    assert np.mean([r.pretrend == did.NOT_PARALLEL for r in results]) <= 0.08


def test_a_pre_trend_of_a_tenth_of_an_sd_a_year_is_flagged_at_least_80_percent_of_the_time():
    results = simulate(seed=1303, pretrend=0.1)
    flagged = np.mean([r.pretrend == did.NOT_PARALLEL for r in results])
    assert flagged >= 0.80, flagged


def test_below_the_thresholds_the_answer_is_not_enough_data():
    rng = np.random.default_rng(1304)
    cases = [
        (dict(treated=did.MIN_TREATED - 1, comparison=COMPARISON), "too_few_treated_schools"),
        (dict(treated=20, comparison=did.MIN_COMPARISON - 1), "too_few_comparison_schools"),
        (dict(treated=20, comparison=COMPARISON, years=5, start_index=4), None),
        (dict(treated=20, comparison=COMPARISON, years=5, start_index=5), "too_few_years_after"),
        (dict(treated=20, comparison=COMPARISON, start_index=1), "too_few_years_before"),
    ]
    for kwargs, code in cases:
        frame, t, c, start = synthetic.panel(rng, effect=2.0, **kwargs)
        result = did.estimate(frame, t, c, start)
        if code is None:
            assert result.status == did.ESTIMATED
        else:
            assert result.status == did.NOT_ENOUGH_DATA and code in result.reasons
            assert np.isnan(result.effect) and np.isnan(result.effect_size)
