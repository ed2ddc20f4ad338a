"""Keeping the insights aggregates current, and reading figures back out of them.

Write side: ``add_responses`` adds submitted responses to the three aggregate tables
(``insights.models``). The ``response_submitted`` receiver calls it for one response inside
the submission's transaction; bulk imports call it for batches. Both run the same code:
``changes`` (pure pandas) turns the responses' scored answers into increments, and ``_add_to``
applies them under row locks. ``services.rebuild_aggregates`` recomputes a cycle from scratch.

Correctness under concurrency: every call first locks the cycles it touches
(``select_for_update``, in id order), so two submissions to one cycle add their increments one
after the other on PostgreSQL; SQLite runs write transactions one at a time anyway
(``transaction_mode = IMMEDIATE``). Rebuilding takes the same lock. A submitted response never
changes (``save_theme_answers`` refuses), so increments suffice; adding a response twice fails
on the unique (response, theme) key instead of counting it twice.

Read side (``insights.question_stats``): ``question_summary`` turns ``QuestionStat``
rows into the table (and the level distribution) ``analytics.scores.summarise`` /
``level_distribution`` compute from the raw answers (the tests prove they are equal).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import models, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from partnerlens.core import bulk
from partnerlens.enquiries.models import Cycle, Response
from partnerlens.insights.loaders.answers import scored_answers
from partnerlens.insights.loaders.questions import questions_frame
from partnerlens.insights.loaders.rows import collector_paused, fetch_rows
from partnerlens.insights.models import (
    NONE,
    ROLLUP_KEY,
    ROLLUP_SUMS,
    QuestionStat,
    ResponseThemeScore,
    ThemeRollup,
    respondent_key,
)
from partnerlens.insights.question_stats import STAT_SUMS, AggregateError

STAT_KEY = ("cycle_id", "organisation_id", "role", "question_id", "about_organisation_id")


def level_key(value: float) -> str:
    """How a value is written in ``QuestionStat.levels`` (exact: ``float(key) == value``)."""
    return repr(float(value))


# --- increments (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What a set of responses adds: rows to insert and increments per key."""

    theme_scores: pd.DataFrame  # response, cycle_id, theme_id, score, dont_know
    stats: dict[tuple, dict[str, object]]  # STAT_KEY -> STAT_SUMS + "levels"
    rollups: dict[tuple, dict[str, float]]  # ROLLUP_KEY -> ROLLUP_SUMS


def _keys(table: pd.DataFrame, keys: Sequence[str]) -> list[tuple]:
    """The key of each row as a tuple of Python scalars (drivers do not take numpy's)."""
    return list(zip(*(table[key].tolist() for key in keys), strict=True))


def _sums(frame: pd.DataFrame, keys: Sequence[str], value: str, prefix: str = "") -> pd.DataFrame:
    """Per key: how many values, their total and the total of their squares."""
    has = frame[value].notna()
    present = pd.DataFrame(
        {
            **{key: frame[key] for key in keys},
            f"{prefix}n": has.astype(np.int64),
            f"{prefix}total": frame[value].where(has, 0.0),
            f"{prefix}total_squares": (frame[value] * frame[value]).where(has, 0.0),
        }
    )
    return present.groupby(list(keys), sort=True).sum()


def _levels(frame: pd.DataFrame, keys: Sequence[str], value: str) -> dict[tuple, dict[str, int]]:
    counted = frame[frame[value].notna()].groupby([*keys, value], sort=False).size().reset_index()
    result: dict[tuple, dict[str, int]] = {}
    levels = [level_key(v) for v in counted[value].tolist()]
    for key, level, count in zip(_keys(counted, keys), levels, counted[0].tolist(), strict=True):
        result.setdefault(key, {})[level] = count
    return result


def _as_increments(
    table: pd.DataFrame, keys: Sequence[str], integers: Iterable[str]
) -> dict[tuple, dict]:
    """``{key: {sum: value}}`` from a frame indexed by ``keys``, in Python scalars."""
    table = table.reset_index()
    integers = set(integers)
    names = [c for c in table.columns if c not in keys]
    columns = [
        table[name].astype(np.int64 if name in integers else float).tolist() for name in names
    ]
    return {
        key: dict(zip(names, values, strict=True))
        for key, values in zip(_keys(table, keys), zip(*columns, strict=True), strict=True)
    }


def item_positions(values: pd.Series, scales: pd.DataFrame) -> pd.Series:
    """Each value as its position (0 to 1) on its own question's scale; ``scales`` has
    item_min, item_max, scale_min, scale_max per row (a question without a range of its own
    sits on its theme's scale, as in ``analytics.scores``)."""
    flat = ~(scales["item_min"] < scales["item_max"])
    low = scales["item_min"].where(~flat, scales["scale_min"])
    high = scales["item_max"].where(~flat, scales["scale_max"])
    return (values - low) / (high - low)


def changes(answers: pd.DataFrame, questions: pd.DataFrame) -> Changes:
    """The increments of ``answers`` (``loaders.answers.scored_answers`` of some responses).

    Item = one respondent's answer to one question (for a relationship question, the mean of
    their answers about each partner, "don't know" if any of them was). ``questions``
    (``questions_frame`` of the versions concerned) gives each question's own scale
    and weight and its theme's scale: a theme score is the weighted mean of the positions of
    the respondent's answers on their questions' scales, reported on the theme's scale
    (docs/methods.md, "One common scale"), exactly as ``analytics.scores`` computes it.
    """
    scales = questions.set_index("question_id")[
        ["item_min", "item_max", "item_weight", "scale_min", "scale_max"]
    ]
    items = (
        answers.groupby(["response", "question_id"], sort=False)
        .agg(
            cycle_id=("cycle_id", "first"),
            organisation_id=("organisation_id", "first"),
            role=("role", "first"),
            theme_id=("theme_id", "first"),
            value=("value", "mean"),
            dont_know=("dont_know", "any"),
        )
        .reset_index()
    )
    items["about_organisation_id"] = NONE
    partners = answers[answers["about_organisation_id"] != NONE]
    stats: dict[tuple, dict[str, object]] = {}
    for frame in (items, partners):
        if frame.empty:
            continue
        frame = frame.assign(answered=frame["value"].notna() | frame["dont_know"])
        counts = frame.groupby(list(STAT_KEY), sort=True).agg(
            n_asked=("answered", "size"),
            n_responses=("answered", "sum"),
            n_dont_know=("dont_know", "sum"),
        )
        counts = counts.join(_sums(frame, STAT_KEY, "value"))
        levels = _levels(frame, STAT_KEY, "value")
        integers = ("n_asked", "n_responses", "n_dont_know", "n")
        for key, increment in _as_increments(counts, STAT_KEY, integers).items():
            stats[key] = {**increment, "levels": levels.get(key, {})}
    scale = scales.reindex(items["question_id"].to_numpy())
    position = item_positions(items["value"], scale.set_axis(items.index))
    weight = scale["item_weight"].to_numpy(dtype=float)
    counted = position.notna().to_numpy() & (weight > 0)
    items = items.assign(
        weighted=np.where(counted, position.to_numpy() * weight, 0.0),
        weights=np.where(counted, weight, 0.0),
        theme_min=scale["scale_min"].to_numpy(dtype=float),
        theme_max=scale["scale_max"].to_numpy(dtype=float),
    )
    themes = (
        items.groupby(["response", "theme_id"], sort=False)
        .agg(
            cycle_id=("cycle_id", "first"),
            role=("role", "first"),
            weighted=("weighted", "sum"),
            weights=("weights", "sum"),
            theme_min=("theme_min", "first"),
            theme_max=("theme_max", "first"),
            dont_know=("dont_know", "any"),
        )
        .reset_index()
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(themes["weights"] > 0, themes["weighted"] / themes["weights"], np.nan)
    themes["score"] = themes["theme_min"] + share * (themes["theme_max"] - themes["theme_min"])
    rollups: dict[tuple, dict[str, float]] = {}
    if not themes.empty:
        respondents = _sums(themes, ROLLUP_KEY, "score").join(
            themes.groupby(list(ROLLUP_KEY), sort=True)["dont_know"].sum().rename("n_dont_know")
        )
        # Every answer placed on its theme's scale, like the respondents' theme scores.
        scale = scales.reindex(answers["question_id"].to_numpy()).set_axis(answers.index)
        on_theme = scale["scale_min"] + item_positions(answers["value"], scale) * (
            scale["scale_max"] - scale["scale_min"]
        )
        answered = _sums(
            answers.assign(on_theme=on_theme), ROLLUP_KEY, "on_theme", prefix="answer_"
        ).rename(columns={"answer_n": "n_answers"})
        joined = respondents.join(answered, how="outer").fillna(0)
        rollups = _as_increments(joined, ROLLUP_KEY, ("n", "n_dont_know", "n_answers"))
    theme_scores = themes[["response", "cycle_id", "theme_id", "score", "dont_know"]]
    return Changes(theme_scores, stats, rollups)


# --- applying them -------------------------------------------------------------------


def _merge_levels(stored: Mapping[str, int], added: Mapping[str, int]) -> dict[str, int]:
    merged = dict(stored)
    for level, count in added.items():
        merged[level] = merged.get(level, 0) + count
    return merged


def _add_to(
    model: type[models.Model],
    key_fields: Sequence[str],
    sums: Sequence[str],
    increments: Mapping[tuple, Mapping[str, object]],
) -> int:
    """Add ``increments`` to the rows with those keys, creating the rows that are missing.

    Only called with the cycles' locks held (``lock_cycles``): every writer of a cycle's
    aggregate rows holds that lock, so rows read here cannot change or appear before this
    transaction ends, and read-add-write is safe. Existing rows are updated and new rows
    inserted with one parameterised statement each, run for many rows (``executemany``).
    """
    if not increments:
        return 0
    keys = sorted(increments)
    with_levels = any("levels" in increment for increment in increments.values())
    fields = [*sums, "levels"] if with_levels else list(sums)
    candidates = {
        f"{field}__in": sorted({key[i] for key in keys}) for i, field in enumerate(key_fields)
    }
    stored = model.objects.select_for_update().filter(**candidates).order_by("pk")
    if with_levels:  # read as text and parsed in one go (see loaders.question_stats)
        stored = stored.annotate(levels_text=Cast("levels", output_field=TextField()))
    names = [*key_fields, *sums, *(["levels_text"] if with_levels else []), "pk"]
    rows = fetch_rows(stored.values_list(*names))
    if with_levels and rows:
        with collector_paused():
            levels = json.loads("[" + ",".join(row[-2] for row in rows) + "]")
    width = len(key_fields)
    updates, existing = [], set()
    for index, row in enumerate(rows):
        key = row[:width]
        increment = increments.get(key)
        if increment is None:
            continue
        stored_sums = row[width : width + len(sums)]
        values = [value + increment[f] for f, value in zip(sums, stored_sums, strict=True)]
        if with_levels:
            values.append(_merge_levels(levels[index], increment["levels"]))
        updates.append([*values, row[-1]])
        existing.add(key)
    bulk.update_rows(model, fields, updates, plain=True)
    inserts = [[*key, *(increments[key][f] for f in fields)] for key in keys if key not in existing]
    columns = [*key_fields, *fields]
    bulk.insert_rows(model, columns, inserts, plain=True)
    return len(keys)


def lock_cycles(cycle_ids: Iterable[int]) -> list[int]:
    """Lock the cycles' rows (in id order): aggregate writers of a cycle queue here."""
    return list(
        Cycle.objects.select_for_update()
        .filter(pk__in=set(cycle_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def add_responses(response_ids: Iterable) -> int:
    """Add submitted responses to the aggregates; returns how many had scored answers.

    Call exactly once per response, after it was submitted (drafts are ignored). The
    ``response_submitted`` receiver does this for one response; an import that bulk-creates
    submitted responses calls it for each batch it creates.
    """
    ids = list(response_ids)
    if not ids:
        return 0
    with transaction.atomic():
        cycle_ids = Response.objects.filter(pk__in=ids).values_list("cycle_id", flat=True)
        lock_cycles(cycle_ids.distinct())
        answers = scored_answers(Response.objects.filter(pk__in=ids))
        if answers.empty:
            return 0
        versions = Cycle.objects.filter(pk__in=set(answers["cycle_id"].tolist())).values_list(
            "framework_version_id", flat=True
        )
        found = changes(
            answers, pd.concat([questions_frame(v) for v in set(versions)], ignore_index=True)
        )
        if ResponseThemeScore.objects.filter(response_id__in=ids).exists():
            raise AggregateError(
                "some of these responses were already added to the insights aggregates; "
                "run `manage.py rebuild_insights` for their cycle to recount"
            )
        columns = ["response_id", "respondent", "cycle_id", "theme_id", "score", "dont_know"]
        bulk.insert_rows(
            ResponseThemeScore,
            columns,
            [
                [
                    response,  # as the database gave it: stored back as is
                    respondent_key(response),
                    int(cycle_id),
                    int(theme_id),
                    None if np.isnan(score) else float(score),
                    bool(dont_know),
                ]
                for response, cycle_id, theme_id, score, dont_know in found.theme_scores.itertuples(
                    index=False
                )
            ],
            plain=True,
        )
        _add_to(QuestionStat, STAT_KEY, STAT_SUMS, found.stats)
        _add_to(ThemeRollup, ROLLUP_KEY, ROLLUP_SUMS, found.rollups)
        return int(answers["response"].nunique())
