"""Coverage of the dashboard's 95% intervals, measured with the engine on simulated answers.

    .venv/bin/python bench/rigour_intervals.py

Many small partnerships (one simulated cycle each) answer from a known population; the
share of their intervals that hold the population's true score is the coverage. The scores
and intervals come from ``analytics.scores.breakdown``, the function the dashboard and the
releases use, so what is measured is what governors see.

- Theme scores: a theme of two 1-5 agreement questions and two 1-4 rubric questions (so the
  common scale is exercised too), answers of one person correlated (a Gaussian copula,
  correlation 0.5), groups of 5, 10, 20 and 40. Goal: 93-97% at n >= 5 (docs/methods.md).
- Single items: one 1-5 agreement question, groups of 10, 20 and 50. Goal: at least 90%.

Each for four answer shapes: symmetric, skewed (50% top answer), very skewed (80% top
answer) and bimodal. ``coverage_theme_min`` and ``coverage_item_min`` return the lowest
coverage over shapes and sizes (fixed seed; a few seconds each); ``bench/rigour.py`` checks
them against the goals.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from partnerlens.insights.analytics import scores  # noqa: E402
from partnerlens.insights.analytics.suppression import SuppressionPolicy  # noqa: E402

SEED = 20261205
# Share of answers at each level, lowest first: (1-5 agreement, 1-4 rubric).
SHAPES = {
    "symmetric": ([0.10, 0.20, 0.40, 0.20, 0.10], [0.15, 0.35, 0.35, 0.15]),
    "skewed": ([0.05, 0.10, 0.15, 0.20, 0.50], [0.10, 0.15, 0.25, 0.50]),
    "very_skewed": ([0.02, 0.03, 0.05, 0.10, 0.80], [0.03, 0.05, 0.12, 0.80]),
    "bimodal": ([0.40, 0.05, 0.10, 0.05, 0.40], [0.45, 0.05, 0.05, 0.45]),
}
THEME_ITEMS = (("agree-1", 0), ("agree-2", 0), ("rubric-1", 1), ("rubric-2", 1))
SCALES = ((1.0, 5.0), (1.0, 4.0))  # agreement, rubric
CORRELATION = 0.5
THEME_SIZES = (5, 10, 20, 40)
ITEM_SIZES = (10, 20, 50)
REPLICATES = 2000
THEME_GOAL = (0.93, 0.97)
ITEM_GOAL = 0.90


CUTS = {
    name: tuple(stats.norm.ppf(np.cumsum(shares)[:-1]) for shares in pair)
    for name, pair in SHAPES.items()
}


def _draw(rng, shape_name: str, people: int, items) -> np.ndarray:
    """(people, items) answer levels (1, 2, ...) with the shape's shares, correlated within
    a person (a Gaussian copula)."""
    person = rng.standard_normal((people, 1))
    noise = rng.standard_normal((people, len(items)))
    latent = np.sqrt(CORRELATION) * person + np.sqrt(1 - CORRELATION) * noise
    cuts = CUTS[shape_name]
    return np.column_stack(
        [
            np.searchsorted(cuts[scale], latent[:, i]).astype(float) + 1
            for i, (_key, scale) in enumerate(items)
        ]
    )


def _theme_score(answers: np.ndarray, items) -> np.ndarray:
    """The common-scale theme score (docs/methods.md) of each row of answers, on 1-5."""
    position = np.column_stack(
        [
            (answers[:, i] - SCALES[scale][0]) / (SCALES[scale][1] - SCALES[scale][0])
            for i, (_key, scale) in enumerate(items)
        ]
    )
    return 1.0 + 4.0 * position.mean(axis=1)


def _frame(rng, shape_name: str, sizes, items) -> tuple[pd.DataFrame, dict[int, int]]:
    """An answers frame of REPLICATES cycles (groups) per size; cycle id -> group size."""
    cycles, people = [], []
    size_of: dict[int, int] = {}
    for size in sizes:
        first_cycle = len(size_of) + 1
        size_of.update({first_cycle + r: size for r in range(REPLICATES)})
        drawn = _draw(rng, shape_name, REPLICATES * size, items)  # rows: people in order
        cycles.append(np.repeat(np.arange(first_cycle, first_cycle + REPLICATES), size))
        people.append(drawn)
    cycle = np.concatenate(cycles)
    answers = np.concatenate(people)
    count = len(cycle)
    scale = np.array([s for _key, s in items])
    frame = pd.DataFrame(
        {
            "cycle_id": np.repeat(cycle, len(items)),
            "response_id": np.repeat(np.arange(1, count + 1), len(items)),
            "role": "teacher",
            "organisation_id": 1,
            "theme_key": "theme",
            "dimension": "",
            "question_key": np.tile(np.array([k for k, _s in items], dtype=object), count),
            "kind": np.tile(np.array(["agreement", "rubric"], dtype=object)[scale], count),
            "value": answers.ravel(),
            "dont_know": False,
            "about_organisation_id": pd.array([pd.NA] * (count * len(items)), "Int64"),
            "source": "self",
            "item_min": np.tile(np.array([SCALES[s][0] for s in scale]), count),
            "item_max": np.tile(np.array([SCALES[s][1] for s in scale]), count),
            "item_weight": 1.0,
        }
    )
    return frame, size_of


THEMES = pd.DataFrame(
    {
        "theme_key": ["theme"],
        "dimension": [""],
        "weight": [1.0],
        "target_level": [np.nan],
        "scale_min": [1.0],
        "scale_max": [5.0],
    }
)


def _coverage(level: str, items, sizes, truth_of) -> dict[tuple[str, int], float]:
    rng = np.random.default_rng(SEED)
    found = {}
    for shape_name in SHAPES:
        truth = truth_of(_draw(rng, shape_name, 400_000, items))
        answers, size_of = _frame(rng, shape_name, sizes, items)
        table = scores.breakdown(
            answers, THEMES, level, policy=SuppressionPolicy(k=3), groupings=("partnership",)
        )
        size = table["cycle_id"].map(size_of)
        held = (table["ci_low"] <= truth) & (truth <= table["ci_high"])
        for n in sizes:
            found[shape_name, n] = float(held[size == n].mean())
    return found


def theme_coverage() -> dict[tuple[str, int], float]:
    return _coverage(
        "theme", THEME_ITEMS, THEME_SIZES, lambda a: float(_theme_score(a, THEME_ITEMS).mean())
    )


def item_coverage() -> dict[tuple[str, int], float]:
    items = (("agree-1", 0),)
    return _coverage("question", items, ITEM_SIZES, lambda a: float(a[:, 0].mean()))


def coverage_theme_min() -> float:
    """Lowest coverage of theme-score intervals over shapes and group sizes (n >= 5)."""
    return min(theme_coverage().values())


def coverage_theme_max() -> float:
    """Highest coverage of theme-score intervals over shapes and group sizes (n >= 5): the
    goal is a band (0.93-0.97), so an interval far too wide fails it too."""
    return max(theme_coverage().values())


def coverage_item_min() -> float:
    """Lowest coverage of single-item intervals over shapes and group sizes (n >= 10)."""
    return min(item_coverage().values())


def main() -> int:
    themes, items = theme_coverage(), item_coverage()
    for label, found in (("theme", themes), ("item", items)):
        for (shape_name, n), value in found.items():
            print(f"  {label:5} {shape_name:11} n={n:<3} coverage={value:.3f}")
    theme_min, item_min = min(themes.values()), min(items.values())
    print(
        "bench rigour_intervals "
        f"coverage_theme_min={theme_min:.3f} coverage_item_min={item_min:.3f}"
    )
    ok = THEME_GOAL[0] <= theme_min and item_min >= ITEM_GOAL
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
