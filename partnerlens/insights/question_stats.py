"""Reading figures back out of ``QuestionStat`` rows (pure: no queries).

``question_summary`` turns ``QuestionStat`` rows into the table (and the level distribution)
``analytics.scores.summarise`` / ``level_distribution`` compute from the raw answers (the
tests prove they are equal): every figure is a sum over cells. Moved out of ``aggregates``
(the write side), which re-exports these names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd

from partnerlens.insights.analytics import kernels
from partnerlens.insights.analytics.intervals import interval
from partnerlens.insights.analytics.scores import GROUP_COLUMNS
from partnerlens.insights.analytics.suppression import (
    CELL_COLUMNS,
    GROUPINGS,
    LEADER_ROLES,
    LEADERS,
    OTHERS,
)
from partnerlens.insights.loaders.rows import source_of
from partnerlens.insights.models import NONE

STAT_SUMS = ("n_asked", "n_responses", "n_dont_know", "n", "total", "total_squares")


class AggregateError(RuntimeError):
    """The aggregates cannot take this change as asked; the message says what to do."""


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
    unit = kernels.factorise(
        own["cycle_id"].to_numpy(dtype=np.int64) * (1 << 40)
        + own["question_id"].to_numpy(dtype=np.int64)
    )
    units = {
        column: own[column].to_numpy()
        for column in ("cycle_id", "theme_key", "question_key", "scale_min", "scale_max")
    }
    if "item_min" in own and "item_max" in own:  # each question on its own scale
        low, high = own["item_min"].to_numpy(float), own["item_max"].to_numpy(float)
        ranged = low < high
        units["scale_min"] = np.where(ranged, low, units["scale_min"])
        units["scale_max"] = np.where(ranged, high, units["scale_max"])
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
        codes, groups = combined_codes(unit, *(keys[c] for c in GROUP_COLUMNS[grouping]))
        first = np.zeros(groups, dtype=np.int64)
        first[codes[::-1]] = np.arange(len(own))[::-1]
        for column, values in units.items():
            parts[column].append(values[first])
        parts["group"].append(np.full(groups, grouping, dtype=object))
        for column in ("role", "role_group", "organisation_id", "source"):
            split = column in GROUP_COLUMNS[grouping]
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
    low, high = interval(n, mean, sd, columns["scale_min"], columns["scale_max"])
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
            "ci_low": low,
            "ci_high": high,
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
