"""Benchmark positions under the null: ``bench_label_false()`` for bench/rigour.py.

20 partnerships with the same true theme mean (skewed answers, 15-80 respondents each) are
scored by the project's engine (``scores.breakdown``: means and their 95% intervals) and
each is placed among the other 19 by ``benchmarking.benchmark_position``. The figure is the
share labelled "lowest quarter" or "top quarter"; goal (issue 9): at most 10%.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from partnerlens.insights.analytics import benchmarking, scores  # noqa: E402

SEED = 20261209
PARTNERSHIPS = 20
REPLICATES = 25
LEVELS = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
SKEWED = np.array([0.03, 0.07, 0.15, 0.35, 0.40])
THEMES = pd.DataFrame(
    {
        "theme_key": ["trust"],
        "dimension": ["d"],
        "weight": [1.0],
        "target_level": [4.0],
        "scale_min": [1.0],
        "scale_max": [5.0],
    }
)


def _partnership_row(rng: np.random.Generator, respondents: int) -> dict:
    values = rng.choice(LEVELS, size=respondents, p=SKEWED)
    answers = pd.DataFrame(
        {
            "cycle_id": 1,
            "response_id": np.arange(1, respondents + 1),
            "role": "teacher",
            "organisation_id": 1,
            "theme_key": "trust",
            "dimension": "d",
            "question_key": "trust",
            "kind": "agreement",
            "value": values,
            "dont_know": False,
            "about_organisation_id": pd.array([pd.NA] * respondents, dtype="Int64"),
            "source": "self",
        }
    )
    table = scores.breakdown(answers, THEMES, "theme", groupings=("partnership",))
    row = table[table["group"] == "partnership"].iloc[0]
    return {
        "mean": row["mean"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "n": respondents,
    }


def bench_label_false(replicates: int = REPLICATES, seed: int = SEED) -> float:
    """Share of null partnerships given a "lowest quarter" or "top quarter" position."""
    rng = np.random.default_rng(seed)
    labelled = placed = 0
    for _ in range(replicates):
        rows = [_partnership_row(rng, int(rng.integers(15, 81))) for _ in range(PARTNERSHIPS)]
        others = pd.DataFrame(
            {
                "partnership_id": np.arange(1, PARTNERSHIPS + 1),
                "partnership_kind": "mat",
                "shares": True,
                "theme_key": "trust",
                "mean": [r["mean"] for r in rows],
                "n": [r["n"] for r in rows],
            }
        )
        for index, row in enumerate(rows):
            own = pd.DataFrame([{"theme_key": "trust", **row}])
            result = benchmarking.benchmark_position(own, others, index + 1, "mat").iloc[0]
            if result["status"] != "compared":
                continue
            placed += 1
            labelled += result["position"] in benchmarking.LABELLED
    return labelled / placed if placed else 0.0


if __name__ == "__main__":
    print(f"bench rigour_benchmarks bench_label_false={bench_label_false():.3f}")
