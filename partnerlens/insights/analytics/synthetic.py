"""Generated answer sets for tests, demos and benchmarks (no database needed).

``synthetic_answers(respondents=5000, questions=60)`` gives a validated-shape answers frame of
respondents x questions rows plus its themes frame; ``time_engine`` times the pure pipeline a
dashboard needs, so bench scripts of later phases can compare the database path against it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

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
    drift: float = 0.1,
    role_mix: Mapping[str, float] | Sequence[Mapping[str, float]] | None = None,
    role_level: Mapping[str, float] | None = None,
) -> Synthetic:
    """Agreement answers: ``respondents`` per cycle, each answering every question.

    Scores are drawn around a per-theme level; ``leader_lift`` adds that many scale points
    (before rounding and clipping) for leaders, to build optimism on purpose; ``drift``
    moves every theme by that much per cycle (0: nothing changes). ``role_mix``: the share
    of each role (one mapping, or one per cycle); ``role_level``: points added for a role
    in every cycle (a real difference between roles that does not change over time).
    """
    rng = np.random.default_rng(seed)
    low, high = scale
    per_theme = max(1, questions // themes)
    theme_keys = np.array([f"theme-{t:02d}" for t in range(themes)])
    theme_of_question = np.minimum(np.arange(questions) // per_theme, themes - 1)
    question_keys = np.array([f"q-{q:03d}" for q in range(questions)])
    dimension_of_theme = np.array([dimensions[t % len(dimensions)] for t in range(themes)])
    mixes = (
        [role_mix or ROLE_MIX]
        if role_mix is None or isinstance(role_mix, Mapping)
        else list(role_mix)
    )
    role_level = role_level or {}
    base_level = rng.uniform(low + 0.5, high - 0.5, size=themes)
    frames = []
    for cycle in range(cycles):
        mix = mixes[min(cycle, len(mixes) - 1)]
        roles = np.array(list(mix))
        shares = np.array(list(mix.values()), dtype=float)
        role = rng.choice(roles, size=respondents, p=shares / shares.sum())
        organisation = rng.integers(1, organisations + 1, size=respondents)
        organisation[role == "partnership_lead"] = NO_ORGANISATION
        response = cycle * respondents + np.arange(1, respondents + 1)
        theme_level = base_level + drift * cycle
        person = rng.normal(0, 0.5, size=respondents)
        lift = np.where(
            np.isin(role, ["partnership_lead", "headteacher", "senior_leader"]), leader_lift, 0.0
        ) + np.array([role_level.get(r, 0.0) for r in role])
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


SYMMETRIC_SD = 1.1  # latent spread: answers 1-5 in shares of about 9, 24, 35, 24 and 9%


def _answer_mean(centre: float, sd: float = SYMMETRIC_SD) -> float:
    """Expected answer on the 1-5 scale when the latent answer is normal(centre, sd), rounded
    to the nearest level and clipped to the scale."""
    cuts = stats.norm.cdf((np.arange(1.5, 5.0, 1.0) - centre) / sd)
    shares = np.diff(np.concatenate([[0.0], cuts, [1.0]]))
    return float(shares @ np.arange(1, 6))


def latent_shift(gap: float, sd: float = SYMMETRIC_SD) -> float:
    """The latent shift that moves the expected answer from 3 by exactly ``gap`` points."""
    return float(optimize.brentq(lambda s: _answer_mean(3.0 + s, sd) - 3.0 - gap, -3, 3))


def two_groups(
    per_group: int = 30,
    gap: float = 0.5,
    themes: int = 12,
    questions_per_theme: int = 5,
    person_sd: float = 0.0,
    seed: int = 0,
) -> Synthetic:
    """Two schools of ``per_group`` teachers each, answering agreement questions with
    symmetric answers around the middle of the 1-5 scale (each answer drawn on its own,
    plus a person's own lean of sd ``person_sd``). On the first theme the second school's
    expected answer is ``gap`` points higher; on every other theme the schools are alike."""
    rng = np.random.default_rng(seed)
    questions = themes * questions_per_theme
    people = 2 * per_group
    theme_of_question = np.arange(questions) // questions_per_theme
    school = np.repeat([1, 2], per_group)
    shift = np.zeros((people, questions))
    shift[np.ix_(school == 2, theme_of_question == 0)] = latent_shift(gap)
    raw = (
        3.0
        + rng.normal(0, person_sd, size=(people, 1))
        + shift
        + rng.normal(0, SYMMETRIC_SD, size=(people, questions))
    )
    value = np.clip(np.rint(raw), 1, 5)
    theme_keys = np.array([f"theme-{t:02d}" for t in range(themes)])
    answers = pd.DataFrame(
        {
            "cycle_id": 1,
            "response_id": np.repeat(np.arange(1, people + 1), questions),
            "role": "teacher",
            "organisation_id": np.repeat(school, questions),
            "theme_key": np.tile(theme_keys[theme_of_question], people),
            "dimension": "",
            "question_key": np.tile([f"q-{q:03d}" for q in range(questions)], people),
            "kind": "agreement",
            "value": value.ravel(),
            "dont_know": False,
            "about_organisation_id": pd.array([pd.NA] * (people * questions), dtype="Int64"),
            "source": "self",
        }
    )
    theme_frame = pd.DataFrame(
        {
            "theme_key": theme_keys,
            "dimension": "",
            "weight": 1.0,
            "target_level": np.nan,
            "scale_min": 1.0,
            "scale_max": 5.0,
        }
    )
    return Synthetic(answers, theme_frame)


def theme_scores(answers: pd.DataFrame) -> pd.DataFrame:
    """``answers`` as the dashboard reads them: one row per respondent and theme holding the
    mean of their scored answers in it (``loaders.theme_scores_frame``'s shape; the
    insights aggregates store exactly this), with ``question_key`` = ``theme_key``."""
    keys = ["cycle_id", "response_id", "role", "organisation_id", "source", "theme_key"]
    extra = [c for c in ("person",) if c in answers.columns]
    grouped = answers.groupby([*keys, *extra], sort=False, dropna=False)
    scored = grouped["value"].mean().rename("value").reset_index()
    scored["dont_know"] = grouped["dont_know"].all().to_numpy() & scored["value"].isna()
    dimension = answers.drop_duplicates("theme_key").set_index("theme_key")["dimension"]
    return scored.assign(
        dimension=scored["theme_key"].map(dimension).fillna(""),
        question_key=scored["theme_key"],
        kind="agreement",
        about_organisation_id=pd.array([pd.NA] * len(scored), dtype="Int64"),
    )
