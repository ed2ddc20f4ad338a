"""Trends across the cycles of one framework lineage, with their uncertainty.

Questions are matched across versions by (theme_key, question_key), which the frameworks app
keeps stable between versions; an explicit ``mapping`` renames questions that moved or were
re-keyed, or drops (maps to None) those whose meaning changed. Each cycle is scored on the
current version's themes (scales, weights, targets), protected exactly like a single cycle,
and consecutive cycles are compared with Welch's interval (``trend``, per cell, on its own).

The dashboard's change between cycles is ``fair_trend``: at a fixed role mix, pairing the
same people where the cycle's anonymity mode links them, and not comparing a theme whose
questions changed between versions; its tests join the release's false-discovery family
(``multiplicity.release_findings``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import stats

from .frames import FrameError
from .gaps import PRIOR_DF, two_sided_p, welch
from .scores import UNIT_KEYS, breakdown, respondent_scores
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


# --- fair change between cycles -------------------------------------------------------------

REST = "~rest"  # every respondent whose role is hidden in either cycle: one stratum
CHANGE_COLUMNS = (
    "theme_key",
    "cycle_id",
    "previous_cycle_id",
    "order",
    "change",
    "se",
    "df",
    "change_ci_low",
    "change_ci_high",
    "p_value",
    "n",
    "n_previous",
    "n_paired",
    "strata",
    "questions_changed",
)


def question_sets(
    questions: pd.DataFrame | None,
    mapping: Mapping[QuestionKey, QuestionKey | None] | None = None,
) -> dict[tuple[object, str], tuple]:
    """(cycle_id, theme_key) -> what the theme asked in that cycle: its questions (keys after
    ``mapping``), their kinds and scales. ``questions``: cycle_id, theme_key, question_key,
    kind, scale_min, scale_max (one row per scored question of each cycle's version)."""
    if questions is None or questions.empty:
        return {}
    mapped = map_questions(questions, mapping)
    columns = ["question_key", "kind", "scale_min", "scale_max"]
    return {
        key: tuple(sorted(map(tuple, rows[columns].astype(str).to_numpy().tolist())))
        for key, rows in mapped.groupby(["cycle_id", "theme_key"], sort=False)
    }


def fair_trend(
    answers: pd.DataFrame,
    themes: pd.DataFrame,
    cycles: pd.DataFrame,
    policy: SuppressionPolicy | None = None,
    questions: pd.DataFrame | None = None,
    mapping: Mapping[QuestionKey, QuestionKey | None] | None = None,
) -> pd.DataFrame:
    """The change of each theme between consecutive cycles, fair to a changing role mix.

    - Fixed role mix: the change is worked out within each role and averaged with fixed
      weights (each role's share of respondents, averaged over the two cycles), so a cycle in
      which more parents answered does not move a theme whose every role stayed put. Roles
      hidden in either cycle's protected role breakdown are pooled into one stratum, which
      publishes nothing the partnership and visible role figures do not already give.
    - Pairing: a ``person`` column (> 0 where the same person is linked across cycles, in
      named and confidential cycles only; 0 or missing otherwise) pairs a person's two
      answers within their role, which removes the between-person spread from the change.
    - Spread: each stratum's variance is moderated towards the whole cycle's in that theme
      (``gaps.moderated``), so a small role that happens to agree is not taken as precise.
    - Question mapping: ``questions`` (see ``question_sets``) says what each theme asked in
      each cycle, after ``mapping``; a theme whose questions, kinds or scales changed between
      the two cycles is marked ``questions_changed`` and not compared.

    One row per theme x cycle with a previous cycle (``CHANGE_COLUMNS``); ``p_value`` is NaN
    where nothing is tested. The false-discovery control is ``multiplicity.release_findings``.
    """
    cycles = _check_cycles(cycles, answers)
    table = trend(answers, themes, cycles, "theme", mapping, policy, ("partnership", "role"))
    mapped = map_questions(answers, mapping)
    mapped = mapped[mapped["theme_key"].isin(themes["theme_key"])].reset_index(drop=True)
    people = respondent_scores(mapped, themes.reset_index(drop=True), "theme")
    people = people[people["score"].notna()]
    if "person" in mapped.columns:
        link = mapped.drop_duplicates("response_id").set_index("response_id")["person"]
        people["person"] = people["response_id"].map(link).fillna(0).astype("int64")
    else:
        people["person"] = 0
    asked = question_sets(questions, mapping)
    order = cycles.sort_values("order")[["cycle_id", "order"]].to_numpy().tolist()
    found = [
        _change(people, table, asked, previous, current, position)
        for (previous, _before), (current, position) in pairwise(order)
    ]
    found = [f for f in found if len(f)]
    if not found:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    return pd.concat(found, ignore_index=True)[list(CHANGE_COLUMNS)]


def _visible(table: pd.DataFrame, cycle: object, group: str) -> pd.DataFrame:
    """Visible rows of ``group`` in ``cycle`` (``table`` holds visible rows only)."""
    return table[(table["cycle_id"] == cycle) & (table["group"] == group)]


def _change(
    people: pd.DataFrame,
    table: pd.DataFrame,
    asked: dict,
    previous: object,
    current: object,
    position: object,
) -> pd.DataFrame:
    table = table[~table["suppressed"].astype(bool)]
    shown = set(_visible(table, previous, "partnership")["theme_key"]) & set(
        _visible(table, current, "partnership")["theme_key"]
    )
    if not shown:
        return pd.DataFrame()
    roles = [
        set(
            zip(
                _visible(table, c, "role")["theme_key"],
                _visible(table, c, "role")["role"],
                strict=True,
            )
        )
        for c in (previous, current)
    ]
    both = roles[0] & roles[1]
    rows = people[people["cycle_id"].isin([previous, current]) & people["theme_key"].isin(shown)]
    keys = list(zip(rows["theme_key"], rows["role"], strict=True))
    rows = rows.assign(
        stratum=np.where([k in both for k in keys], rows["role"].to_numpy(dtype=object), REST),
        later=(rows["cycle_id"] == current).to_numpy(),
    )
    stats_ = rows.groupby(["theme_key", "stratum", "later"])["score"].agg(["size", "mean", "var"])
    wide = stats_.unstack("later")
    wide.columns = [f"{name}_{'c' if later else 'p'}" for name, later in wide.columns]
    for name in ("size_c", "size_p", "mean_c", "mean_p", "var_c", "var_p"):
        if name not in wide.columns:
            wide[name] = np.nan
    wide = wide[(wide["size_c"] >= 2) & (wide["size_p"] >= 2)].reset_index()
    # Each stratum's spread is moderated towards the whole cycle's, as for gaps.
    overall = rows.groupby(["theme_key", "later"])["score"].var().unstack("later")
    for later, side in ((True, "c"), (False, "p")):
        prior = wide["theme_key"].map(overall[later]) if later in overall else np.nan
        own = wide[f"size_{side}"] - 1
        wide[f"var_{side}"] = (own * wide[f"var_{side}"] + PRIOR_DF * prior) / (own + PRIOR_DF)
        wide[f"dof_{side}"] = own + PRIOR_DF
    wide["n_pair"], wide["cov"] = _paired_covariance(rows, previous, current, wide)
    total_c = wide.groupby("theme_key")["size_c"].transform("sum")
    total_p = wide.groupby("theme_key")["size_p"].transform("sum")
    weight = (wide["size_c"] / total_c + wide["size_p"] / total_p) / 2
    a_c = weight**2 * wide["var_c"] / wide["size_c"]
    a_p = weight**2 * wide["var_p"] / wide["size_p"]
    paired = 2 * weight**2 * wide["n_pair"] * wide["cov"] / (wide["size_c"] * wide["size_p"])
    wide = wide.assign(
        part=weight * (wide["mean_c"] - wide["mean_p"]),
        variance=(a_c + a_p - paired).clip(lower=0),
        a_c=a_c,
        a_p=a_p,
        df_c=a_c**2 / wide["dof_c"],
        df_p=a_p**2 / wide["dof_p"],
    )
    sums = wide.groupby("theme_key").agg(
        change=("part", "sum"),
        variance=("variance", "sum"),
        a=("a_c", "sum"),
        a_p=("a_p", "sum"),
        df_c=("df_c", "sum"),
        df_p=("df_p", "sum"),
        n=("size_c", "sum"),
        n_previous=("size_p", "sum"),
        n_paired=("n_pair", "sum"),
        strata=("stratum", "size"),
    )
    out = sums.reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (out["a"] + out["a_p"]) ** 2 / (out["df_c"] + out["df_p"])
    out["df"] = df.clip(lower=1, upper=out["n"] + out["n_previous"] - 2).fillna(1.0)
    out["se"] = np.sqrt(out["variance"])
    out["questions_changed"] = [
        asked.get((previous, t)) != asked.get((current, t))
        if (previous, t) in asked and (current, t) in asked
        else False
        for t in out["theme_key"]
    ]
    critical = stats.t.ppf(0.975, out["df"])
    half = np.where(out["se"] == 0, 0.0, critical * out["se"])
    out["change_ci_low"] = out["change"] - half
    out["change_ci_high"] = out["change"] + half
    out["p_value"] = two_sided_p(out["change"], out["se"], out["df"])
    changed = out["questions_changed"].to_numpy(dtype=bool)
    out.loc[changed, ["change", "se", "change_ci_low", "change_ci_high", "p_value"]] = np.nan
    out["cycle_id"], out["previous_cycle_id"], out["order"] = current, previous, position
    for column in ("n", "n_previous", "n_paired", "strata"):
        out[column] = out[column].astype("int64")
    return out


def _paired_covariance(
    rows: pd.DataFrame, previous: object, current: object, wide: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``wide`` (theme x stratum): how many linked people answered in both
    cycles, and the covariance of their two scores (0 below two pairs)."""
    linked = rows[rows["person"] > 0]
    keys = ["theme_key", "stratum", "person"]
    before = linked[linked["cycle_id"] == previous][[*keys, "score"]]
    after = linked[linked["cycle_id"] == current][[*keys, "score"]]
    pairs = before.merge(after, on=keys, suffixes=("_p", "_c")).drop_duplicates(keys)
    if pairs.empty:
        return np.zeros(len(wide)), np.zeros(len(wide))
    grouped = pairs.groupby(["theme_key", "stratum"])
    counts = grouped.size().rename("n_pair_count")
    covariance = grouped.apply(
        lambda g: float(np.cov(g["score_p"], g["score_c"])[0, 1]) if len(g) >= 2 else 0.0,
        include_groups=False,
    ).rename("cov_value")
    extra = wide[["theme_key", "stratum"]].merge(
        pd.concat([counts, covariance], axis=1).reset_index(),
        on=["theme_key", "stratum"],
        how="left",
    )
    return extra["n_pair_count"].fillna(0).to_numpy(), extra["cov_value"].fillna(0.0).to_numpy()
