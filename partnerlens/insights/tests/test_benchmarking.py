"""Benchmarks (issues 8 and 9): at least 10 peers, figures that are never one partnership's
value, each partnership's own k, differencing between successive benchmarks, and a
position only where the interval supports it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from partnerlens.insights.analytics import benchmarking

VICTIM = 3.62


def _others(means, n=20, k=None, start=10) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "partnership_id": range(start, start + len(means)),
            "partnership_kind": "mat",
            "shares": True,
            "theme_key": "trust",
            "mean": list(means),
            "n": n,
        }
    )
    return frame if k is None else frame.assign(k=k)


def _quartiles(others: pd.DataFrame, previous=None) -> tuple:
    out = benchmarking.published_benchmark(others, 1, "mat", previous=previous)
    figures = out[["others_q1", "others_median", "others_q3"]].iloc[0].to_numpy(float)
    return tuple(np.nan_to_num(figures, nan=-1.0))  # a left-out figure reads as -1


def test_fewer_than_ten_peers_give_no_comparison():
    own = pd.DataFrame({"theme_key": ["trust"], "mean": [3.0], "ci_low": [2.8], "ci_high": [3.2]})
    nine = benchmarking.benchmark_position(own, _others(np.linspace(2, 4, 9)), 1, "mat").iloc[0]
    assert nine["status"] == "not_enough_partnerships" and pd.isna(nine["others_median"])
    ten = benchmarking.benchmark_position(own, _others(np.linspace(2, 4, 10)), 1, "mat").iloc[0]
    assert ten["status"] == "compared" and ten["compared"] == 10
    with pytest.raises(ValueError, match="at least 10"):
        benchmarking.benchmark_position(own, _others([3.0] * 12), 1, "mat", min_partnerships=5)


def test_published_quartiles_are_rounded_and_never_a_partnerships_own_mean():
    rng = np.random.default_rng(4)
    for _ in range(15):
        means = np.round(rng.uniform(2.0, 4.5, size=int(rng.integers(11, 25))), 3)
        means[np.isclose(means % 0.25, 0)] += 0.003  # none sits on the grid by chance
        figures = np.array(_quartiles(_others(means)))
        figures = figures[figures >= 0]
        assert np.allclose(figures / 0.25, np.round(figures / 0.25))  # on the 0.25 grid
        assert not np.isin(figures, means).any()
        # Each figure shown is what the others give without any one peer: no peer moves it.
        shown = np.array(_quartiles(_others(means)))
        for j in np.flatnonzero(shown >= 0):
            assert any(
                all(
                    np.isclose(
                        benchmarking.rounded(
                            benchmarking.harrell_davis(np.delete(means, i), (0.25, 0.5, 0.75)),
                            step,
                        )[j],
                        shown[j],
                    )
                    for i in range(means.size)
                )
                for step in (0.25, 0.5)
            )


def test_four_or_nine_made_up_partnerships_cannot_read_a_victims_mean():
    rng = np.random.default_rng(8)
    attacker = np.round(rng.uniform(2.5, 4.5, size=9), 2)  # the attacker knows these
    seen = _quartiles(_others(np.append(attacker, VICTIM)))
    grid = np.round(np.arange(1.0, 5.0001, 0.01), 2)
    consistent = [v for v in grid if _quartiles(_others(np.append(attacker, v))) == seen]
    assert VICTIM in consistent
    assert max(consistent) - min(consistent) >= 0.2  # not narrowed below 0.2 of a point
    # Plain quantiles, as before, give the victim away exactly with 4 made-up peers.
    plain = np.quantile(np.append(attacker[:4], VICTIM), [0.25, 0.5, 0.75])
    exposed = [
        v
        for v in grid
        if np.allclose(np.quantile(np.append(attacker[:4], v), [0.25, 0.5, 0.75]), plain)
    ]
    assert len(exposed) == 1


def test_a_newcomer_cannot_be_read_from_two_successive_benchmarks():
    base = np.round(np.linspace(2.6, 4.4, 12), 2)
    first = benchmarking.published_benchmark(_others(base), 1, "mat")
    with_newcomer = _others(np.append(base, VICTIM))
    kept = benchmarking.published_benchmark(with_newcomer, 1, "mat", previous=first)
    assert bool(kept["kept"].iloc[0])
    assert _quartiles(with_newcomer, first) == _quartiles(_others(base))
    assert _quartiles(_others(np.append(base, 1.0)), first) == _quartiles(
        _others(np.append(base, 5.0)), first
    )
    # Enough change (5 newcomers) and the figures move on.
    many = _others(np.append(base, [VICTIM, 2.0, 2.2, 4.6, 4.8]))
    moved = benchmarking.published_benchmark(many, 1, "mat", previous=first)
    assert not bool(moved["kept"].iloc[0]) and moved["compared"].iloc[0] == 17


def test_each_partnership_is_compared_on_what_its_own_release_shows():
    means = np.linspace(2.0, 4.0, 12)
    others = _others(means, n=[8] * 2 + [20] * 10, k=[10] * 2 + [5] * 10)
    peers = benchmarking.peers_of(others, 1, "mat")
    assert len(peers) == 10  # two partnerships with k = 10 showed no figure at n = 8
    hidden = _others(means).assign(mean=[np.nan] * 3 + list(means[3:]))
    assert len(benchmarking.peers_of(hidden, 1, "mat")) == 9


@pytest.mark.parametrize(
    ("interval", "expected"),
    [
        ((2.0, 2.9), "lowest_quarter"),
        ((4.1, 4.6), "top_quarter"),
        ((3.05, 3.4), "below_median"),
        ((3.6, 3.9), "above_median"),
        ((2.9, 4.1), "no_clear_difference"),
        ((np.nan, np.nan), "no_clear_difference"),
    ],
)
def test_a_position_needs_the_interval_wholly_beyond_the_quartile(interval, expected):
    assert benchmarking.position(*interval, q1=3.0, median=3.5, q3=4.0) == expected


def test_the_same_true_mean_is_rarely_labelled_lowest_or_top_quarter():
    rng = np.random.default_rng(12)
    labelled = 0
    for _ in range(10):
        n = rng.integers(15, 80, size=20)
        means = 4.0 + rng.normal(0, 1.0, size=20) / np.sqrt(n)
        half = 1.96 / np.sqrt(n)
        others = _others(means, n=n, start=1)
        for i in range(20):
            own = pd.DataFrame(
                [
                    {
                        "theme_key": "trust",
                        "mean": means[i],
                        "ci_low": means[i] - half[i],
                        "ci_high": means[i] + half[i],
                    }
                ]
            )
            row = benchmarking.benchmark_position(own, others, i + 1, "mat").iloc[0]
            labelled += row["position"] in benchmarking.LABELLED
    assert labelled / 200 <= 0.10
