"""Charts of scores: theme bars with intervals and targets, role dots, trends over cycles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ..analytics.text import Translate, gettext_noop, identity
from .base import (
    DASHES,
    HIDDEN_NOTE,
    NO_DATA,
    PALETTE,
    SHAPES,
    STAT_HEADERS,
    ChartOutput,
    data_table,
    empty_chart,
    fmt,
    fmt_interval,
    render,
    stat_cells,
    suppressed_text,
)

PROGRESS_LABELS = {
    "above_target": gettext_noop("Above target"),
    "below_target": gettext_noop("Below target"),
    "around_target": gettext_noop("Around target"),
}


def _label(mapping: Mapping | None, key: object) -> str:
    return str((mapping or {}).get(key, key))


def _notes(hidden: bool, translate: Translate) -> list[str]:
    return [translate(HIDDEN_NOTE)] if hidden else []


def theme_bars(
    table: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    translate: Translate = identity,
    title: str | None = None,
) -> ChartOutput:
    """Each theme's partnership score as a bar, its 95% interval as a line and its target as
    a diamond. ``table``: a protected theme breakdown (one cycle)."""
    rows = table[table["group"] == "partnership"].copy()
    rows["label"] = [_label(labels, k) for k in rows["theme_key"]]
    shown = rows[~rows["suppressed"]]
    title = title or translate(gettext_noop("Scores by theme"))
    caption = translate(gettext_noop("Scores by theme, with 95% intervals and targets"))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    description = translate(
        gettext_noop(
            "Horizontal bars show the mean score of each theme. A line across the end of each "
            "bar shows its 95% interval; a diamond marks the target level. The table below "
            "gives the same figures."
        )
    )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
        order = list(rows["label"])
        data = shown[["label", "mean", "ci_low", "ci_high", "target_level"]].astype(
            {"mean": float, "ci_low": float, "ci_high": float, "target_level": float}
        )
        data["target_name"] = translate(gettext_noop("Target level"))
        data["baseline"] = low
        data["mean_text"] = [fmt(x) for x in data["mean"]]
        base = alt.Chart(data).encode(
            y=alt.Y("label:N", sort=order, title=None),
        )
        x_scale = alt.Scale(domain=[low, high])
        mean_title = translate(gettext_noop("Mean score"))
        # Bars start at the bottom of the scale, not at zero, which may lie off the scale.
        bars = base.mark_bar(color=PALETTE[5], height={"band": 0.6}).encode(
            x=alt.X("baseline:Q", scale=x_scale, title=mean_title), x2="mean:Q"
        )
        interval = base.mark_rule(color="black", strokeWidth=2).encode(
            x=alt.X("ci_low:Q", scale=x_scale), x2="ci_high:Q"
        )
        targets = (
            base.transform_filter("isValid(datum.target_level)")
            .mark_point(shape="diamond", filled=True, size=140, color="black")
            .encode(
                x=alt.X("target_level:Q", scale=x_scale),
                shape=alt.Shape("target_name:N", title=None, scale=alt.Scale(range=["diamond"])),
            )
        )
        values = base.mark_text(align="left", dx=6, fontSize=11).encode(
            x=alt.X("ci_high:Q", scale=x_scale), text="mean_text:N"
        )
        chart = alt.layer(bars, interval, targets, values).properties(
            width=420, height=alt.Step(28)
        )
    chart = chart.properties(title=alt.TitleParams(title, subtitle=notes or ""))
    headers = [
        translate(gettext_noop("Theme")),
        translate(gettext_noop("Responses")),
        translate(gettext_noop("Don't know")),
        translate(gettext_noop("Mean")),
        translate(gettext_noop("95% interval")),
        translate(gettext_noop("Target")),
        translate(gettext_noop("Progress")),
    ]
    body = []
    for row in rows.itertuples(index=False):
        if row.suppressed:
            body.append(
                [row.label, *[suppressed_text(translate)] * 4, fmt(_get(row, "target_level")), ""]
            )
            continue
        progress = _get(row, "progress")
        body.append(
            [
                row.label,
                str(row.n),
                str(row.n_dont_know),
                fmt(row.mean),
                fmt_interval(row.ci_low, row.ci_high, translate),
                fmt(_get(row, "target_level")),
                translate(PROGRESS_LABELS[progress]) if progress in PROGRESS_LABELS else "",
            ]
        )
    return ChartOutput(render(chart, title, description), data_table(caption, headers, body, notes))


def _get(row: object, name: str) -> object:
    return getattr(row, name, None)


def role_gap_dots(
    table: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    role_labels: Mapping[str, str] | None = None,
    roles: Sequence[str] | None = None,
    translate: Translate = identity,
    title: str | None = None,
) -> ChartOutput:
    """Each role's mean per theme as a dot (a different shape per role) with its interval.
    ``table``: a protected theme breakdown (one cycle); ``roles`` limits and orders roles."""
    rows = table[table["group"] == "role"].copy()
    if roles is not None:
        rows = rows[rows["role"].isin(list(roles))]
        rows["_order"] = rows["role"].map({r: i for i, r in enumerate(roles)})
        rows = rows.sort_values(["theme_key", "_order"], kind="stable")
    rows["label"] = [_label(labels, k) for k in rows["theme_key"]]
    rows["role_label"] = [_label(role_labels, r) for r in rows["role"]]
    theme_order = list(
        dict.fromkeys(
            _label(labels, k) for k in table.loc[table["group"] == "partnership", "theme_key"]
        )
    )
    shown = rows[~rows["suppressed"]]
    # Only drawn roles go in the legend: a hidden role must not even appear as a key.
    role_order = list(dict.fromkeys(shown["role_label"]))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    title = title or translate(gettext_noop("How each role sees each theme"))
    caption = translate(gettext_noop("Mean score by theme and role, with 95% intervals"))
    description = translate(
        gettext_noop(
            "For each theme, one marker per role shows that role's mean score; each role has "
            "its own marker shape, named in the legend. Lines show 95% intervals. Markers far "
            "apart mean the roles see the theme differently."
        )
    )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
        data = shown[["label", "role_label", "mean", "ci_low", "ci_high"]].astype(
            {"mean": float, "ci_low": float, "ci_high": float}
        )
        x_scale = alt.Scale(domain=[low, high])
        role = alt.Color(
            "role_label:N",
            sort=role_order,
            scale=alt.Scale(domain=role_order, range=list(PALETTE)),
            title=translate(gettext_noop("Role")),
        )
        shape = alt.Shape(
            "role_label:N",
            sort=role_order,
            scale=alt.Scale(domain=role_order, range=list(SHAPES)),
            title=translate(gettext_noop("Role")),
        )
        base = alt.Chart(data).encode(
            y=alt.Y("label:N", sort=theme_order, title=None),
            yOffset=alt.YOffset("role_label:N", sort=role_order),
        )
        rules = base.mark_rule(strokeWidth=1.5).encode(
            x=alt.X("ci_low:Q", scale=x_scale), x2="ci_high:Q", color=role
        )
        dots = base.mark_point(filled=True, size=90, opacity=1).encode(
            x=alt.X("mean:Q", scale=x_scale, title=translate(gettext_noop("Mean score"))),
            color=role,
            shape=shape,
        )
        chart = alt.layer(rules, dots).properties(width=420, height=alt.Step(14))
    chart = chart.properties(title=alt.TitleParams(title, subtitle=notes or ""))
    headers = [
        translate(gettext_noop("Theme")),
        translate(gettext_noop("Role")),
        *(translate(header) for header in STAT_HEADERS),
    ]
    body = [
        [row.label, row.role_label, *stat_cells(row, translate)]
        for row in rows.itertuples(index=False)
    ]
    return ChartOutput(render(chart, title, description), data_table(caption, headers, body, notes))


def trend_lines(
    table: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    cycle_label: str = "label",
    translate: Translate = identity,
    title: str | None = None,
) -> ChartOutput:
    """Partnership score per theme across cycles: a line per theme (its own dash and marker
    shape, named at its end) inside a shaded 95% band. ``table``: ``trends.trend`` output."""
    rows = table[table["group"] == "partnership"].copy()
    if cycle_label not in rows.columns:
        rows[cycle_label] = rows["cycle_id"].astype(str)
    rows = rows.sort_values(["order", "theme_key"], kind="stable")
    rows["theme_label"] = [_label(labels, k) for k in rows["theme_key"]]
    rows["cycle"] = rows[cycle_label].astype(str)
    cycle_order = list(dict.fromkeys(rows["cycle"]))
    shown = rows[~rows["suppressed"]]
    theme_order = list(dict.fromkeys(shown.sort_values("theme_key")["theme_label"]))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    title = title or translate(gettext_noop("Scores over time"))
    caption = translate(gettext_noop("Scores by theme in each cycle, with 95% intervals"))
    description = translate(
        gettext_noop(
            "One line per theme joins its mean score in each cycle, in time order. Each line "
            "has its own dash pattern and marker shape and is named at its last point; the "
            "shaded band around it is the 95% interval."
        )
    )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
        data = shown[["cycle", "theme_label", "mean", "ci_low", "ci_high", "order"]].astype(
            {"mean": float, "ci_low": float, "ci_high": float}
        )
        y_scale = alt.Scale(domain=[low, high])
        series = alt.Color(
            "theme_label:N",
            sort=theme_order,
            scale=alt.Scale(domain=theme_order, range=list(PALETTE)),
            title=translate(gettext_noop("Theme")),
        )
        x = alt.X("cycle:N", sort=cycle_order, title=translate(gettext_noop("Cycle")))
        base = alt.Chart(data).encode(x=x)
        band = base.mark_area(opacity=0.15).encode(
            y=alt.Y("ci_low:Q", scale=y_scale), y2="ci_high:Q", color=series
        )
        line = base.mark_line(strokeWidth=2).encode(
            y=alt.Y("mean:Q", scale=y_scale, title=translate(gettext_noop("Mean score"))),
            color=series,
            strokeDash=alt.StrokeDash(
                "theme_label:N",
                sort=theme_order,
                scale=alt.Scale(domain=theme_order, range=[list(d) for d in DASHES]),
                legend=None,
            ),
        )
        points = base.mark_point(filled=True, size=70).encode(
            y=alt.Y("mean:Q", scale=y_scale),
            color=series,
            shape=alt.Shape(
                "theme_label:N",
                sort=theme_order,
                scale=alt.Scale(domain=theme_order, range=list(SHAPES)),
                title=translate(gettext_noop("Theme")),
            ),
        )
        last = data.sort_values("order").groupby("theme_label", sort=False).tail(1)
        names = (
            alt.Chart(last)
            .mark_text(align="left", dx=8, fontSize=11)
            .encode(x=x, y=alt.Y("mean:Q", scale=y_scale), text="theme_label:N")
        )
        chart = alt.layer(band, line, points, names).properties(width=420, height=260)
    chart = chart.properties(title=alt.TitleParams(title, subtitle=notes or ""))
    headers = [
        translate(gettext_noop("Theme")),
        translate(gettext_noop("Cycle")),
        *(translate(header) for header in STAT_HEADERS),
        translate(gettext_noop("Change since previous cycle")),
    ]
    body = []
    for row in rows.sort_values(["theme_key", "order"], kind="stable").itertuples(index=False):
        if row.suppressed:
            body.append(
                [
                    row.theme_label,
                    row.cycle,
                    *stat_cells(row, translate),
                    suppressed_text(translate),
                ]
            )
            continue
        change = _get(row, "change")
        change_text = ""
        if fmt(change):
            interval = fmt_interval(row.change_ci_low, row.change_ci_high, translate)
            change_text = f"{float(change):+.2f} ({interval})"
        body.append(
            [
                row.theme_label,
                row.cycle,
                *stat_cells(row, translate),
                change_text,
            ]
        )
    return ChartOutput(render(chart, title, description), data_table(caption, headers, body, notes))
