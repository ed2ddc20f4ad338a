"""Comparison families: who is in them, how far each is, and what happens to missing data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from partnerlens.impact.analytics import families
from partnerlens.impact.analytics.families import FamilyError, FamilyIndex


def school_frame(rng: np.random.Generator, n: int, phase: str = "primary", first: int = 1):
    return pd.DataFrame(
        {
            "urn": np.arange(first, first + n),
            "phase": phase,
            "prior": rng.normal(68, 14, n),
            "fsm": rng.gamma(2.0, 10.0, n),
            "eal": rng.gamma(1.0, 9.0, n),
            "sen": rng.normal(14, 4, n),
            "pupils": rng.integers(60, 700, n),
        }
    )


def brute_force(schools: pd.DataFrame, urn: int, banned: set, size: int) -> pd.DataFrame:
    """An independent reading of the documented distance: z-scores over the phase, weights."""
    frame = schools.copy()
    frame["log_pupils"] = np.log(frame["pupils"].astype(float))
    frame = frame[frame["phase"] == frame.loc[frame["urn"] == urn, "phase"].iloc[0]]
    z = frame[list(families.COVARIATES)].astype(float)
    z = (z - z.mean()) / z.std(ddof=1)
    w = np.array([families.WEIGHTS[c] for c in families.COVARIATES])
    target = z[frame["urn"] == urn].to_numpy()[0]
    frame = frame.assign(distance=np.sqrt((((z.to_numpy() - target) ** 2) * w).sum(axis=1)))
    frame = frame[~frame["urn"].isin(banned)]
    return frame.sort_values(["distance", "urn"]).head(size)


def test_each_family_is_the_nearest_fifty_outside_the_partnership_in_the_same_phase():
    rng = np.random.default_rng(3)
    schools = pd.concat(
        [school_frame(rng, 800), school_frame(rng, 300, "secondary", first=5000)],
        ignore_index=True,
    )
    partnership = [5, 17, 40, 5003, 5010]
    result = FamilyIndex(schools).families(partnership)
    assert set(result.status["status"]) == {families.MATCHED}
    for urn in partnership:
        got = result.members[result.members["school_urn"] == urn]
        expected = brute_force(schools, urn, set(partnership), 50)
        assert got["member_urn"].tolist() == expected["urn"].tolist()
        np.testing.assert_allclose(got["distance"], expected["distance"], rtol=1e-9)
        assert got["rank"].tolist() == list(range(1, 51))
    assert not set(result.comparison_urns()) & set(partnership)
    secondary = result.members[result.members["school_urn"] >= 5000]["member_urn"]
    assert (secondary >= 5000).all()


def test_equal_distances_are_broken_by_urn_whatever_the_row_order():
    rng = np.random.default_rng(4)
    schools = school_frame(rng, 200)
    twins = schools.iloc[[0] * 80].copy()
    twins["urn"] = np.arange(9000, 9080)[::-1]
    schools = pd.concat([schools, twins], ignore_index=True)
    first = FamilyIndex(schools).families([1], size=50)
    shuffled = schools.sample(frac=1.0, random_state=1)
    second = FamilyIndex(shuffled).families([1], size=50)
    assert first.members.equals(second.members)
    assert first.members["member_urn"].tolist() == list(range(9000, 9050))
    assert (first.members["distance"] == 0).all()


def test_missing_covariates_are_codes_not_exceptions():
    rng = np.random.default_rng(5)
    schools = school_frame(rng, 300)
    schools.loc[schools["urn"] == 2, "fsm"] = np.nan
    schools.loc[schools["urn"].between(100, 140), "sen"] = np.nan
    schools.loc[schools["urn"] == 150, "pupils"] = 0
    index = FamilyIndex(schools)
    assert index.missing == 1 + 41 + 1
    result = index.families([1, 2, 99999])
    status = dict(zip(result.status["school_urn"], result.status["status"], strict=True))
    assert status == {
        1: families.MATCHED,
        2: families.MISSING_COVARIATES,
        99999: families.UNKNOWN_SCHOOL,
    }
    chosen = set(result.members["member_urn"])
    assert not chosen & (set(range(100, 141)) | {150, 2})


def test_a_small_phase_gives_a_small_family_with_everyone_in_it():
    rng = np.random.default_rng(6)
    schools = pd.concat(
        [school_frame(rng, 400), school_frame(rng, 12, "special", first=7000)],
        ignore_index=True,
    )
    result = FamilyIndex(schools).families([7000, 7001])
    assert set(result.status["status"]) == {families.SMALL_FAMILY}
    assert result.status["family_size"].tolist() == [10, 10]
    assert set(result.members["member_urn"]) == set(range(7002, 7012))


def test_families_balance_a_partnership_that_is_unlike_the_pool():
    rng = np.random.default_rng(7)
    schools = school_frame(rng, 3000)
    high = schools.sort_values("prior").tail(300)["urn"].to_numpy()
    partnership = rng.choice(high, 20, replace=False)
    balance = FamilyIndex(schools).families(partnership).balance.set_index("covariate")
    before, after = balance["smd_before"], balance["smd_after"]
    assert before["prior"] > 1.0
    # At the top of the range the nearest schools lie below: better, never perfect.
    assert abs(after["prior"]) < before["prior"] / 3
    assert (after.drop("prior").abs() < 0.15).all()


def test_a_frame_without_a_column_is_a_callers_error():
    with pytest.raises(FamilyError, match="eal"):
        FamilyIndex(school_frame(np.random.default_rng(1), 5).drop(columns="eal"))
