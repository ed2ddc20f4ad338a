"""Trends across the cycles of one framework lineage, with their uncertainty.

Questions are matched across versions by (theme_key, question_key), which the frameworks app
keeps stable between versions; an explicit ``mapping`` renames questions that moved or were
re-keyed, or drops (maps to None) those whose meaning changed. Each cycle is scored on the
current version's themes (scales, weights, targets), protected exactly like a single cycle,
and consecutive cycles are compared with Welch's interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .frames import FrameError
from .gaps import welch
from .scores import UNIT_KEYS, breakdown
from .suppression import CELL_COLUMNS, SuppressionPolicy

QuestionKey = tuple[str, str]


def map_questions(
    answers: pd.DataFrame, mapping: Mapping[QuestionKey, QuestionKey | None] | None
) -> pd.DataFrame:
    """Answers with (theme_key, question_key) renamed by ``mapping``; None drops a question."""
    if not mapping:
        return answers
    keys = pd.MultiIndex.from_arrays([answers["theme_key"], answers["question_key"]])
    old = pd.MultiIndex.from_tuples(list(mapping))
    position = old.get_indexer(keys)
    matched = position >= 0
    targets = list(mapping.values())
    dropped = np.array([targets[p] is None for p in position[matched]], dtype=bool)
    out = answers.copy()
    theme = out["theme_key"].to_numpy(dtype=object).copy()
    question = out["question_key"].to_numpy(dtype=object).copy()
    rows = np.flatnonzero(matched)
    for row, p in zip(rows[~dropped], position[matched][~dropped], strict=True):
        theme[row], question[row] = targets[p]
    out["theme_key"] = theme
    out["question_key"] = question
    keep = np.ones(len(out), dtype=bool)
    keep[rows[dropped]] = False
    return out[keep].reset_index(drop=True)


def _check_cycles(cycles: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    for column in ("cycle_id", "order"):
        if column not in cycles.columns:
            raise FrameError(f"cycles: missing column {column!r}")
    if cycles["cycle_id"].duplicated().any():
        raise FrameError("cycles: a cycle is listed twice")
    unknown = set(answers["cycle_id"].unique()) - set(cycles["cycle_id"])
    if unknown:
        raise FrameError(f"cycles: answers come from cycle(s) {sorted(unknown)} not listed")
    return cycles


def trend(
    answers: pd.DataFrame,
    themes: pd.DataFrame,
    cycles: pd.DataFrame,
    level: str = "theme",
    mapping: Mapping[QuestionKey, QuestionKey | None] | None = None,
    policy: SuppressionPolicy | None = None,
    groupings: Sequence[str] = ("partnership", "role"),
) -> pd.DataFrame:
    """One protected row per cycle x unit x cell, in cycle order, with the change since the
    previous cycle in which that cell was visible.

    ``cycles``: cycle_id, order (and any label columns, carried along). ``themes``: the
    lineage's current themes frame; answers about themes it no longer has are left out.
    Extra columns: order, cycles_present (in how many cycles the unit was asked),
    change, change_ci_low, change_ci_high, change_flagged.
    """
    cycles = _check_cycles(cycles, answers)
    mapped = map_questions(answers, mapping)
    mapped = mapped[mapped["theme_key"].isin(themes["theme_key"])].reset_index(drop=True)
    if mapped.empty:
        raise FrameError("answers: no answer belongs to a theme of the current version")
    table = breakdown(mapped, themes, level, policy, groupings)
    table = table.merge(cycles, on="cycle_id", how="left")
    units = [c for c in UNIT_KEYS[level] if c != "cycle_id"]
    present = table[table["group"] == "partnership"].groupby(units, dropna=False)["cycle_id"]
    table = table.merge(
        present.nunique().rename("cycles_present").reset_index(), on=units, how="left"
    )
    series = [*units, *CELL_COLUMNS]
    table = table.sort_values([*series, "order"], na_position="first", kind="stable")
    visible = table[~table["suppressed"]]
    previous = visible.groupby(series, dropna=False, sort=False)[["mean", "sd", "n"]].shift(1)
    change = welch(
        visible["mean"].astype(float),
        visible["sd"].astype(float),
        visible["n"].astype(float),
        previous["mean"].astype(float),
        previous["sd"].astype(float),
        previous["n"].astype(float),
    )
    for name, column in (
        ("difference", "change"),
        ("ci_low", "change_ci_low"),
        ("ci_high", "change_ci_high"),
    ):
        table.loc[visible.index, column] = np.asarray(change[name])
    flagged = (table["change_ci_low"] > 0) | (table["change_ci_high"] < 0)
    table["change_flagged"] = flagged & table["change"].notna()
    return table.sort_values([*series, "order"], na_position="first").reset_index(drop=True)
