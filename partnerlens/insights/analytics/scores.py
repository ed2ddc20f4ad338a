"""Scores per question, theme, dimension and framework, for every group, with 95% intervals.

The unit of analysis is the respondent: each respondent gets one score per unit (see
docs/methods.md), and group figures are computed over respondents, so a person who answers
ten questions in a theme counts once in that theme, like everyone else.

- question: the respondent's answer (for a relationship question, the mean of their answers
  about each partner), on the question's own scale;
- theme: each answered question placed on its own scale as a position from 0 to 1, the
  weighted mean (question weights) of those positions, reported on the theme's scale, so a
  1-4 rubric and a 1-5 agreement question count alike and "don't know" never shifts the
  scale;
- dimension / framework: the weighted mean (theme weights) of the respondent's theme scores,
  each first placed on its scale as a position from 0 to 1; reported on the common scale when
  all themes share one, otherwise as a percentage of the scale (0-100).

Interval: ``intervals.interval`` (a quasi-likelihood score interval for a bounded mean, with a
weak prior of pseudo-respondents at the scale's ends); undefined (NaN) for n < 2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import intervals, kernels
from .suppression import (
    CELL_COLUMNS,
    GROUPINGS,
    INVITED,
    LEADER_ROLES,
    LEADERS,
    OPEN_LINK,
    OPEN_LINK_GROUP,
    OTHERS,
    SuppressionPolicy,
    protect_breakdown,
)

LEVELS = ("question", "theme", "dimension", "framework")
UNIT_KEYS: Mapping[str, tuple[str, ...]] = {
    "question": ("cycle_id", "theme_key", "question_key"),
    "theme": ("cycle_id", "theme_key"),
    "dimension": ("cycle_id", "dimension"),
    "framework": ("cycle_id",),
}
GROUP_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "partnership": (),
    "role": ("role",),
    "role_group": ("role_group",),
    "organisation": ("organisation_id",),
    "role_organisation": ("role", "organisation_id"),
    "source": ("source",),
}
DEFAULT_GROUPINGS = GROUPINGS
PERCENT_SCALE = (0.0, 100.0)
STAT_COLUMNS = (
    "n",
    "n_responses",
    "n_dont_know",
    "mean",
    "sd",
    "median",
    "ci_low",
    "ci_high",
)


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


@dataclass(frozen=True)
class Encoded:
    """An answers frame reduced to integer codes, computed once and shared by every level."""

    themes: pd.DataFrame  # validated; its row order is the theme code
    people: pd.DataFrame  # one row per respondent, row order is the person code
    cycle: np.ndarray  # cycle code per person
    cycles: np.ndarray  # cycle_id per cycle code
    question_theme: np.ndarray  # theme code per question code
    question_keys: np.ndarray  # question_key per question code
    item: np.ndarray  # person * questions + question, per answer row
    value: np.ndarray
    dont_know: np.ndarray
    # Each question's own scale and weight, per question code (docs/methods.md, "One common
    # scale"): the theme's scale and 1 unless the answers frame says otherwise.
    item_min: np.ndarray
    item_max: np.ndarray
    item_weight: np.ndarray

    @property
    def persons(self) -> int:
        return len(self.people)

    @property
    def questions(self) -> int:
        return len(self.question_keys)


def encode(
    answers: pd.DataFrame, themes: pd.DataFrame, leaders: frozenset[str] = LEADER_ROLES
) -> Encoded:
    """Factorise a validated answers frame once (themes must cover every theme_key)."""
    person = kernels.factorise(answers["response_id"].to_numpy())
    first = np.zeros(person.size, dtype=np.int64)
    first[person.codes[::-1]] = np.arange(len(person.codes))[::-1]
    people = answers.iloc[first][
        ["response_id", "cycle_id", "role", "organisation_id", "source"]
    ].reset_index(drop=True)
    # Open-link respondents (declared role and organisation, unverified): see summarise.
    channel = answers["channel"].to_numpy()[first] if "channel" in answers else None
    people["channel"] = (
        INVITED if channel is None else np.where(channel == OPEN_LINK, OPEN_LINK, INVITED)
    )
    people["role_group"] = np.where(people["role"].isin(list(leaders)), LEADERS, OTHERS)
    cycle = kernels.factorise(people["cycle_id"].to_numpy())
    theme_index = pd.Index(themes["theme_key"])
    theme = kernels.factorise(answers["theme_key"].to_numpy())
    theme_codes = theme_index.get_indexer(theme.labels)
    if (theme_codes < 0).any():
        missing = theme.labels[theme_codes < 0][0]
        raise ValueError(f"answers mention theme {missing!r}, which the themes frame lacks")
    theme_row = kernels.Codes(theme_codes[theme.codes], theme_index.to_numpy())
    question = kernels.combine(theme_row, kernels.factorise(answers["question_key"].to_numpy()))
    question_theme = np.array([theme_index.get_loc(label[0]) for label in question.labels])
    question_keys = np.array([label[1] for label in question.labels], dtype=object)
    item_min, item_max, item_weight = _item_scales(answers, themes, question.codes, question_theme)
    return Encoded(
        themes=themes.reset_index(drop=True),
        people=people,
        cycle=cycle.codes,
        cycles=cycle.labels,
        question_theme=question_theme.astype(np.int64),
        question_keys=question_keys,
        item=person.codes * len(question_keys) + question.codes,
        value=answers["value"].to_numpy(dtype=float),
        dont_know=answers["dont_know"].to_numpy(dtype=bool),
        item_min=item_min,
        item_max=item_max,
        item_weight=item_weight,
    )


def _item_scales(
    answers: pd.DataFrame, themes: pd.DataFrame, codes: np.ndarray, question_theme: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each question's scale and weight from the optional answers columns (first row of each
    question), falling back on its theme's scale and weight 1."""
    count = len(question_theme)
    first = np.zeros(count, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    found = []
    for column, fallback in (
        ("item_min", themes["scale_min"].to_numpy(dtype=float)[question_theme]),
        ("item_max", themes["scale_max"].to_numpy(dtype=float)[question_theme]),
        ("item_weight", np.ones(count)),
    ):
        own = (
            answers[column].to_numpy(dtype=float)[first]
            if column in answers and count
            else np.full(count, np.nan)
        )
        found.append(np.where(np.isnan(own), fallback, own))
    low, high, weight = found
    # A question whose options span no range (one scored option) sits on its theme's scale.
    flat = ~(low < high)
    low = np.where(flat, themes["scale_min"].to_numpy(dtype=float)[question_theme], low)
    high = np.where(flat, themes["scale_max"].to_numpy(dtype=float)[question_theme], high)
    return low, high, weight


@dataclass(frozen=True)
class LevelScores:
    """Respondent x unit matrices for one level: score (NaN if none), flags, unit labels."""

    level: str
    units: pd.DataFrame  # unit key columns except cycle_id, one row per unit code
    score: np.ndarray  # (persons, units)
    dont_know: np.ndarray
    answered: np.ndarray
    asked: np.ndarray
    scale_min: np.ndarray  # per unit
    scale_max: np.ndarray


def _items(encoded: Encoded) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cells = encoded.persons * encoded.questions
    # A relationship question has one answer per partner: the respondent's score is their mean.
    score, _ = kernels.grouped_mean(encoded.item, cells, encoded.value)
    dont_know = kernels.grouped_any(encoded.item, cells, encoded.dont_know)
    asked = np.bincount(encoded.item, minlength=cells) > 0
    shape = (encoded.persons, encoded.questions)
    return score.reshape(shape), dont_know.reshape(shape), asked.reshape(shape)


def _pool(
    score: np.ndarray,
    flags: Sequence[np.ndarray],
    unit_of_column: np.ndarray,
    units: int,
    weight: np.ndarray | None = None,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per respondent, the (weighted) mean of the columns mapped to each unit, ignoring NaN,
    and for each flag whether any of those columns has it."""
    persons = score.shape[0]
    key = (np.arange(persons)[:, None] * units + unit_of_column[None, :]).ravel()
    flat = score.ravel()
    w = np.broadcast_to(np.ones(score.shape[1]) if weight is None else weight, score.shape).ravel()
    has = ~np.isnan(flat) & (w > 0)
    total = np.bincount(key[has], weights=flat[has] * w[has], minlength=persons * units)
    weights = np.bincount(key[has], weights=w[has], minlength=persons * units)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.where(weights > 0, total / weights, np.nan)
    shape = (persons, units)
    pooled_flags = [
        kernels.grouped_any(key, persons * units, flag.ravel()).reshape(shape) for flag in flags
    ]
    return pooled.reshape(shape), pooled_flags


def level_scores(encoded: Encoded, level: str) -> LevelScores:
    """Every respondent's score on every unit of ``level`` (see the module docstring)."""
    _check_level(level)
    themes = encoded.themes
    score, dont_know, asked = _items(encoded)
    if level == "question":
        theme_of = encoded.question_theme
        units = pd.DataFrame(
            {
                "theme_key": themes["theme_key"].to_numpy()[theme_of],
                "question_key": encoded.question_keys,
            }
        )
        answered = ~np.isnan(score) | dont_know
        return LevelScores(
            level, units, score, dont_know, answered, asked, encoded.item_min, encoded.item_max
        )
    answered = ~np.isnan(score) | dont_know
    # One common scale: each answer as its position on its own question's scale, the
    # weighted mean of those positions, reported on the theme's scale.
    position = (score - encoded.item_min) / (encoded.item_max - encoded.item_min)
    position, (dont_know, answered, asked) = _pool(
        position,
        (dont_know, answered, asked),
        encoded.question_theme,
        len(themes),
        encoded.item_weight,
    )
    low = themes["scale_min"].to_numpy(dtype=float)
    high = themes["scale_max"].to_numpy(dtype=float)
    score = low + position * (high - low)
    if level == "theme":
        units = pd.DataFrame({"theme_key": themes["theme_key"].to_numpy()})
        return LevelScores(level, units, score, dont_know, answered, asked, low, high)
    by = ["dimension"] if level == "dimension" else []
    scales = composite_scales(themes, by)
    if by:
        dimension = kernels.factorise(themes["dimension"].to_numpy(), sort=False)
        unit_of_theme, labels = dimension.codes, dimension.labels
        units = pd.DataFrame({"dimension": labels})
        spans = [scales[label] for label in labels]
    else:
        unit_of_theme = np.zeros(len(themes), dtype=np.int64)
        units = pd.DataFrame(index=range(1))
        spans = [scales[""]]
    position = (score - low) / (high - low)
    weight = themes["weight"].to_numpy(dtype=float)
    count = len(units)
    position, (dont_know, answered, asked) = _pool(
        position, (dont_know, answered, asked), unit_of_theme, count, weight
    )
    unit_low = np.array([s[0] for s in spans], dtype=float)
    unit_high = np.array([s[1] for s in spans], dtype=float)
    pooled = unit_low + position * (unit_high - unit_low)
    return LevelScores(level, units, pooled, dont_know, answered, asked, unit_low, unit_high)


def composite_scales(themes: pd.DataFrame, by: Sequence[str]) -> dict[str, tuple[float, float]]:
    """The scale of each dimension (or of the framework, key ""): common, else 0-100."""
    keys = themes[by[0]] if by else pd.Series([""] * len(themes), index=themes.index)
    scales = {}
    for key, rows in themes.groupby(keys, sort=False):
        pairs = set(zip(rows["scale_min"], rows["scale_max"], strict=True))
        scales[key] = pairs.pop() if len(pairs) == 1 else PERCENT_SCALE
    return scales


def respondent_scores(answers: pd.DataFrame, themes: pd.DataFrame, level: str) -> pd.DataFrame:
    """One row per respondent and unit asked: cycle_id, unit keys, response_id, role,
    organisation_id, source, score (NaN if only "don't know" or skipped), dont_know, answered.

    ``answers`` and ``themes`` must have passed ``frames.validate_answers`` / ``validate_themes``.
    """
    encoded = encode(answers, themes)
    scores = level_scores(encoded, level)
    person, unit = np.nonzero(scores.asked)
    out = pd.DataFrame({"cycle_id": encoded.cycles[encoded.cycle[person]]})
    for column in scores.units.columns:
        out[column] = scores.units[column].to_numpy()[unit]
    people = encoded.people.iloc[person].reset_index(drop=True)
    for column in ("response_id", "role", "organisation_id", "source"):
        out[column] = people[column].to_numpy()
    out["score"] = scores.score[person, unit]
    out["dont_know"] = scores.dont_know[person, unit]
    out["answered"] = scores.answered[person, unit]
    return out


def _cells(people: pd.DataFrame, grouping: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Cell code per person for a grouping, and the cell columns per cell code."""
    columns = list(GROUP_COLUMNS[grouping])
    if not columns:
        return np.zeros(len(people), dtype=np.int64), pd.DataFrame(index=range(1))
    parts = [kernels.factorise(people[c].to_numpy()) for c in columns]
    combined = parts[0] if len(parts) == 1 else kernels.combine(*parts)
    if len(parts) == 1:
        labels = pd.DataFrame({columns[0]: combined.labels})
    else:
        labels = pd.DataFrame(list(combined.labels), columns=columns)
    return combined.codes, labels


def summarise(
    encoded: Encoded, scores: LevelScores, groupings: Sequence[str] = DEFAULT_GROUPINGS
) -> pd.DataFrame:
    """Unprotected statistics per unit and cell (never show this: see ``breakdown``)."""
    unknown = [g for g in groupings if g not in GROUP_COLUMNS]
    if unknown:
        raise ValueError(f"unknown grouping(s) {unknown}; choose from {', '.join(GROUP_COLUMNS)}")
    if "partnership" not in groupings:
        groupings = ("partnership", *groupings)
    person, unit = np.nonzero(scores.asked)
    value = scores.score[person, unit]
    dont_know = scores.dont_know[person, unit]
    answered = scores.answered[person, unit]
    units = len(scores.units)
    cycles = len(encoded.cycles)
    levels = kernels.distinct_levels(value)
    frames = []
    # Every grouping but the partnership counts invited respondents only; open-link ones are
    # one group of their own, so they can never complete a small group of invited people.
    open_link = (encoded.people["channel"] == OPEN_LINK).to_numpy()
    if open_link.any():
        groupings = (*groupings, OPEN_LINK_GROUP)
    for grouping in groupings:
        if grouping == OPEN_LINK_GROUP:
            cell_of_person, labels = np.where(open_link, 0, -1), pd.DataFrame(index=range(1))
        else:
            cell_of_person, labels = _cells(encoded.people, grouping)
            if grouping != "partnership":
                cell_of_person = np.where(open_link, -1, cell_of_person)
        cells = len(labels)
        counted = cell_of_person[person] >= 0
        gid = (encoded.cycle[person] * units + unit) * cells + cell_of_person[person]
        gid = np.where(counted, gid, cycles * units * cells)  # one spare bin, dropped below
        result = kernels.group_stats(
            gid, cycles * units * cells + 1, value, dont_know, answered, levels
        )
        result_rows = result.rows[:-1]
        present = np.flatnonzero(result_rows > 0)
        cell = present % cells
        unit_code = (present // cells) % units
        table = pd.DataFrame({"cycle_id": encoded.cycles[present // (cells * units)]})
        for column in scores.units.columns:
            table[column] = scores.units[column].to_numpy()[unit_code]
        table["group"] = grouping
        for column in labels.columns:
            table[column] = labels[column].to_numpy()[cell]
        for name in ("n", "n_responses", "n_dont_know", "mean", "sd", "median"):
            table[name] = getattr(result, name)[present]
        table["scale_min"] = scores.scale_min[unit_code]
        table["scale_max"] = scores.scale_max[unit_code]
        frames.append(table)
    table = pd.concat(frames, ignore_index=True)
    for column in CELL_COLUMNS:
        if column not in table.columns:
            table[column] = None
    table["organisation_id"] = table["organisation_id"].astype("Int64")
    for column in ("role", "role_group", "source"):
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    for column in ("n", "n_responses", "n_dont_know"):
        table[column] = table[column].astype("int64")
    table["ci_low"], table["ci_high"] = intervals.interval(
        table["n"].to_numpy(),
        table["mean"].to_numpy(),
        table["sd"].to_numpy(),
        table["scale_min"].to_numpy(),
        table["scale_max"].to_numpy(),
    )
    unit_columns = ["cycle_id", *scores.units.columns]
    return table[[*unit_columns, *CELL_COLUMNS, *STAT_COLUMNS, "scale_min", "scale_max"]]


def _progress(table: pd.DataFrame, themes: pd.DataFrame) -> pd.DataFrame:
    target = table["theme_key"].map(themes.set_index("theme_key")["target_level"])
    table = table.assign(
        target_level=target.to_numpy(),
        gap=(table["mean"] - target).to_numpy(),
        gap_ci_low=(table["ci_low"] - target).to_numpy(),
        gap_ci_high=(table["ci_high"] - target).to_numpy(),
    )
    progress = np.select(
        [table["gap_ci_low"] > 0, table["gap_ci_high"] < 0, table["gap"].notna()],
        ["above_target", "below_target", "around_target"],
        default=None,
    )
    table["progress"] = pd.Series(progress, index=table.index, dtype=object)
    return table


def breakdown(
    answers: pd.DataFrame,
    themes: pd.DataFrame,
    level: str = "theme",
    policy: SuppressionPolicy | None = None,
    groupings: Sequence[str] = DEFAULT_GROUPINGS,
    leaders: frozenset[str] = LEADER_ROLES,
    encoded: Encoded | None = None,
) -> pd.DataFrame:
    """Protected scores for every unit of ``level`` and every cell of ``groupings``.

    One row per unit x cell: unit keys (see ``UNIT_KEYS``), ``group`` and the cell columns
    (role, role_group, organisation_id, source; missing where the group does not split by
    them), n, n_responses, n_dont_know, mean, sd, median, ci_low, ci_high, scale_min,
    scale_max, suppressed, suppression_reason; at theme level also target_level, gap,
    gap_ci_low, gap_ci_high and progress ("above_target" | "below_target" |
    "around_target"). Suppressed rows have every figure missing. Pass ``encoded`` (from
    ``encode``) to share the factorisation between levels.
    """
    _check_level(level)
    policy = policy or SuppressionPolicy()
    encoded = encoded or encode(answers, themes, leaders)
    table = summarise(encoded, level_scores(encoded, level), groupings)
    if level == "theme":
        table = _progress(table, encoded.themes)
    unit_columns = list(UNIT_KEYS[level])
    role_groups = {role: LEADERS for role in leaders}
    protected = protect_breakdown(table, policy, unit_columns, role_groups=role_groups)
    return _ordered(protected, unit_columns)


def breakdowns(
    answers: pd.DataFrame,
    themes: pd.DataFrame,
    levels: Sequence[str] = LEVELS,
    policy: SuppressionPolicy | None = None,
    groupings: Sequence[str] = DEFAULT_GROUPINGS,
    leaders: frozenset[str] = LEADER_ROLES,
) -> dict[str, pd.DataFrame]:
    """``breakdown`` for several levels, factorising the answers once."""
    encoded = encode(answers, themes, leaders)
    return {
        level: breakdown(answers, themes, level, policy, groupings, leaders, encoded)
        for level in levels
    }


def _ordered(table: pd.DataFrame, unit_columns: Sequence[str]) -> pd.DataFrame:
    rank = table["group"].map({g: i for i, g in enumerate(GROUPINGS)})
    order = [*unit_columns, "_rank", "role_group", "role", "organisation_id", "source"]
    return (
        table.assign(_rank=rank)
        .sort_values(order, na_position="first", kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def level_distribution(
    answers: pd.DataFrame,
    protected: pd.DataFrame,
    level: str = "question",
    leaders: frozenset[str] = LEADER_ROLES,
) -> pd.DataFrame:
    """How many answers sit at each level, for the visible cells of a protected breakdown.

    Counts answers (not respondents): for rubric and agreement questions that is one per
    respondent; a relationship question counts each partner answered about. Cells hidden in
    ``protected`` are left out entirely; "don't know" is in the breakdown's n_dont_know.
    """
    if level not in ("question", "theme"):
        raise ValueError("level distributions exist for questions and themes only")
    unit_columns = list(UNIT_KEYS[level])
    answered = answers[answers["value"].notna()]
    people = answered.assign(
        role_group=np.where(answered["role"].isin(list(leaders)), LEADERS, OTHERS)
    )
    frames = []
    for grouping in protected["group"].unique():
        keys = [*unit_columns, *GROUP_COLUMNS[grouping], "value"]
        counts = people.groupby(keys, sort=False, observed=True).size().rename("count")
        frames.append(counts.reset_index().assign(group=grouping))
    counts = pd.concat(frames, ignore_index=True).rename(columns={"value": "level"})
    for column in CELL_COLUMNS:
        if column not in counts.columns:
            counts[column] = pd.NA
    counts["organisation_id"] = counts["organisation_id"].astype("Int64")
    for column in ("role", "role_group", "source"):
        counts[column] = counts[column].astype(object).where(counts[column].notna(), None)
    visible = protected.loc[~protected["suppressed"], [*unit_columns, *CELL_COLUMNS]]
    out = counts.merge(visible, on=[*unit_columns, *CELL_COLUMNS], how="inner")
    return out.sort_values([*unit_columns, "group", "level"]).reset_index(drop=True)
