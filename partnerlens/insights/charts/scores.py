"""Charts of scores: theme bars with intervals and targets, role dots, trends over cycles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from .base import (
    CHAR_EM,
    HIDDEN_NOTE,
    NO_DATA,
    PALETTE,
    SHAPES,
    STAT_HEADERS,
    ChartOutput,
    band_step,
    data_table,
    empty_chart,
    fmt,
    fmt_interval,
    multiline_axis,
    render,
    score_axis,
    stat_cells,
    suppressed_text,
    titled,
    visible,
    wrap,
    wrapped_labels,
)
from .text import Translate, gettext_noop, identity

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
    a diamond. ``table``: a protected theme breakdown (one cycle). Without any target (a
    cycle whose framework sets none) there are no diamonds, and the table has no target or
    progress columns."""
    rows = table[table["group"] == "partnership"].copy()
    rows["label"] = [_label(labels, k) for k in rows["theme_key"]]
    shown = visible(rows)
    with_targets = "target_level" in rows and bool(rows["target_level"].notna().any())
    title = title or translate(gettext_noop("Scores by theme"))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    if with_targets:
        # xgettext:no-python-format
        caption = translate(gettext_noop("Scores by theme, with 95% intervals and targets"))
        description = translate(
            gettext_noop(
                # xgettext:no-python-format
                "Horizontal bars show the mean score of each theme. A line across the end of "
                "each bar shows its 95% interval; a diamond marks the target level. The table "
                "below gives the same figures."
            )
        )
    else:
        # xgettext:no-python-format
        caption = translate(gettext_noop("Scores by theme, with 95% intervals"))
        description = translate(
            gettext_noop(
                # xgettext:no-python-format
                "Horizontal bars show the mean score of each theme. A line across the end of "
                "each bar shows its 95% interval. The table below gives the same figures."
            )
        )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
        names, lines = wrapped_labels(rows["label"])
        order = [names[label] for label in dict.fromkeys(rows["label"])]
        data = shown[["label", "mean", "ci_low", "ci_high", "target_level"]].astype(
            {"mean": float, "ci_low": float, "ci_high": float, "target_level": float}
        )
        data["axis_label"] = data["label"].map(names)
        data["target_name"] = translate(gettext_noop("Target level"))
        data["baseline"] = low
        data["mean_text"] = [fmt(x) for x in data["mean"]]
        base = alt.Chart(data).encode(
            y=alt.Y("axis_label:N", sort=order, title=None, axis=multiline_axis(lines)),
        )
        x_scale = alt.Scale(domain=[low, high])
        mean_title = translate(gettext_noop("Mean score"))
        # Bars start at the bottom of the scale, not at zero, which may lie off the scale.
        bars = base.mark_bar(color=PALETTE[5], height={"band": 0.6}).encode(
            x=alt.X("baseline:Q", scale=x_scale, axis=score_axis(low, high, mean_title)),
            x2="mean:Q",
        )
        interval = base.mark_rule(color="black", strokeWidth=2).encode(
            x=alt.X("ci_low:Q", scale=x_scale), x2="ci_high:Q"
        )
        # The mean is written inside the plot, left of the bar's end where there is room.
        values = base.mark_text(align="left", dx=6, fontSize=11).encode(
            x=alt.X("ci_high:Q", scale=x_scale), text="mean_text:N"
        )
        layers = [bars, interval, values]
        # A layer of targets only where there are targets: an empty layer with a legend
        # makes Vega lay the chart out at an infinite size (a cycle without targets).
        if data["target_level"].notna().any():
            layers.append(
                base.transform_filter("isValid(datum.target_level)")
                .mark_point(shape="diamond", filled=True, size=140, color="black")
                .encode(
                    x=alt.X("target_level:Q", scale=x_scale),
                    shape=alt.Shape(
                        "target_name:N",
                        title=None,
                        scale=alt.Scale(range=["diamond"]),
                        legend=alt.Legend(orient="top", labelLimit=0),
                    ),
                )
            )
        chart = alt.layer(*layers).properties(width=420, height=alt.Step(band_step(lines)))
    chart = titled(chart, title, notes)
    headers = [
        translate(gettext_noop("Theme")),
        translate(gettext_noop("Responses")),
        translate(gettext_noop("Don't know")),
        translate(gettext_noop("Mean")),
        # xgettext:no-python-format
        translate(gettext_noop("95% interval")),
    ]
    if with_targets:
        headers += [translate(gettext_noop("Target")), translate(gettext_noop("Progress"))]
    body = []
    for row in rows.itertuples(index=False):
        progress = _get(row, "progress")
        target = (
            [
                fmt(_get(row, "target_level")),
                translate(PROGRESS_LABELS[progress])
                if progress in PROGRESS_LABELS and not row.suppressed
                else "",
            ]
            if with_targets
            else []
        )
        if row.suppressed:
            body.append([row.label, *[suppressed_text(translate)] * 4, *target])
            continue
        body.append(
            [
                row.label,
                str(row.n),
                str(row.n_dont_know),
                fmt(row.mean),
                fmt_interval(row.ci_low, row.ci_high, translate),
                *target,
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
    shown = visible(rows)
    # Only drawn roles go in the legend: a hidden role must not even appear as a key.
    role_order = list(dict.fromkeys(shown["role_label"]))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    title = title or translate(gettext_noop("How each role sees each theme"))
    # xgettext:no-python-format
    caption = translate(gettext_noop("Mean score by theme and role, with 95% intervals"))
    description = translate(
        gettext_noop(
            # xgettext:no-python-format
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
            legend=alt.Legend(labelLimit=0),
        )
        shape = alt.Shape(
            "role_label:N",
            sort=role_order,
            scale=alt.Scale(domain=role_order, range=list(SHAPES)),
            title=translate(gettext_noop("Role")),
        )
        names, lines = wrapped_labels(theme_order)
        data["axis_label"] = data["label"].map(names)
        base = alt.Chart(data).encode(
            y=alt.Y(
                "axis_label:N",
                sort=[names[label] for label in theme_order],
                title=None,
                axis=multiline_axis(lines),
            ),
            yOffset=alt.YOffset("role_label:N", sort=role_order),
        )
        rules = base.mark_rule(strokeWidth=1.5).encode(
            x=alt.X("ci_low:Q", scale=x_scale), x2="ci_high:Q", color=role
        )
        dots = base.mark_point(filled=True, size=90, opacity=1).encode(
            x=alt.X(
                "mean:Q",
                scale=x_scale,
                axis=score_axis(low, high, translate(gettext_noop("Mean score"))),
            ),
            color=role,
            shape=shape,
        )
        # Each theme's band holds one row per role and is at least as tall as its label.
        step = max(14.0, band_step(lines, minimum=0) / max(1, len(role_order)))
        chart = alt.layer(rules, dots).properties(width=420, height=alt.Step(step))
    chart = titled(chart, title, notes)
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
    """Partnership score per theme across cycles as small multiples: one small chart per
    theme, named above it, with the mean in each cycle joined by a line inside a shaded 95%
    band, all on the same scale. ``table``: ``trends.trend`` output (columns ``group``,
    ``order``, ``theme_key``, ``cycle_id`` or ``cycle_label``, ``suppressed``, ``mean``,
    ``ci_low``, ``ci_high``, ``scale_min``, ``scale_max``, optionally ``change``,
    ``change_ci_low``, ``change_ci_high``). The table's columns are Theme, Cycle,
    Responses, Mean, 95% interval and Change since previous cycle, one row per theme and
    cycle, themes together in time order."""
    rows = table[table["group"] == "partnership"].copy()
    if cycle_label not in rows.columns:
        rows[cycle_label] = rows["cycle_id"].astype(str)
    rows = rows.sort_values(["order", "theme_key"], kind="stable")
    rows["theme_label"] = [_label(labels, k) for k in rows["theme_key"]]
    rows["cycle"] = rows[cycle_label].astype(str)
    cycle_order = list(dict.fromkeys(rows["cycle"]))
    shown = visible(rows)
    theme_order = list(dict.fromkeys(shown.sort_values("theme_key")["theme_label"]))
    hidden = bool(rows["suppressed"].any())
    notes = _notes(hidden, translate)
    title = title or translate(gettext_noop("Scores over time"))
    # xgettext:no-python-format
    caption = translate(gettext_noop("Scores by theme in each cycle, with 95% intervals"))
    description = translate(
        gettext_noop(
            # xgettext:no-python-format
            "One small chart per theme, each named above it and all on the same scale. In "
            "each, a line joins the theme's mean score in each cycle, in time order, and the "
            "shaded band around it is the 95% interval."
        )
    )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        chart = _small_multiples(rows, shown, theme_order, cycle_order, translate)
    chart = titled(chart, title, notes)
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


PANEL_MIN_WIDTH, CYCLE_WIDTH, PANEL_HEIGHT, ROW_WIDTH = 140, 46, 100, 700


def _small_multiples(
    rows: pd.DataFrame,
    shown: pd.DataFrame,
    theme_order: list[str],
    cycle_order: list[str],
    translate: Translate,
) -> alt.TopLevelMixin:
    """One small chart per theme (see ``trend_lines``), as many to a row as fit in
    ``ROW_WIDTH`` pixels. Cycle names and theme names are wrapped, never cut short."""
    low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
    data = shown[["cycle", "theme_label", "mean", "ci_low", "ci_high", "order"]].astype(
        {"mean": float, "ci_low": float, "ci_high": float}
    )
    # Each cycle's place is wide enough for the longest word of its name (up to a limit),
    # so names wrap between words.
    longest = max((len(word) for name in cycle_order for word in name.split()), default=1)
    step = min(90.0, max(CYCLE_WIDTH, longest * 10 * CHAR_EM + 8))
    width = max(PANEL_MIN_WIDTH, step * len(cycle_order))
    step = width / max(1, len(cycle_order))
    cycles = {c: "\n".join(wrap(c, step - 8, 10)) for c in cycle_order}
    data["cycle_text"] = data["cycle"].map(cycles)
    columns = max(1, int(ROW_WIDTH // (width + 40)))
    y_scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    x = alt.X(
        "cycle_text:N",
        sort=[cycles[c] for c in cycle_order],
        title=None,
        scale=alt.Scale(domain=[cycles[c] for c in cycle_order]),
        axis=alt.Axis(
            labelExpr="split(datum.label, '\\n')",
            labelAngle=0,
            labelFontSize=10,
            labelLineHeight=12,
            labelLimit=0,
        ),
    )
    y_axis = score_axis(low, high, None, labelFontSize=10, grid=True)
    panels = []
    for theme in theme_order:
        mine = data[data["theme_label"] == theme]
        base = alt.Chart(mine).encode(x=x)
        band = base.mark_area(opacity=0.2, color=PALETTE[0]).encode(
            y=alt.Y("ci_low:Q", scale=y_scale, axis=y_axis), y2="ci_high:Q"
        )
        line = base.mark_line(strokeWidth=2, color=PALETTE[0]).encode(
            y=alt.Y("mean:Q", scale=y_scale, axis=y_axis)
        )
        points = base.mark_point(filled=True, size=50, color=PALETTE[0]).encode(
            y=alt.Y("mean:Q", scale=y_scale, axis=y_axis)
        )
        panels.append(
            alt.layer(band, line, points).properties(
                width=width,
                height=PANEL_HEIGHT,
                title=alt.TitleParams(wrap(theme, width, 12), fontSize=12, anchor="start"),
            )
        )
    return alt.concat(*panels, columns=columns, spacing=24)
