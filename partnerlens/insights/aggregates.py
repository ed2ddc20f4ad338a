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

Read side: ``question_summary`` turns ``QuestionStat`` rows into the table (and the level
distribution) ``analytics.scores.summarise`` / ``level_distribution`` compute from the raw
answers (the tests prove they are equal): every figure is a sum over cells.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from django.db import connections, models, router, transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from partnerlens.enquiries.models import Cycle, Response
from partnerlens.insights.analytics import kernels
from partnerlens.insights.analytics.scores import t_interval
from partnerlens.insights.analytics.suppression import (
    CELL_COLUMNS,
    GROUPINGS,
    LEADER_ROLES,
    LEADERS,
    OTHERS,
)
from partnerlens.insights.loaders import collector_paused, fetch_rows, scored_answers, source_of
from partnerlens.insights.models import (
    NONE,
    QuestionStat,
    ResponseThemeScore,
    ThemeRollup,
    respondent_key,
)

STAT_KEY = ("cycle_id", "organisation_id", "role", "question_id", "about_organisation_id")
STAT_SUMS = ("n_asked", "n_responses", "n_dont_know", "n", "total", "total_squares")
ROLLUP_KEY = ("cycle_id", "theme_id", "role")
ROLLUP_SUMS = (
    "n",
    "n_dont_know",
    "total",
    "total_squares",
    "n_answers",
    "answer_total",
    "answer_total_squares",
)


class AggregateError(RuntimeError):
    """The aggregates cannot take this change as asked; the message says what to do."""


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


def changes(answers: pd.DataFrame) -> Changes:
    """The increments of ``answers`` (``loaders.scored_answers`` of some responses).

    Item = one respondent's answer to one question (for a relationship question, the mean of
    their answers about each partner, "don't know" if any of them was).
    """
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
    themes = (
        items.groupby(["response", "theme_id"], sort=False)
        .agg(
            cycle_id=("cycle_id", "first"),
            role=("role", "first"),
            score=("value", "mean"),
            dont_know=("dont_know", "any"),
        )
        .reset_index()
    )
    rollups: dict[tuple, dict[str, float]] = {}
    if not themes.empty:
        respondents = _sums(themes, ROLLUP_KEY, "score").join(
            themes.groupby(list(ROLLUP_KEY), sort=True)["dont_know"].sum().rename("n_dont_know")
        )
        answered = _sums(answers, ROLLUP_KEY, "value", prefix="answer_").rename(
            columns={"answer_n": "n_answers"}
        )
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
    if with_levels:  # read as text and parsed in one go (see loaders.question_stats_frame)
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
    _execute_many(model, _update_sql(model, fields), fields, updates)
    inserts = [[*key, *(increments[key][f] for f in fields)] for key in keys if key not in existing]
    columns = [*key_fields, *fields]
    _execute_many(model, _insert_sql(model, columns), columns, inserts)
    return len(keys)


# ``bulk_update`` writes one CASE per field over every row and ``bulk_create`` prepares
# every value through its field, which Django does slowly for tens of thousands of rows; one
# prepared statement run for each row (``executemany``) is many times faster on both
# databases. Values are plain numbers and text, except JSON, adapted by its field.


def _quoted(model: type[models.Model]):
    connection = connections[router.db_for_write(model)]
    return connection, connection.ops.quote_name


def _update_sql(model: type[models.Model], fields: Sequence[str]) -> str:
    _connection, quote = _quoted(model)
    meta = model._meta
    assignments = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in fields)
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from model metadata only


def _insert_sql(model: type[models.Model], fields: Sequence[str]) -> str:
    _connection, quote = _quoted(model)
    meta = model._meta
    columns = ", ".join(quote(meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model metadata only


def _execute_many(
    model: type[models.Model], sql: str, fields: Sequence[str], rows: list[list]
) -> None:
    if not rows:
        return
    connection, _quote = _quoted(model)
    for position, name in enumerate(fields):
        field = model._meta.get_field(name)
        if isinstance(field, models.JSONField):
            for row in rows:
                row[position] = field.get_db_prep_save(row[position], connection)
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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
        found = changes(answers)
        if ResponseThemeScore.objects.filter(response_id__in=ids).exists():
            raise AggregateError(
                "some of these responses were already added to the insights aggregates; "
                "run `manage.py rebuild_insights` for their cycle to recount"
            )
        columns = ["response_id", "respondent", "cycle_id", "theme_id", "score", "dont_know"]
        _execute_many(
            ResponseThemeScore,
            _insert_sql(ResponseThemeScore, columns),
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
        )
        _add_to(QuestionStat, STAT_KEY, STAT_SUMS, found.stats)
        _add_to(ThemeRollup, ROLLUP_KEY, ROLLUP_SUMS, found.rollups)
        return int(answers["response"].nunique())


# --- reading figures from QuestionStat (pure) ----------------------------------------


def _explode_levels(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row position, level value, count) for every level of every row."""
    sizes = np.fromiter((len(m) for m in levels), dtype=np.int64, count=len(levels))
    rows = np.repeat(np.arange(len(levels), dtype=np.int64), sizes)
    keys = list(chain.from_iterable(levels))
    values = np.array(keys).astype(float) if keys else np.array([], dtype=float)
    counts = np.fromiter(
        chain.from_iterable(m.values() for m in levels), dtype=np.int64, count=len(keys)
    )
    return rows, values, counts


HISTOGRAM_CELLS = 20_000_000  # above this many group x level counters, sort instead


def _medians(
    group: np.ndarray, level: kernels.Levels, count: np.ndarray, n: np.ndarray
) -> np.ndarray:
    """Median per group from (group, level, count) entries; ``n`` = values per group.

    The mid-point of the two middle values, as ``kernels.grouped_median`` does, read from
    per-group cumulative counts of the levels (few distinct values) instead of sorting.
    """
    median = np.full(len(n), np.nan)
    present = np.flatnonzero(n > 0)
    if group.size == 0 or present.size == 0:
        return median
    low_rank = (n[present] - 1) // 2
    high_rank = n[present] // 2
    levels = len(level.values)
    if len(n) * levels <= HISTOGRAM_CELLS:
        flat = group * levels + level.codes
        counts = np.bincount(flat, weights=count, minlength=len(n) * levels)
        cumulative = np.cumsum(counts.reshape(len(n), levels), axis=1)[present]
        low = (cumulative <= low_rank[:, None]).sum(axis=1)
        high = (cumulative <= high_rank[:, None]).sum(axis=1)
        median[present] = (level.values[low] + level.values[high]) / 2
        return median
    order = np.lexsort((level.codes, group))
    cumulative = np.cumsum(count[order])
    before = np.zeros(len(n), dtype=np.int64)
    before[1:] = np.cumsum(np.bincount(group, weights=count, minlength=len(n)))[:-1]
    low = np.searchsorted(cumulative, before[present] + low_rank, side="right")
    high = np.searchsorted(cumulative, before[present] + high_rank, side="right")
    values = level.values[level.codes[order]]
    median[present] = (values[low] + values[high]) / 2
    return median


UNIT = ("cycle_id", "theme_key", "question_key")
CELL_CODES = {  # the columns that split each grouping's cells
    "partnership": (),
    "role": ("role",),
    "role_group": ("role_group",),
    "organisation": ("organisation_id",),
    "role_organisation": ("role", "organisation_id"),
    "source": ("source",),
}


@dataclass(frozen=True)
class QuestionSummary:
    """Question-level figures per cell, from ``QuestionStat`` rows.

    ``table`` is what ``scores.summarise`` gives at the question level (unprotected: never
    show it before ``suppression.protect_breakdown``). ``level_row``, ``level`` and ``count``
    say how many answers sit at each level in each row of ``table``.
    """

    table: pd.DataFrame
    level_row: np.ndarray
    level: np.ndarray
    count: np.ndarray

    def distribution(self, protected: pd.DataFrame) -> pd.DataFrame:
        """Answers per level in the rows of ``table`` that ``protected`` (the protected copy
        of ``table``, same rows) shows: what ``scores.level_distribution`` gives, in table
        order, then by level."""
        visible = ~protected["suppressed"].to_numpy(dtype=bool)
        keep = visible[self.level_row]
        rows = self.level_row[keep]
        out = self.table.iloc[rows][[*UNIT, *CELL_COLUMNS]].reset_index(drop=True)
        out["level"] = self.level[keep]
        out["count"] = self.count[keep]
        return out


def question_summary(
    stats: pd.DataFrame,
    groupings: Sequence[str] = GROUPINGS,
    leaders: frozenset[str] = LEADER_ROLES,
) -> QuestionSummary:
    """Per question and cell (every grouping of ``groupings``, and the partnership), the
    figures ``scores.summarise`` computes from raw answers, by adding ``QuestionStat`` rows.

    A respondent-level row (``about_organisation_id = 0``) already holds one value per
    respondent, so cells are sums of rows; medians and level distributions come from the
    added level counts. A relationship question's distribution counts each partner answer,
    from its per-partner rows.
    """
    if "partnership" not in groupings:
        groupings = ("partnership", *groupings)
    about = stats["about_organisation_id"].to_numpy()
    own = stats[about == NONE].reset_index(drop=True)
    role = own["role"].to_numpy(dtype=object)
    cells = {
        "role": role,
        "role_group": np.where(np.isin(role, list(leaders)), LEADERS, OTHERS).astype(object),
        "organisation_id": own["organisation_id"].to_numpy(dtype=np.int64),
        "source": pd.Series(role).map({r: source_of(r) for r in set(role)}).to_numpy(object),
    }
    keys = {name: kernels.factorise(values) for name, values in cells.items()}
    unit = kernels.factorise(own["cycle_id"].to_numpy(dtype=np.int64) * (1 << 40)
                             + own["question_id"].to_numpy(dtype=np.int64))  # fmt: skip
    units = {
        column: own[column].to_numpy()
        for column in ("cycle_id", "theme_key", "question_key", "scale_min", "scale_max")
    }
    # Level counts: the own rows' values, but for a relationship question the per-partner
    # rows' answers, each credited to the respondent row of the same cell.
    median_rows, median_values, median_counts = _explode_levels(own["levels"].to_numpy())
    relationship = own["kind"].to_numpy(dtype=object) == "relationship"
    partners = stats[about != NONE]
    cell_key = ["cycle_id", "organisation_id", "role", "question_id"]
    owner = pd.MultiIndex.from_frame(own[cell_key]).get_indexer(
        pd.MultiIndex.from_frame(partners[cell_key])
    )
    if (owner < 0).any():
        raise AggregateError("a per-partner row has no respondent row: rebuild the cycle")
    partner_rows, partner_values, partner_counts = _explode_levels(partners["levels"].to_numpy())
    keep = ~relationship[median_rows]
    answer_rows = np.concatenate([median_rows[keep], owner[partner_rows]])
    answer_values = np.concatenate([median_values[keep], partner_values])
    answer_counts = np.concatenate([median_counts[keep], partner_counts])
    answer_levels = kernels.distinct_levels(answer_values)
    width = len(answer_levels.values)
    median_levels = kernels.distinct_levels(median_values)
    sums = {name: own[name].to_numpy(dtype=float) for name in STAT_SUMS}
    parts: dict[str, list[np.ndarray]] = {
        name: [] for name in [*units, *CELL_COLUMNS, *STAT_SUMS, "median"]
    }
    level_rows, level_values, level_counts = [], [], []
    offset = 0
    for grouping in groupings:
        codes, groups = combined_codes(unit, *(keys[c] for c in CELL_CODES[grouping]))
        first = np.zeros(groups, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(own))[::-1]
        for column, values in units.items():
            parts[column].append(values[first])
        parts["group"].append(np.full(groups, grouping, dtype=object))
        for column in ("role", "role_group", "organisation_id", "source"):
            split = column in CELL_CODES[grouping]
            parts[column].append(
                cells[column][first].astype(object) if split else np.full(groups, None)
            )
        n = np.bincount(codes, weights=sums["n"], minlength=groups).astype(np.int64)
        for name, values in sums.items():
            parts[name].append(np.bincount(codes, weights=values, minlength=groups))
        parts["median"].append(_medians(codes[median_rows], median_levels, median_counts, n))
        # answers per (row of this grouping, level)
        flat = codes[answer_rows] * width + answer_levels.codes
        counted = np.bincount(flat, weights=answer_counts, minlength=groups * width)
        present = np.flatnonzero(counted)
        level_rows.append(offset + present // width)
        level_values.append(answer_levels.values[present % width])
        level_counts.append(counted[present].astype(np.int64))
        offset += groups
    columns = {name: np.concatenate(values) for name, values in parts.items()}
    n = columns["n"]
    total = columns["total"]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        variance = (columns["total_squares"] - total * mean) / (n - 1)
    sd = np.sqrt(np.maximum(variance, 0.0))
    sd[n < 2] = np.nan
    low, high = t_interval(mean, sd, n)
    table = pd.DataFrame(
        {
            "cycle_id": columns["cycle_id"].astype(np.int64),
            "theme_key": columns["theme_key"],
            "question_key": columns["question_key"],
            "group": columns["group"],
            "role": pd.Series(columns["role"], dtype=object),
            "role_group": pd.Series(columns["role_group"], dtype=object),
            "organisation_id": pd.array(columns["organisation_id"], dtype="Int64"),
            "source": pd.Series(columns["source"], dtype=object),
            "n": n.astype(np.int64),
            "n_responses": columns["n_responses"].astype(np.int64),
            "n_dont_know": columns["n_dont_know"].astype(np.int64),
            "mean": mean,
            "sd": sd,
            "median": columns["median"],
            "ci_low": np.maximum(low, columns["scale_min"]),
            "ci_high": np.minimum(high, columns["scale_max"]),
            "scale_min": columns["scale_min"].astype(float),
            "scale_max": columns["scale_max"].astype(float),
        }
    )
    # The engine's row order (unit, then partnership, roles, leaders/others, organisations,
    # sources), by sorting integer codes rather than the text columns.
    rank = {grouping: i for i, grouping in enumerate(GROUPINGS)}
    order = np.lexsort(
        [
            _sort_codes(table["source"]),
            table["organisation_id"].to_numpy(dtype=float, na_value=-1.0),
            _sort_codes(table["role"]),
            _sort_codes(table["role_group"]),
            table["group"].map(rank).to_numpy(),
            _sort_codes(table["question_key"]),
            _sort_codes(table["theme_key"]),
            table["cycle_id"].to_numpy(),
        ]
    )
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    level_row = position[np.concatenate(level_rows)]
    level_value = np.concatenate(level_values)
    level_order = np.lexsort((level_value, level_row))
    return QuestionSummary(
        table.iloc[order].reset_index(drop=True),
        level_row[level_order],
        level_value[level_order],
        np.concatenate(level_counts)[level_order],
    )


def combined_codes(*parts: kernels.Codes) -> tuple[np.ndarray, int]:
    """(dense code of each row's combination of keys, number of combinations): what
    ``kernels.combine`` gives, without building the labels nobody reads here."""
    flat = np.zeros(len(parts[0].codes), dtype=np.int64)
    for part in parts:
        flat = flat * part.size + part.codes
    unique, inverse = np.unique(flat, return_inverse=True)
    return inverse.astype(np.int64), len(unique)


def _sort_codes(values: pd.Series) -> np.ndarray:
    """Codes that sort as the values do, missing values first."""
    codes, _labels = pd.factorize(values, sort=True, use_na_sentinel=True)
    return codes
