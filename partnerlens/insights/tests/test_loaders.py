"""Loaders give the engine valid frames, and the stored release (built from the aggregates,
as readers see it) shows exactly what the engine computes from every raw answer."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from partnerlens.directory.models import Role
from partnerlens.enquiries.services.cycles import close_cycle
from partnerlens.insights.analytics import frames, gaps, scores
from partnerlens.insights.analytics.suppression import (
    GROUPINGS,
    LEADER_ROLES,
    LEADERS,
    SuppressionPolicy,
    _plain,
    protect_breakdown,
)
from partnerlens.insights.loaders.answers import answers_frame, comments_frame
from partnerlens.insights.loaders.question_stats import question_stats_frame
from partnerlens.insights.loaders.questions import questions_frame, themes_frame
from partnerlens.insights.loaders.rollups import rollup_frame
from partnerlens.insights.models import Release
from partnerlens.insights.question_stats import UNIT, question_summary
from partnerlens.insights.tests.test_aggregates import (
    DONT_KNOW,
    EVIDENCE_ONLY,
    SKIP,
    make_framework,
    make_open_cycle,
    make_partnership,
    respond,
)

MIX = [Role.TEACHER] * 5 + [Role.HEADTEACHER] * 2 + [Role.PARENT] * 3 + [Role.PEER_REVIEWER]


def plans(rng: random.Random):
    """Mostly answers, some "don't know", skipped and evidence-only rows."""
    while True:
        draw = rng.random()
        if draw < 0.06:
            yield DONT_KNOW
        elif draw < 0.1:
            yield SKIP
        elif draw < 0.12:
            yield EVIDENCE_ONLY
        else:
            yield rng.choice([1, 2, 2, 3, 3, 3, 4])


def answer_cycles(sizes: tuple[int, ...], seed: int = 20261123):
    """Cycles of one partnership answered through the services, seeded; every tenth
    respondent leaves a draft."""
    rng = random.Random(seed)
    partnership, schools = make_partnership("Eastern", schools=4)
    version = make_framework("east")
    cycles = []
    for size in sizes:
        cycle, link = make_open_cycle(partnership, version, "confidential")
        choices = plans(rng)
        for number in range(size):
            school = rng.choice([*schools, None])
            draft = number % 10 == 9  # left unsubmitted: never counted
            respond(cycle, link, rng.choice(MIX), school, choices, submit=not draft)
        cycles.append(cycle)
    return cycles


@pytest.fixture
def answered(db):
    return answer_cycles((45, 10))


@pytest.fixture
def few(db):
    return answer_cycles((12,))


KEYS = {
    "question": ["cycle_id", "theme_key", "question_key"],
    "theme": ["cycle_id", "theme_key"],
    "dimension": ["cycle_id", "dimension"],
    "framework": ["cycle_id"],
}
CELLS = ["group", "role", "role_group", "organisation_id", "source"]
LEVELS = ("theme", "dimension", "framework")


STORED = ("n", "n_responses", "n_dont_know", "mean", "sd")  # the figures a release stores


def assert_same_table(
    fast: pd.DataFrame, engine: pd.DataFrame, keys: list[str], columns=(*STORED, "median")
) -> None:
    assert len(fast) == len(engine)
    fast, engine = (_plain_keys(table, keys) for table in (fast, engine))
    # same rows in the same order: pages and exports list them as they come
    pd.testing.assert_frame_equal(
        fast[[*keys, *CELLS]].astype(object), engine[[*keys, *CELLS]].astype(object)
    )
    merged = fast.merge(
        engine, on=[*keys, *CELLS], how="outer", suffixes=("", "_engine"), indicator=True
    )
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"][keys + CELLS]
    assert (merged["suppressed"] == merged["suppressed_engine"]).all()
    for column in columns:
        a = merged[column].to_numpy(dtype=float, na_value=np.nan)
        b = merged[f"{column}_engine"].to_numpy(dtype=float, na_value=np.nan)
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=column)


def _plain_keys(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Key columns with every missing value as None and whole numbers as int (a stored
    release reads back from JSON; the engine's frames hold NaN and floats)."""
    plain = {
        column: pd.Series([_plain(v) for v in table[column]], dtype=object, index=table.index)
        for column in [*keys, *CELLS]
    }
    return table.assign(**plain)


def question_level(cycle, policy: SuppressionPolicy):
    """The question-level table and level distribution from ``QuestionStat`` (no output
    publishes them; the aggregates must still equal the raw answers)."""
    stats = question_stats_frame(cycle, questions_frame(cycle.framework_version_id))
    summary = question_summary(stats, GROUPINGS, LEADER_ROLES)
    leaders = {role: LEADERS for role in LEADER_ROLES}
    protected = protect_breakdown(summary.table, policy, list(UNIT), role_groups=leaders)
    return protected, summary.distribution(protected)


def test_the_stored_release_equals_the_engine_over_every_raw_answer(answered):
    policy = SuppressionPolicy()
    for cycle in answered:
        close_cycle(cycle, actor=None)  # makes the release, as for every lead
        release = Release.objects.get(cycle=cycle)
        stored = {level: pd.DataFrame.from_records(release.tables[level]) for level in LEVELS}
        raw = frames.validate_answers(answers_frame(cycle))
        themes = frames.validate_themes(themes_frame(cycle.framework_version))
        engine = scores.breakdowns(raw, themes, policy=policy)
        for level in LEVELS:
            assert_same_table(stored[level], engine[level], KEYS[level], STORED)
        if cycle == answered[0]:  # the small second cycle hides nearly everything
            assert (~stored["theme"]["suppressed"].astype(bool)).sum() >= 10
        pd.testing.assert_frame_equal(
            gaps.perception_gaps(stored["theme"]),
            gaps.perception_gaps(engine["theme"]),
            check_dtype=False,
        )
        question, levels = question_level(cycle, policy)
        assert_same_table(question, engine["question"], KEYS["question"])
        assert question["suppressed"].any()  # small groups exist and hide
        expected_levels = scores.level_distribution(raw, engine["question"])
        order = [*KEYS["question"], *CELLS, "level"]
        pd.testing.assert_frame_equal(
            levels.sort_values(order).reset_index(drop=True),
            expected_levels[levels.columns].sort_values(order).reset_index(drop=True),
            check_dtype=False,
        )


def test_the_answers_frame_is_valid_and_holds_only_submitted_scored_answers(few):
    cycle = few[0]
    raw = frames.validate_answers(answers_frame(cycle))
    assert set(raw["kind"]) == {"rubric", "agreement", "relationship"}
    submitted = cycle.responses.submitted().count()
    assert raw["response_id"].nunique() <= submitted < cycle.responses.count()
    assert set(raw.loc[raw["role"] == "peer_reviewer", "source"]) == {"peer"}
    assert (raw.loc[raw["kind"] == "relationship", "about_organisation_id"].notna()).all()
    assert (raw["organisation_id"] == frames.NO_ORGANISATION).any()


def test_the_themes_frame_takes_each_scale_from_its_questions_options(few):
    themes = frames.validate_themes(themes_frame(few[0].framework_version))
    scale = themes.set_index("theme_key")[["scale_min", "scale_max", "target_level"]]
    # purpose: rubric 1-4 and agreement 1-5; relations: continuum 0-4 and agreement 1-5.
    assert scale.loc["purpose"].tolist() == [1.0, 5.0, 3.0]
    assert scale.loc["relations", "scale_min"] == 0.0
    assert "stories" not in scale.index  # free text only: nothing to score


def test_comments_carry_their_group_but_no_stored_key(few):
    comments = frames.validate_comments(comments_frame(few[0]))
    assert set(comments["question_key"]) == {"say-more", "story"}
    assert comments["response_id"].min() == 1


def on_theme_scale(raw: pd.DataFrame, version) -> pd.DataFrame:
    """Each answer placed on its theme's scale (docs/methods.md, "One common scale"), with
    its question's weight as ``w`` (0 where there is no value)."""
    themes = themes_frame(version).set_index("theme_key")
    low = raw["theme_key"].map(themes["scale_min"])
    high = raw["theme_key"].map(themes["scale_max"])
    position = (raw["value"] - raw["item_min"]) / (raw["item_max"] - raw["item_min"])
    placed = low + position * (high - low)
    return raw.assign(value=placed, w=raw["item_weight"].where(placed.notna(), 0.0))


def person_theme_scores(raw: pd.DataFrame) -> pd.DataFrame:
    """A person's theme score: the weighted mean of their items (placed on the theme's
    scale; a relationship item is the mean over partners)."""
    items = raw.groupby(["response_id", "theme_key", "question_key", "role"]).agg(
        value=("value", "mean"), w=("w", "max")
    )
    items = items.assign(wv=(items["value"] * items["w"]).fillna(0.0))
    sums = items.groupby(["response_id", "theme_key", "role"])[["wv", "w"]].sum()
    return (sums["wv"] / sums["w"].where(sums["w"] > 0)).rename("value").reset_index()


def test_the_rollup_sums_give_each_partnership_theme_and_role(few):
    rollup = rollup_frame()
    raw = on_theme_scale(answers_frame(few), few[0].framework_version)
    teachers = raw[(raw["role"] == "teacher") & (raw["theme_key"] == "purpose")]
    stored = rollup[(rollup["role"] == "teacher") & (rollup["theme_key"] == "purpose")]
    assert stored["n_answers"].sum() == teachers["value"].notna().sum()
    assert stored["answer_total"].sum() == pytest.approx(teachers["value"].sum())
    people = person_theme_scores(teachers).set_index("response_id")["value"]
    assert stored["n"].sum() == people.notna().sum()
    assert stored["total"].sum() == pytest.approx(people.sum())


ROLLUP_SUMS = {  # level: (count, total, total of squares) columns of ThemeRollup
    "respondents": ("n", "total", "total_squares"),
    "answers": ("n_answers", "answer_total", "answer_total_squares"),
}


@pytest.mark.parametrize("level", ["respondents", "answers"])
def test_the_rollup_sums_give_n_mean_and_sd_per_partnership_theme_and_role(few, level):
    raw = on_theme_scale(answers_frame(few), few[0].framework_version)
    if level == "respondents":  # a person's theme score: weighted mean of their items
        raw = person_theme_scores(raw)
    expected = raw.groupby(["theme_key", "role"])["value"].agg(["count", "mean", "std"])
    count, total, squares = ROLLUP_SUMS[level]
    sums = rollup_frame(None, (count, total, squares))
    sums = sums.groupby(["partnership_id", "theme_key", "role"])[[count, total, squares]].sum()
    rollup = sums.reset_index("partnership_id")
    n = rollup[count].to_numpy(dtype=float)
    mean = rollup[total] / n
    sd = np.sqrt(np.maximum((rollup[squares] - rollup[total] * mean) / (n - 1), 0.0))
    expected = expected.reindex(rollup.index)
    assert (rollup["partnership_id"] == few[0].partnership_id).all()
    np.testing.assert_array_equal(rollup[count], expected["count"])
    np.testing.assert_allclose(mean, expected["mean"], rtol=1e-9)
    np.testing.assert_allclose(sd.where(n > 1), expected["std"], rtol=1e-7, equal_nan=True)
