"""Effect sizes, months' progress, multi-year averages, suppression and the spec hash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from partnerlens.impact.analytics import effects
from partnerlens.impact.analytics.registration import RegisteredSpec


@pytest.mark.parametrize(
    ("d", "months"),
    [
        (0.0, 0),
        (0.01, 0),
        (0.014, 0),
        (0.02, 1),
        (0.09, 1),
        (0.10, 2),
        (0.18, 2),
        (0.19, 3),
        (0.35, 4),
        (0.36, 5),
        (0.52, 6),
        (0.61, 7),
        (0.69, 8),
        (0.78, 9),
        (0.87, 10),
        (0.95, 11),
        (0.96, 12),
        (1.8, 12),
        (-0.2, -3),
        (-0.05, -1),
    ],
)
def test_months_progress_follows_the_eef_table(d, months):
    assert effects.months_progress(d) == months


def test_months_progress_of_no_number_is_none():
    assert effects.months_progress(float("nan")) is None


def test_effect_size_divides_by_the_sd_and_refuses_a_zero_sd():
    assert effects.effect_size(3.0, 12.0) == 0.25
    assert np.isnan(effects.effect_size(3.0, 0.0))
    assert effects.pupil_sd_of_share(0.5) == 0.5


def test_cohorts_of_five_or_fewer_or_unknown_are_suppressed():
    panel = pd.DataFrame(
        {
            "urn": [1, 1, 1, 2],
            "year": [1, 2, 3, 1],
            "value": [60.0, 70, 80, 50],
            "cohort": [5, 6, 30, np.nan],
        }
    )
    out = effects.suppress_small_cohorts(panel)
    assert out["status"].tolist() == ["suppressed", "shown", "shown", "suppressed"]
    assert out["value"].isna().tolist() == [True, False, False, True]


def test_three_year_averages_weight_by_cohort_and_skip_missing_years():
    panel = pd.DataFrame(
        {
            "urn": [1, 1, 1, 1],
            "year": [2016, 2017, 2018, 2019],
            "value": [50.0, np.nan, 80.0, 20.0],
            "cohort": [4.0, 10.0, 8.0, 4.0],
        }
    )
    out = effects.average_years(panel).set_index("year")
    assert out.loc[2016, "value"] == 50.0 and out.loc[2016, "cohort"] == 4
    assert out.loc[2018, "value"] == pytest.approx((50 * 4 + 80 * 8) / 12)
    assert out.loc[2019, "value"] == pytest.approx((80 * 8 + 20 * 4) / 12)
    pooled = effects.suppress_small_cohorts(out.reset_index())
    assert pooled["status"].tolist() == ["suppressed", "suppressed", "shown", "shown"]


def test_the_spec_hash_is_stable_and_changes_with_any_field():
    a = RegisteredSpec.of("ks2", [3, 1, 2], 2019)
    assert a.digest() == RegisteredSpec.of("ks2", (1, 2, 3), 2019).digest()
    assert len(a.digest()) == 64
    others = [
        RegisteredSpec.of("ks4", [1, 2, 3], 2019),
        RegisteredSpec.of("ks2", [1, 2], 2019),
        RegisteredSpec.of("ks2", [1, 2, 3], 2020),
        RegisteredSpec.of("ks2", [1, 2, 3], 2019, question="maths"),
    ]
    assert len({a.digest(), *(o.digest() for o in others)}) == 5
    with pytest.raises(AttributeError):
        a.measure = "other"  # frozen
