"""Generated answer sets for tests, demos and benchmarks (no database needed).

``synthetic_answers(respondents=5000, questions=60)`` gives a validated-shape answers frame of
respondents x questions rows plus its themes frame; ``time_engine`` times the pure pipeline a
dashboard needs, so bench scripts of later phases can compare the database path against it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .frames import NO_ORGANISATION

ROLE_MIX = {
    "partnership_lead": 0.01,
    "headteacher": 0.03,
    "senior_leader": 0.06,
    "middle_leader": 0.10,
    "teacher": 0.30,
    "support_staff": 0.15,
    "governor": 0.08,
    "parent": 0.27,
}


@dataclass(frozen=True)
class Synthetic:
    answers: pd.DataFrame
    themes: pd.DataFrame


def synthetic_answers(
    respondents: int = 500,
    questions: int = 60,
    themes: int = 12,
    organisations: int = 40,
    cycles: int = 1,
    scale: tuple[int, int] = (1, 5),
    dont_know_rate: float = 0.05,
    skip_rate: float = 0.02,
    leader_lift: float = 0.0,
    dimensions: Sequence[str] = ("alpha", "beta", "gamma"),
    seed: int = 0,
) -> Synthetic:
    """Agreement answers: ``respondents`` per cycle, each answering every question.

    Scores are drawn around a per-theme level; ``leader_lift`` adds that many scale points
    (before rounding and clipping) for leaders, to build optimism on purpose.
    """
    rng = np.random.default_rng(seed)
    low, high = scale
    per_theme = max(1, questions // themes)
    theme_keys = np.array([f"theme-{t:02d}" for t in range(themes)])
    theme_of_question = np.minimum(np.arange(questions) // per_theme, themes - 1)
    question_keys = np.array([f"q-{q:03d}" for q in range(questions)])
    dimension_of_theme = np.array([dimensions[t % len(dimensions)] for t in range(themes)])
    roles = np.array(list(ROLE_MIX))
    mix = np.array(list(ROLE_MIX.values()))
    base_level = rng.uniform(low + 0.5, high - 0.5, size=themes)
    frames = []
    for cycle in range(cycles):
        role = rng.choice(roles, size=respondents, p=mix / mix.sum())
        organisation = rng.integers(1, organisations + 1, size=respondents)
        organisation[role == "partnership_lead"] = NO_ORGANISATION
        response = cycle * respondents + np.arange(1, respondents + 1)
        theme_level = base_level + 0.1 * cycle
        person = rng.normal(0, 0.5, size=respondents)
        lift = np.where(
            np.isin(role, ["partnership_lead", "headteacher", "senior_leader"]), leader_lift, 0.0
        )
        raw = (
            theme_level[theme_of_question][None, :]
            + person[:, None]
            + lift[:, None]
            + rng.normal(0, 0.8, size=(respondents, questions))
        )
        value = np.clip(np.rint(raw), low, high)
        draw = rng.random(size=(respondents, questions))
        dont_know = draw < dont_know_rate
        skipped = (draw >= dont_know_rate) & (draw < dont_know_rate + skip_rate)
        value[dont_know | skipped] = np.nan
        frames.append(
            pd.DataFrame(
                {
                    "cycle_id": cycle + 1,
                    "response_id": np.repeat(response, questions),
                    "role": np.repeat(role, questions),
                    "organisation_id": np.repeat(organisation, questions),
                    "theme_key": np.tile(theme_keys[theme_of_question], respondents),
                    "dimension": np.tile(dimension_of_theme[theme_of_question], respondents),
                    "question_key": np.tile(question_keys, respondents),
                    "kind": "agreement",
                    "value": value.ravel(),
                    "dont_know": dont_know.ravel(),
                    "about_organisation_id": pd.array(
                        [pd.NA] * (respondents * questions), dtype="Int64"
                    ),
                    "source": "self",
                }
            )
        )
    answers = pd.concat(frames, ignore_index=True)
    theme_frame = pd.DataFrame(
        {
            "theme_key": theme_keys,
            "dimension": dimension_of_theme,
            "weight": rng.choice([1.0, 1.0, 2.0], size=themes),
            "target_level": np.full(themes, float(high - 1)),
            "scale_min": float(low),
            "scale_max": float(high),
        }
    )
    return Synthetic(answers, theme_frame)


def time_engine(
    synthetic: Synthetic, repeat: int = 3, steps: Sequence[str] | None = None
) -> dict[str, float]:
    """Best-of-``repeat`` seconds for each pure step a dashboard needs, and their total."""
    from . import frames, gaps, scores

    answers = frames.validate_answers(synthetic.answers)
    themes = frames.validate_themes(synthetic.themes)
    tables: dict[str, pd.DataFrame] = {}
    plan: dict[str, Callable[[], object]] = {
        "validate": lambda: frames.validate_answers(synthetic.answers),
        # Everything a dashboard shows, sharing one factorisation of the answers.
        "all_levels": lambda: tables.update(scores.breakdowns(answers, themes)),
        "gaps": lambda: (
            gaps.perception_gaps(tables["theme"], "role"),
            gaps.perception_gaps(tables["theme"], "organisation"),
            gaps.optimism(tables["theme"]),
        ),
    }
    chosen = list(steps or plan)
    timings: dict[str, float] = {}
    for name in chosen:
        best = np.inf
        for _ in range(repeat):
            started = time.perf_counter()
            plan[name]()
            best = min(best, time.perf_counter() - started)
        timings[name] = best
    timings["total"] = sum(timings.values())
    return timings
