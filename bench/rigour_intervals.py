"""Coverage of the dashboard's 95% intervals, measured with the engine on simulated answers.

    .venv/bin/python bench/rigour_intervals.py

Many small partnerships (one simulated cycle each) answer from a known population; the
share of their intervals that hold the population's true score is the coverage. The scores
and intervals come from ``analytics.scores.breakdown``, the function the dashboard and the
releases use, so what is measured is what governors see.

- Theme scores: a theme of two 1-5 agreement questions and two 1-4 rubric questions (so the
  common scale is exercised too), answers of one person correlated (a Gaussian copula,
  correlation 0.5), groups of 5, 6, 8, 10, 15, 20, 30, 50 and 100. Goal: 93-97% at n >= 5
  (docs/methods.md).
- Single items: one 1-5 agreement question, groups of 10, 20, 50 and 100. Goal: at least 90%.
- Clustering (``--clustered`` prints it in full): partnerships of 3, 6 or 12 schools with 30
  respondents between them, people of one school leaning alike (ICC 0.05-0.2 on the latent
  answer); coverage of the mean of their own schools, and of schools in general.

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
THEME_SIZES = (5, 6, 8, 10, 15, 20, 30, 50, 100)
ITEM_SIZES = (10, 20, 50, 100)
REPLICATES = 2000
THEME_GOAL = (0.93, 0.97)
ITEM_GOAL = 0.90


CUTS = {
    name: tuple(stats.norm.ppf(np.cumsum(shares)[:-1]) for shares in pair)
    for name, pair in SHAPES.items()
}


def _draw(rng, shape_name: str, people: int, items, school=None, icc: float = 0.0) -> np.ndarray:
    """(people, items) answer levels (1, 2, ...) with the shape's shares, correlated within
    a person (a Gaussian copula); with ``school`` (one standard normal effect per person's
    school) people of one school lean alike, ``icc`` of the latent variance."""
    person = rng.standard_normal((people, 1))
    if school is not None:
        person = (
            np.sqrt(icc / CORRELATION) * school[:, None] + np.sqrt(1 - icc / CORRELATION) * person
        )
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


CLUSTER_SCHOOLS = (3, 6, 12)  # schools per partnership, each with the same number answering
CLUSTER_SIZE = 30  # respondents per partnership
CLUSTER_ICC = (0.05, 0.1, 0.2)
CLUSTER_REPLICATES = 1000


def clustered_coverage() -> dict[tuple[str, int, float], tuple[float, float]]:
    """Coverage of the partnership's theme interval when people in one school answer alike.

    Each simulated partnership has ``schools`` schools with CLUSTER_SIZE respondents between
    them; each school has its own lean (a normal effect on the latent answer, ``icc`` of its
    variance). Two truths: the mean of everyone in *these* schools (what the interval
    estimates: docs/methods.md) and the mean over schools in general (a partnership "like
    this one"). Per (shape, schools, icc): (coverage of the first, coverage of the second).
    """
    rng = np.random.default_rng(SEED + 1)
    grid = np.linspace(-4, 4, 81)
    found = {}
    for shape_name in ("symmetric", "skewed"):
        for icc in CLUSTER_ICC:
            # The mean score of a school with effect u (interpolated over a grid of u).
            by_effect = np.array(
                [
                    _theme_score(
                        _draw(rng, shape_name, 20_000, THEME_ITEMS, np.full(20_000, u), icc),
                        THEME_ITEMS,
                    ).mean()
                    for u in grid
                ]
            )
            overall = float(
                _theme_score(
                    _draw(rng, shape_name, 400_000, THEME_ITEMS, rng.standard_normal(400_000), icc),
                    THEME_ITEMS,
                ).mean()
            )
            for schools in CLUSTER_SCHOOLS:
                effect = rng.standard_normal((CLUSTER_REPLICATES, schools))
                school_of = np.repeat(np.arange(schools), CLUSTER_SIZE // schools)
                people = effect[:, school_of].ravel()
                drawn = _draw(rng, shape_name, people.size, THEME_ITEMS, people, icc)
                answers = _clustered_frame(drawn, schools)
                table = scores.breakdown(
                    answers,
                    THEMES,
                    "theme",
                    policy=SuppressionPolicy(k=3),
                    groupings=("partnership",),
                )
                truth = np.interp(effect, grid, by_effect).mean(axis=1)
                truth = truth[table["cycle_id"].to_numpy(dtype=np.int64) - 1]
                held = (table["ci_low"] <= truth) & (truth <= table["ci_high"])
                held_overall = (table["ci_low"] <= overall) & (overall <= table["ci_high"])
                found[shape_name, schools, icc] = (float(held.mean()), float(held_overall.mean()))
    return found


def _clustered_frame(drawn: np.ndarray, schools: int) -> pd.DataFrame:
    per = CLUSTER_SIZE - CLUSTER_SIZE % schools
    count = drawn.shape[0]
    items = len(THEME_ITEMS)
    scale = np.array([s for _key, s in THEME_ITEMS])
    school = np.tile(np.repeat(np.arange(1, schools + 1), per // schools), count // per)
    return pd.DataFrame(
        {
            "cycle_id": np.repeat(np.arange(1, count // per + 1), per * items),
            "response_id": np.repeat(np.arange(1, count + 1), items),
            "role": "teacher",
            "organisation_id": np.repeat(school, items),
            "theme_key": "theme",
            "dimension": "",
            "question_key": np.tile(np.array([k for k, _s in THEME_ITEMS], dtype=object), count),
            "kind": np.tile(np.array(["agreement", "rubric"], dtype=object)[scale], count),
            "value": drawn.ravel(),
            "dont_know": False,
            "about_organisation_id": pd.array([pd.NA] * (count * items), "Int64"),
            "source": "self",
            "item_min": np.tile(np.array([SCALES[s][0] for s in scale]), count),
            "item_max": np.tile(np.array([SCALES[s][1] for s in scale]), count),
            "item_weight": 1.0,
        }
    )


def coverage_clustered_min() -> float:
    """Lowest coverage, over shapes, school counts and ICCs, of the mean of the people in
    the partnership's own schools (what the interval claims to estimate)."""
    return min(pair[0] for pair in clustered_coverage().values())


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
    if "--clustered" in sys.argv:
        for (shape_name, schools, icc), (own, general) in clustered_coverage().items():
            print(
                f"  clustered {shape_name:9} schools={schools:<2} icc={icc:.2f} "
                f"own schools={own:.3f} schools in general={general:.3f}"
            )
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
