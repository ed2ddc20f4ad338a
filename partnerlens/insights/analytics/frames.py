"""The canonical input frames of the insights engine, and their validation.

A thin loader (in the Django layer) turns stored answers into these frames; everything else in
``analytics`` reads only them. Validation fails with :class:`FrameError` naming the frame, the
column, the first bad row and why, so a loader bug is found at the boundary and not as a wrong
number on a governor's report.

answers (one row per answer; "long" format)
    cycle_id (int), response_id (int), role (str), organisation_id (int, ``NO_ORGANISATION``
    for respondents who answer for no member organisation), theme_key (str), dimension (str,
    may be empty), question_key (str), kind ("rubric" | "agreement" | "relationship"),
    value (float; NaN when "don't know" or unanswered), dont_know (bool),
    about_organisation_id (nullable int; the partner a relationship answer is about),
    source ("self" | "peer" | "external"; optional, default "self"),
    channel ("invited" | "open_link"; optional, default "invited": open-link respondents
    declared their own role and organisation, so they are reported as a group of their own),
    item_min, item_max, item_weight (optional: the question's own scale and weight; missing
    or NaN = the theme's scale and weight 1; see docs/methods.md, "One common scale").

themes (one row per theme of the framework version)
    theme_key, dimension, weight (>= 0), target_level (NaN when none), scale_min, scale_max.

comments (one row per free-text answer)
    cycle_id, response_id, role, organisation_id, theme_key, question_key, text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NO_ORGANISATION = 0  # database ids start at 1, so 0 can stand for "answers for no organisation"
SCORED_KINDS = ("rubric", "agreement", "relationship")
SOURCES = ("self", "peer", "external")
CHANNELS = ("invited", "open_link")

ANSWER_COLUMNS = (
    "cycle_id",
    "response_id",
    "role",
    "organisation_id",
    "theme_key",
    "dimension",
    "question_key",
    "kind",
    "value",
    "dont_know",
    "about_organisation_id",
    "source",
    "channel",
)
THEME_COLUMNS = ("theme_key", "dimension", "weight", "target_level", "scale_min", "scale_max")
COMMENT_COLUMNS = (
    "cycle_id",
    "response_id",
    "role",
    "organisation_id",
    "theme_key",
    "question_key",
    "text",
)
OPTIONAL_DEFAULTS = {
    "source": "self",
    "dimension": "",
    "about_organisation_id": pd.NA,
    "channel": "invited",
}
ITEM_COLUMNS = ("item_min", "item_max", "item_weight")  # optional, carried when present


class FrameError(ValueError):
    """An input frame does not have the shape the engine relies on."""


def _where(df: pd.DataFrame, mask: np.ndarray | pd.Series, frame: str, column: str) -> str:
    position = int(np.flatnonzero(np.asarray(mask))[0])
    row = df.iloc[position]
    ids = []
    for key in ("response_id", "theme_key", "question_key"):
        if key in df.columns:
            value = row[key]
            ids.append(f"{key}={value!r}" if isinstance(value, str) else f"{key}={value}")
    count = int(np.asarray(mask).sum())
    more = f" (and {count - 1} more rows)" if count > 1 else ""
    return f"{frame}: column {column!r}, row {position} ({', '.join(ids)}){more}"


def _require_columns(df: pd.DataFrame, frame: str, columns: tuple[str, ...]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise FrameError(f"{frame}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns and c not in OPTIONAL_DEFAULTS]
    if missing:
        raise FrameError(f"{frame}: missing column(s) {', '.join(missing)}")


def _integers(df: pd.DataFrame, frame: str, column: str, nullable: bool = False) -> pd.Series:
    raw = pd.to_numeric(df[column], errors="coerce")
    bad = raw.isna().to_numpy() & df[column].notna().to_numpy()
    if bad.any():
        raise FrameError(f"{_where(df, bad, frame, column)}: not a number")
    if not nullable and raw.isna().any():
        raise FrameError(f"{_where(df, raw.isna(), frame, column)}: missing value")
    values = raw.to_numpy(dtype=float, na_value=np.nan)
    fractional = ~np.isnan(values) & (values != np.round(values))
    if fractional.any():
        raise FrameError(f"{_where(df, fractional, frame, column)}: not a whole number")
    return raw.astype("Int64") if nullable else raw.astype("int64")


def _strings(df: pd.DataFrame, frame: str, column: str, allow_empty: bool = False) -> pd.Series:
    series = df[column]
    if allow_empty:
        series = series.fillna("")
    elif series.isna().any():
        raise FrameError(f"{_where(df, series.isna(), frame, column)}: missing value")
    series = series.astype(str)
    if not allow_empty and (series == "").any():
        raise FrameError(f"{_where(df, series == '', frame, column)}: empty text")
    return series


def _floats(df: pd.DataFrame, frame: str, column: str) -> pd.Series:
    raw = pd.to_numeric(df[column], errors="coerce")
    bad = raw.isna().to_numpy() & df[column].notna().to_numpy()
    if bad.any():
        raise FrameError(f"{_where(df, bad, frame, column)}: not a number")
    values = raw.astype("float64")
    infinite = np.isinf(values.to_numpy())
    if infinite.any():
        raise FrameError(f"{_where(df, infinite, frame, column)}: infinite")
    return values


def _booleans(df: pd.DataFrame, frame: str, column: str) -> pd.Series:
    series = df[column]
    if series.dtype == bool:
        return series
    allowed = series.isin([True, False, 0, 1]) | series.isna()
    if not allowed.all():
        raise FrameError(f"{_where(df, ~allowed, frame, column)}: not true/false")
    return series.fillna(False).astype(bool)


def validate_themes(themes: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of a themes frame (defaults: dimension "", weight 1, no target)."""
    frame = "themes"
    themes = themes.copy() if isinstance(themes, pd.DataFrame) else themes
    _require_columns(themes, frame, ("theme_key", "scale_min", "scale_max"))
    themes = themes.reset_index(drop=True)
    for column, default in (("dimension", ""), ("weight", 1.0), ("target_level", np.nan)):
        if column not in themes.columns:
            themes[column] = default
    out = pd.DataFrame(
        {
            "theme_key": _strings(themes, frame, "theme_key"),
            "dimension": _strings(themes, frame, "dimension", allow_empty=True),
            "weight": _floats(themes, frame, "weight"),
            "target_level": _floats(themes, frame, "target_level"),
            "scale_min": _floats(themes, frame, "scale_min"),
            "scale_max": _floats(themes, frame, "scale_max"),
        }
    )
    for column in ("weight", "scale_min", "scale_max"):
        if out[column].isna().any():
            raise FrameError(f"{_where(out, out[column].isna(), frame, column)}: missing value")
    duplicated = out["theme_key"].duplicated().to_numpy()
    if duplicated.any():
        raise FrameError(f"{_where(out, duplicated, frame, 'theme_key')}: theme listed twice")
    if (out["weight"] < 0).any():
        raise FrameError(f"{_where(out, out['weight'] < 0, frame, 'weight')}: negative weight")
    inverted = (out["scale_min"] >= out["scale_max"]).to_numpy()
    if inverted.any():
        raise FrameError(
            f"{_where(out, inverted, frame, 'scale_max')}: scale_max must exceed scale_min"
        )
    target = out["target_level"]
    outside = (
        target.notna() & ((target < out["scale_min"]) | (target > out["scale_max"]))
    ).to_numpy()
    if outside.any():
        raise FrameError(
            f"{_where(out, outside, frame, 'target_level')}: target outside the theme's scale"
        )
    # Extra columns (titles, order) travel along untouched for the callers that want them.
    for column in themes.columns:
        if column not in out.columns:
            out[column] = themes[column].to_numpy()
    return out


def validate_answers(answers: pd.DataFrame, themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """A checked, normalised copy of an answers frame.

    With ``themes`` it also checks that every theme is known and every value lies on its
    theme's scale. Fills the optional columns (source "self", dimension "", no partner).
    """
    frame = "answers"
    _require_columns(answers, frame, ANSWER_COLUMNS)
    df = answers.reset_index(drop=True)
    for column, default in OPTIONAL_DEFAULTS.items():
        if column not in df.columns:
            df = df.assign(**{column: default})
    organisation = df["organisation_id"].fillna(NO_ORGANISATION)
    out = pd.DataFrame(
        {
            "cycle_id": _integers(df, frame, "cycle_id"),
            "response_id": _integers(df, frame, "response_id"),
            "role": _strings(df, frame, "role"),
            "organisation_id": _integers(
                df.assign(organisation_id=organisation), frame, "organisation_id"
            ),
            "theme_key": _strings(df, frame, "theme_key"),
            "dimension": _strings(df, frame, "dimension", allow_empty=True),
            "question_key": _strings(df, frame, "question_key"),
            "kind": _strings(df, frame, "kind"),
            "value": _floats(df, frame, "value"),
            "dont_know": _booleans(df, frame, "dont_know"),
            "about_organisation_id": _integers(df, frame, "about_organisation_id", nullable=True),
            "source": _strings(df, frame, "source"),
            "channel": _strings(df, frame, "channel"),
        }
    )
    unknown_channel = ~out["channel"].isin(CHANNELS)
    if unknown_channel.any():
        raise FrameError(
            f"{_where(out, unknown_channel, frame, 'channel')}: must be one of "
            f"{', '.join(CHANNELS)}"
        )
    for column in ITEM_COLUMNS:
        if column in df.columns:
            out[column] = _floats(df, frame, column)
    _check_items(out, frame)
    unknown_kind = ~out["kind"].isin(SCORED_KINDS)
    if unknown_kind.any():
        kinds = ", ".join(SCORED_KINDS)
        raise FrameError(
            f"{_where(out, unknown_kind, frame, 'kind')}: only scored kinds ({kinds}) belong in "
            "the answers frame; free text goes in the comments frame"
        )
    unknown_source = ~out["source"].isin(SOURCES)
    if unknown_source.any():
        raise FrameError(
            f"{_where(out, unknown_source, frame, 'source')}: must be one of {', '.join(SOURCES)}"
        )
    both = (out["dont_know"] & out["value"].notna()).to_numpy()
    if both.any():
        raise FrameError(f'{_where(out, both, frame, "value")}: a "don\'t know" has a value')
    is_relationship = (out["kind"] == "relationship").to_numpy()
    has_partner = out["about_organisation_id"].notna().to_numpy()
    if (is_relationship & ~has_partner).any():
        raise FrameError(
            f"{_where(out, is_relationship & ~has_partner, frame, 'about_organisation_id')}: "
            "a relationship answer must say which partner it is about"
        )
    if (~is_relationship & has_partner).any():
        raise FrameError(
            f"{_where(out, ~is_relationship & has_partner, frame, 'about_organisation_id')}: "
            "only relationship answers are about a partner"
        )
    duplicated = out.duplicated(
        ["response_id", "theme_key", "question_key", "about_organisation_id"]
    ).to_numpy()
    if duplicated.any():
        raise FrameError(f"{_where(out, duplicated, frame, 'question_key')}: answered twice")
    per_response = out.groupby("response_id", sort=False)[
        ["cycle_id", "role", "organisation_id", "source", "channel"]
    ].transform("nunique")
    for column in ("cycle_id", "role", "organisation_id", "source", "channel"):
        varies = (per_response[column] > 1).to_numpy()
        if varies.any():
            raise FrameError(
                f"{_where(out, varies, frame, column)}: one response must have one {column}"
            )
    if themes is not None:
        themes = validate_themes(themes)
        known = out["theme_key"].isin(themes["theme_key"]).to_numpy()
        if not known.all():
            raise FrameError(f"{_where(out, ~known, frame, 'theme_key')}: theme not in themes")
        scale = themes.set_index("theme_key")
        low = out["theme_key"].map(scale["scale_min"]).to_numpy()
        high = out["theme_key"].map(scale["scale_max"]).to_numpy()
        value = out["value"].to_numpy()
        outside = ~np.isnan(value) & ((value < low) | (value > high))
        if outside.any():
            raise FrameError(f"{_where(out, outside, frame, 'value')}: outside the theme's scale")
    return out


def _check_items(out: pd.DataFrame, frame: str) -> None:
    if "item_weight" in out.columns and (out["item_weight"] < 0).any():
        raise FrameError(f"{_where(out, out['item_weight'] < 0, frame, 'item_weight')}: negative")
    if "item_min" not in out.columns or "item_max" not in out.columns:
        return
    low, high = out["item_min"].to_numpy(), out["item_max"].to_numpy()
    inverted = ~np.isnan(low) & ~np.isnan(high) & (low >= high)
    if inverted.any():
        raise FrameError(f"{_where(out, inverted, frame, 'item_max')}: must exceed item_min")
    value = out["value"].to_numpy()
    outside = ~np.isnan(value) & ((value < low) | (value > high))
    if outside.any():
        raise FrameError(f"{_where(out, outside, frame, 'value')}: outside the question's scale")


def validate_comments(comments: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of a comments frame (free-text answers)."""
    frame = "comments"
    _require_columns(comments, frame, COMMENT_COLUMNS)
    df = comments.reset_index(drop=True)
    return pd.DataFrame(
        {
            "cycle_id": _integers(df, frame, "cycle_id"),
            "response_id": _integers(df, frame, "response_id"),
            "role": _strings(df, frame, "role"),
            "organisation_id": _integers(
                df.assign(organisation_id=df["organisation_id"].fillna(NO_ORGANISATION)),
                frame,
                "organisation_id",
            ),
            "theme_key": _strings(df, frame, "theme_key"),
            "question_key": _strings(df, frame, "question_key"),
            "text": _strings(df, frame, "text"),
        }
    )


def respondents(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per response: response_id, cycle_id, role, organisation_id, source."""
    return (
        answers[["response_id", "cycle_id", "role", "organisation_id", "source"]]
        .drop_duplicates("response_id")
        .reset_index(drop=True)
    )
