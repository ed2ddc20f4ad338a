"""Maturity: strand profile, place on the spectrum, deep x tight, relationships, priorities.

Every rule and threshold here is stated in docs/methods.md ("Maturity"); the constants below
are the single place they live.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .scores import breakdown
from .suppression import SuppressionPolicy

CONTINUUM = ("none", "networking", "co_ordination", "co_operation", "collaboration")
SPECTRUM = (
    "working_alone",
    "informal_cluster",
    "formal_partnership",
    "federation_or_chain",
    "shared_teaching_and_learning",
)
# Partnership kinds (directory.PartnershipKind values) that are one legal body under one
# governance: federations and multi-academy trusts ("chains").
FORMAL_STRUCTURES = frozenset({"mat", "federation"})
NETWORKING = 1.0  # median continuum level at which schools start to work together
CO_OPERATION = 3.0  # sharing staff, peer review: the mark of a formal partnership
TIGHT_FORMAL = 0.5  # tightness position (0-1) from which shared structures are firm
TIGHT_STRUCTURAL = 0.75  # tightness at which structures are as binding as a chain's
DEEP_SHARED = 0.75  # depth at which practice is shared like one approach to teaching
MIDPOINT = 0.5  # the deep x tight plane is split into quadrants at the middle of each axis


def strand_profile(
    theme_table: pd.DataFrame, themes: pd.DataFrame, expected: tuple[int, int] | None = (3, 4)
) -> pd.DataFrame:
    """Partnership-level score of each strand (theme), grouped by dimension, in theme order.

    ``expected`` (dimensions, strands per dimension) is checked against ``themes`` so that a
    framework without the 3 x 4 shape is not drawn as one. Adds ``position`` (0-1 on the
    theme's scale) for charts that mix scales.
    """
    if expected is not None:
        check_strands(themes, *expected)
    rows = theme_table[(theme_table["group"] == "partnership")].drop_duplicates(
        ["theme_key"], keep="last"
    )
    ordered = themes[["theme_key", "dimension"]].merge(rows, on="theme_key", how="left")
    span = ordered["scale_max"] - ordered["scale_min"]
    ordered["position"] = (ordered["mean"] - ordered["scale_min"]) / span
    ordered["suppressed"] = ordered["suppressed"].fillna(False).astype(bool)
    return ordered.reset_index(drop=True)


def check_strands(themes: pd.DataFrame, dimensions: int, strands: int) -> None:
    counts = themes.groupby("dimension", sort=False)["theme_key"].count()
    if len(counts) != dimensions or (counts != strands).any():
        shape = ", ".join(f"{d or '(none)'}: {c}" for d, c in counts.items())
        raise ValueError(
            f"a maturity profile needs {dimensions} dimensions x {strands} strands; "
            f"these themes have {shape}"
        )


@dataclass(frozen=True)
class PlanePosition:
    """Where the partnership sits on the deep x tight plane (positions from 0 to 1)."""

    depth: float | None
    depth_ci: tuple[float, float] | None
    tightness: float | None
    tightness_ci: tuple[float, float] | None
    quadrant: str | None  # "deep_and_tight" | "deep_loose" | "shallow_tight" | "shallow_loose"
    settled: bool  # False when an interval crosses the middle of its axis
    suppressed: bool = False


def deep_tight_position(
    answers: pd.DataFrame,
    themes: pd.DataFrame,
    deep_themes: Sequence[str] | None = None,
    tight_themes: Sequence[str] | None = None,
    policy: SuppressionPolicy | None = None,
) -> PlanePosition:
    """Depth (practice-sharing) and tightness (firmness of shared structures), each the
    respondents' weighted theme position on that axis, with 95% intervals.

    By default the axes are the themes whose ``dimension`` is "deep" and "tight".
    """
    if answers["cycle_id"].nunique() > 1:
        raise ValueError("place one cycle at a time on the deep x tight plane")
    deep = list(deep_themes or themes.loc[themes["dimension"] == "deep", "theme_key"])
    tight = list(tight_themes or themes.loc[themes["dimension"] == "tight", "theme_key"])
    if not deep or not tight:
        raise ValueError("the deep x tight plane needs at least one theme on each axis")
    axis = {**{key: "deep" for key in deep}, **{key: "tight" for key in tight}}
    chosen = themes[themes["theme_key"].isin(list(axis))].copy()
    chosen["dimension"] = chosen["theme_key"].map(axis)
    # Positions 0-1 on each theme's scale, so the axes are comparable whatever the scales.
    chosen["scale_min"], chosen["scale_max"] = 0.0, 1.0
    scale = themes.set_index("theme_key")
    rows = answers[answers["theme_key"].isin(list(axis))].copy()
    low = rows["theme_key"].map(scale["scale_min"])
    high = rows["theme_key"].map(scale["scale_max"])
    rows["value"] = (rows["value"] - low) / (high - low)
    table = breakdown(rows, chosen, "dimension", policy, groupings=("partnership",))
    table = table[table["group"] == "partnership"].set_index("dimension")
    figures = {}
    hidden = False
    for name in ("deep", "tight"):
        if name not in table.index or bool(table.loc[name, "suppressed"]):
            figures[name] = (None, None)
            hidden = True
            continue
        row = table.loc[name]
        interval = None
        if not (pd.isna(row["ci_low"]) or pd.isna(row["ci_high"])):
            interval = (float(row["ci_low"]), float(row["ci_high"]))
        figures[name] = (float(row["mean"]), interval)
    (depth, depth_ci), (tight_value, tight_ci) = figures["deep"], figures["tight"]
    if depth is None or tight_value is None:
        return PlanePosition(depth, depth_ci, tight_value, tight_ci, None, False, hidden)
    quadrant = {
        (True, True): "deep_and_tight",
        (True, False): "deep_loose",
        (False, True): "shallow_tight",
        (False, False): "shallow_loose",
    }[(depth >= MIDPOINT, tight_value >= MIDPOINT)]
    settled = all(
        interval is not None and not (interval[0] < MIDPOINT < interval[1])
        for interval in (depth_ci, tight_ci)
    )
    return PlanePosition(depth, depth_ci, tight_value, tight_ci, quadrant, settled)


@dataclass(frozen=True)
class SpectrumPosition:
    stage: int | None
    key: str | None
    reasons: list[str] = field(default_factory=list)


def spectrum_stage(
    relationship_level: float | None = None,
    depth: float | None = None,
    tightness: float | None = None,
    partnership_kind: str | None = None,
) -> SpectrumPosition:
    """Place the partnership on the spectrum from schools working alone to a chain with a
    shared approach to teaching and learning (rule in docs/methods.md, "Spectrum").

    relationship_level: the partnership's median continuum level (0 none .. 4 collaboration);
    depth, tightness: deep x tight positions (0-1); partnership_kind: directory kind code.
    """
    reasons: list[str] = []
    known = [x for x in (relationship_level, depth, tightness) if x is not None]
    structural = partnership_kind in FORMAL_STRUCTURES
    if not known and not structural:
        return SpectrumPosition(None, None, ["not enough evidence"])
    if structural:
        reasons.append(f"partnership kind {partnership_kind!r} is one legal body")
    if tightness is not None and tightness >= TIGHT_STRUCTURAL:
        structural = True
        reasons.append(f"tightness {tightness:.2f} >= {TIGHT_STRUCTURAL}")
    if structural:
        if depth is not None and depth >= DEEP_SHARED:
            reasons.append(f"depth {depth:.2f} >= {DEEP_SHARED}")
            return _stage(4, reasons)
        return _stage(3, reasons)
    if relationship_level is not None and relationship_level < NETWORKING:
        reasons.append(f"median relationship {relationship_level:.1f} below networking")
        return _stage(0, reasons)
    if relationship_level is not None and relationship_level >= CO_OPERATION:
        reasons.append(f"median relationship {relationship_level:.1f} at co-operation or beyond")
        return _stage(2, reasons)
    if tightness is not None and tightness >= TIGHT_FORMAL:
        reasons.append(f"tightness {tightness:.2f} >= {TIGHT_FORMAL}")
        return _stage(2, reasons)
    reasons.append("schools work together without firm shared structures")
    return _stage(1, reasons)


def _stage(stage: int, reasons: list[str]) -> SpectrumPosition:
    return SpectrumPosition(stage, SPECTRUM[stage], reasons)


def continuum_key(level: float) -> str | None:
    if level is None or (isinstance(level, float) and math.isnan(level)):
        return None
    return CONTINUUM[int(np.clip(math.floor(level), 0, len(CONTINUUM) - 1))]


def relationship_levels(
    answers: pd.DataFrame, policy: SuppressionPolicy | None = None, open_link: int = 0
) -> pd.DataFrame:
    """The continuum level of each partner relationship (unordered organisation pair).

    Pools every relationship answer by people in either organisation about the other; the
    pair's level is the median, rounded *down* when it falls between two levels (a
    relationship is never shown as deeper than half its respondents say). A pair is hidden
    when fewer than k people answered about it (the strictest k among their roles), not
    counting ``open_link``: how many respondents came through the open link, any of whom
    may be in the pair (their answers are counted per organisation without the channel, and
    made-up answers must never complete a pair around a few real ones).
    Columns: organisation_a < organisation_b, n_respondents, n_answers, median, level,
    level_key, suppressed, suppression_reason.
    """
    policy = policy or SuppressionPolicy()
    rows = answers[(answers["kind"] == "relationship") & answers["value"].notna()]
    rows = rows[rows["organisation_id"] != rows["about_organisation_id"].astype("Int64")]
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "organisation_a",
                "organisation_b",
                "n_respondents",
                "n_answers",
                "median",
                "level",
                "level_key",
                "suppressed",
                "suppression_reason",
            ]
        )
    own = rows["organisation_id"].to_numpy(dtype=np.int64)
    other = rows["about_organisation_id"].to_numpy(dtype=np.int64)
    pairs = pd.DataFrame(
        {
            "organisation_a": np.minimum(own, other),
            "organisation_b": np.maximum(own, other),
            "response_id": rows["response_id"].to_numpy(),
            "role": rows["role"].to_numpy(),
            "value": rows["value"].to_numpy(dtype=float),
        }
    )
    grouped = pairs.groupby(["organisation_a", "organisation_b"], sort=True)
    table = grouped.agg(
        n_respondents=("response_id", "nunique"),
        n_answers=("value", "size"),
        median=("value", "median"),
    ).reset_index()
    threshold = grouped["role"].agg(lambda roles: policy.threshold_for_roles(roles)).to_numpy()
    hidden = table["n_respondents"].to_numpy() - open_link < threshold
    table["level"] = np.floor(table["median"]).clip(0, len(CONTINUUM) - 1)
    table["level_key"] = [continuum_key(x) for x in table["level"]]
    table["suppressed"] = hidden
    table["suppression_reason"] = np.where(hidden, "small_group", None)
    for column in ("n_respondents", "n_answers"):
        table[column] = table[column].astype("Int64")
    table.loc[hidden, ["n_respondents", "n_answers", "median", "level"]] = pd.NA
    table.loc[hidden, "level_key"] = None
    return table


def partnership_relationship_level(
    answers: pd.DataFrame,
    policy: SuppressionPolicy | None = None,
    respondents: int | None = None,
    open_link: int = 0,
) -> float | None:
    """Median of all relationship answers in the partnership (None below k respondents).

    ``respondents``: how many people gave these answers, when ``response_id`` does not tell
    people apart (rows rebuilt from stored counts); by default, the distinct response_ids.
    ``open_link``: respondents through the open link, who do not count towards k.
    """
    policy = policy or SuppressionPolicy()
    rows = answers[(answers["kind"] == "relationship") & answers["value"].notna()]
    if rows.empty:
        return None
    people = rows["response_id"].nunique() if respondents is None else respondents
    if people - open_link < policy.threshold_for_roles(rows["role"]):
        return None
    return float(rows["value"].median())


def priorities(
    theme_table: pd.DataFrame,
    themes: pd.DataFrame,
    importance: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Themes ranked by priority = importance x shortfall (docs/methods.md, "Priorities").

    shortfall = (reference - mean) / (scale_max - scale_min), clipped to 0-1. The reference
    is the theme's target level (``basis`` "target"). A theme without a target is never
    measured against the top of the scale (nobody set it as a goal, and the summary does not
    call it short of one): its reference is the middle of the partnership's own visible
    themes - the median of their scores, each as a position on its own scale - so it is a
    priority only when it is one of the partnership's weaker themes (``basis`` "relative").
    importance is ``importance[theme]`` (e.g. the mean of an importance question) or else
    the theme weight, divided by the largest. Themes at or above their reference and hidden
    themes are left out. ``clear`` says the shortfall is larger than its uncertainty.
    """
    rows = theme_table[(theme_table["group"] == "partnership") & ~theme_table["suppressed"]]
    rows = rows.drop_duplicates("theme_key", keep="last")
    merged = rows.merge(themes[["theme_key", "dimension", "weight"]], on="theme_key", how="inner")
    if importance is not None:
        weights = merged["theme_key"].map(importance).astype(float)
    else:
        weights = merged["weight"].astype(float)
    largest = weights.max()
    merged["importance"] = weights / largest if largest and largest > 0 else 0.0
    target = merged["theme_key"].map(themes.set_index("theme_key")["target_level"]).astype(float)
    span = (merged["scale_max"] - merged["scale_min"]).astype(float)
    position = (merged["mean"].astype(float) - merged["scale_min"]) / span
    middle = float(position.median()) if len(position) else np.nan
    relative = merged["scale_min"] + middle * span
    reference = target.where(target.notna(), relative)
    merged["basis"] = np.where(target.notna(), "target", "relative")
    merged["reference"] = reference.astype(float)
    merged["shortfall"] = ((reference - merged["mean"]) / span).clip(0, 1).astype(float)
    merged["priority"] = merged["importance"] * merged["shortfall"]
    merged["clear"] = merged["ci_high"].astype(float) < merged["reference"]
    merged = merged[merged["priority"] > 0]
    merged = merged.sort_values(["priority", "mean"], ascending=[False, True], kind="stable")
    merged["rank"] = np.arange(1, len(merged) + 1)
    columns = [
        "rank",
        "theme_key",
        "dimension",
        "mean",
        "ci_low",
        "ci_high",
        "reference",
        "basis",
        "importance",
        "shortfall",
        "priority",
        "clear",
    ]
    return merged[columns].reset_index(drop=True)
