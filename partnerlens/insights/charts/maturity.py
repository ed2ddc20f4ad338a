"""Charts of maturity: the 12 strands, the deep x tight plane and partner relationships."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from ..analytics.maturity import CONTINUUM, MIDPOINT, PlanePosition
from .base import (
    CHAR_EM,
    HIDDEN_NOTE,
    LABEL_SIZE,
    NO_DATA,
    PALETTE,
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
from .text import CONTINUUM_LABELS, Translate, gettext_noop, identity

PLANE_SIZE = 320
GRID_STEP = 96
QUADRANT_LABELS = {
    "deep_and_tight": gettext_noop("Deep and tight"),
    "deep_loose": gettext_noop("Deep but loose"),
    "shallow_tight": gettext_noop("Tight but shallow"),
    "shallow_loose": gettext_noop("Shallow and loose"),
}


def strand_bars(
    profile: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    dimension_labels: Mapping[str, str] | None = None,
    translate: Translate = identity,
    title: str | None = None,
) -> ChartOutput:
    """The strands as bars grouped under their dimension's heading, with 95% intervals.
    ``profile``: ``maturity.strand_profile`` output."""
    rows = profile.copy()
    rows["label"] = [str((labels or {}).get(k, k)) for k in rows["theme_key"]]
    rows["dimension_label"] = [str((dimension_labels or {}).get(d, d)) for d in rows["dimension"]]
    shown = visible(rows)
    hidden = bool(rows["suppressed"].any())
    notes = [translate(HIDDEN_NOTE)] if hidden else []
    title = title or translate(gettext_noop("Maturity profile: the strands"))
    caption = translate(gettext_noop("Mean score of each strand, by dimension"))
    description = translate(
        gettext_noop(
            "Bars show the mean score of each strand, grouped under the heading of its "
            "dimension; a line across each bar's end shows the 95% interval."
        )
    )
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        low, high = float(rows["scale_min"].min()), float(rows["scale_max"].max())
        data = shown[["label", "dimension_label", "mean", "ci_low", "ci_high"]].astype(
            {"mean": float, "ci_low": float, "ci_high": float}
        )
        data["mean_text"] = [fmt(x) for x in data["mean"]]
        data["baseline"] = low
        names, lines = wrapped_labels(rows["label"])
        data["axis_label"] = data["label"].map(names)
        x_scale = alt.Scale(domain=[low, high])
        base = alt.Chart().encode(
            y=alt.Y(
                "axis_label:N",
                sort=[names[label] for label in dict.fromkeys(rows["label"])],
                title=None,
                axis=multiline_axis(lines),
            )
        )
        bars = base.mark_bar(color=PALETTE[0], height={"band": 0.6}).encode(
            x=alt.X(
                "baseline:Q",
                scale=x_scale,
                axis=score_axis(low, high, translate(gettext_noop("Mean score"))),
            ),
            x2="mean:Q",
        )
        rules = base.mark_rule(color="black", strokeWidth=2).encode(
            x=alt.X("ci_low:Q", scale=x_scale), x2="ci_high:Q"
        )
        values = base.mark_text(align="left", dx=6, fontSize=11).encode(
            x=alt.X("ci_high:Q", scale=x_scale), text="mean_text:N"
        )
        dimensions = {d: "\n".join(wrap(d, 560)) for d in dict.fromkeys(rows["dimension_label"])}
        data["dimension_label"] = data["dimension_label"].map(dimensions)
        dimension_order = list(dimensions.values())
        chart = (
            alt.layer(bars, rules, values, data=data)
            .properties(width=380, height=alt.Step(band_step(lines, minimum=24)))
            .facet(
                row=alt.Row(
                    "dimension_label:N",
                    sort=dimension_order,
                    title=None,
                    header=alt.Header(
                        labelOrient="top",
                        labelAnchor="start",
                        labelAngle=0,
                        labelAlign="left",
                        labelFontWeight="bold",
                        labelLimit=0,
                        labelExpr="split(datum.label, '\\n')",
                    ),
                )
            )
            .resolve_scale(y="independent")
        )
    chart = titled(chart, title, notes)
    headers = [
        translate(gettext_noop("Dimension")),
        translate(gettext_noop("Strand")),
        *(translate(header) for header in STAT_HEADERS),
    ]
    body = [
        [row.dimension_label, row.label, *stat_cells(row, translate)]
        for row in rows.itertuples(index=False)
    ]
    return ChartOutput(render(chart, title, description), data_table(caption, headers, body, notes))


def deep_tight_scatter(
    position: PlanePosition, translate: Translate = identity, title: str | None = None
) -> ChartOutput:
    """One point on the deep x tight plane with its intervals on both axes, and the four
    quadrants named in their corners."""
    title = title or translate(gettext_noop("How deep and how tight the partnership is"))
    caption = translate(gettext_noop("Position on the deep and tight plane (0 to 1)"))
    description = translate(
        gettext_noop(
            "A square split into four named quadrants: depth of practice sharing runs from "
            "left to right, firmness of shared structures from bottom to top. A single "
            "marker shows the partnership, with lines for the 95% interval on each axis."
        )
    )
    corners = [  # (x, y, align, baseline, quadrant): each name inside its own corner
        (0.02, 0.98, "left", "top", "shallow_tight"),
        (0.98, 0.98, "right", "top", "deep_and_tight"),
        (0.02, 0.02, "left", "bottom", "shallow_loose"),
        (0.98, 0.02, "right", "bottom", "deep_loose"),
    ]
    unit = alt.Scale(domain=[0, 1])
    x_title = translate(gettext_noop("Depth: sharing of practice"))
    y_title = translate(gettext_noop("Tightness: firmness of shared structures"))
    layers = [
        alt.Chart(pd.DataFrame({"v": [MIDPOINT]}))
        .mark_rule(strokeDash=[4, 4], color="grey")
        .encode(x="v:Q"),
        alt.Chart(pd.DataFrame({"v": [MIDPOINT]}))
        .mark_rule(strokeDash=[4, 4], color="grey")
        .encode(y="v:Q"),
    ]
    for x, y, align, baseline, quadrant in corners:
        # Names wrap to less than half the width, so the two in a row never meet; the lower
        # ones are lifted by their extra lines so they stay above the axis.
        lines = wrap(translate(QUADRANT_LABELS[quadrant]), PLANE_SIZE / 2 - 16, 11)
        lift = -(len(lines) - 1) * 14 if baseline == "bottom" else 0
        layers.append(
            alt.Chart(alt.Data(values=[{"x": x, "y": y, "text": lines}]))
            .mark_text(
                align=align,
                baseline=baseline,
                fontSize=11,
                fontStyle="italic",
                lineHeight=14,
                dy=lift,
            )
            .encode(
                x=alt.X("x:Q", scale=unit, title=x_title),
                y=alt.Y("y:Q", scale=unit, title=y_title),
                text="text:N",
            )
        )
    notes: list[str] = []
    if position.depth is not None and position.tightness is not None:
        point = pd.DataFrame(
            {
                "depth": [position.depth],
                "tightness": [position.tightness],
                "depth_low": [position.depth_ci[0] if position.depth_ci else position.depth],
                "depth_high": [position.depth_ci[1] if position.depth_ci else position.depth],
                "tight_low": [
                    position.tightness_ci[0] if position.tightness_ci else position.tightness
                ],
                "tight_high": [
                    position.tightness_ci[1] if position.tightness_ci else position.tightness
                ],
                "name": [translate(gettext_noop("This partnership"))],
            }
        )
        base = alt.Chart(point)
        layers += [
            base.mark_rule(strokeWidth=2).encode(
                x=alt.X("depth_low:Q", scale=unit), x2="depth_high:Q", y="tightness:Q"
            ),
            base.mark_rule(strokeWidth=2).encode(
                y=alt.Y("tight_low:Q", scale=unit), y2="tight_high:Q", x="depth:Q"
            ),
            # Named in a legend, not beside the marker, where it could cover a corner name.
            base.mark_point(filled=True, size=220, color="black", opacity=1).encode(
                x="depth:Q",
                y="tightness:Q",
                shape=alt.Shape(
                    "name:N",
                    scale=alt.Scale(range=["diamond"]),
                    legend=alt.Legend(title=None, orient="bottom", labelLimit=0),
                ),
            ),
        ]
    else:
        notes.append(translate(HIDDEN_NOTE) if position.suppressed else translate(NO_DATA))
    chart = titled(
        alt.layer(*layers).properties(width=PLANE_SIZE, height=PLANE_SIZE), title, notes, 320
    )
    headers = [
        translate(gettext_noop("Axis")),
        translate(gettext_noop("Position")),
        translate(gettext_noop("95% interval")),
    ]
    rows = []
    for name, value, interval in (
        (x_title, position.depth, position.depth_ci),
        (y_title, position.tightness, position.tightness_ci),
    ):
        if value is None:
            rows.append([name, suppressed_text(translate), suppressed_text(translate)])
        else:
            low, high = interval if interval else (None, None)
            rows.append([name, fmt(value), fmt_interval(low, high, translate)])
    if position.quadrant:
        rows.append(
            [translate(gettext_noop("Quadrant")), translate(QUADRANT_LABELS[position.quadrant]), ""]
        )
    return ChartOutput(render(chart, title, description), data_table(caption, headers, rows, notes))


def continuum_grid(
    levels: pd.DataFrame,
    organisation_labels: Mapping[int, str] | None = None,
    translate: Translate = identity,
    title: str | None = None,
) -> ChartOutput:
    """A grid of member organisations where each visible pair's cell names its continuum
    level (shade deepens with the level, but the words carry the meaning).
    ``levels``: ``maturity.relationship_levels`` output."""
    names = organisation_labels or {}
    rows = levels.copy()
    rows["name_a"] = [str(names.get(o, o)) for o in rows["organisation_a"]]
    rows["name_b"] = [str(names.get(o, o)) for o in rows["organisation_b"]]
    hidden = bool(rows["suppressed"].any()) if len(rows) else False
    notes = [translate(HIDDEN_NOTE)] if hidden else []
    title = title or translate(gettext_noop("How closely each pair of partners works together"))
    caption = translate(gettext_noop("Continuum level of each partner relationship"))
    description = translate(
        gettext_noop(
            "A grid with the member organisations along both sides. Each cell names the level "
            "of the relationship between the two organisations, from none to collaboration. "
            "Empty cells have too few answers to show."
        )
    )
    shown = visible(rows)
    if shown.empty:
        chart = empty_chart(translate(NO_DATA))
    else:
        order = sorted(set(rows["name_a"]) | set(rows["name_b"]), key=str)
        mirrored = pd.concat(
            [
                shown.assign(x=shown["name_a"], y=shown["name_b"]),
                shown.assign(x=shown["name_b"], y=shown["name_a"]),
            ],
            ignore_index=True,
        )
        mirrored["level_text"] = [translate(CONTINUUM_LABELS[k]) for k in mirrored["level_key"]]
        mirrored["level"] = mirrored["level"].astype(float)
        # Columns wide enough for the longest word of a name (up to a limit), so names
        # wrap between words rather than inside them.
        longest = max((len(word) for name in order for word in name.split()), default=1)
        step = min(180, max(GRID_STEP, longest * LABEL_SIZE * CHAR_EM + 12))
        columns = {name: "\n".join(wrap(name, step - 10)) for name in order}
        names, lines = wrapped_labels(order)
        mirrored["x"] = mirrored["x"].map(columns)
        mirrored["y"] = mirrored["y"].map(names)
        base = alt.Chart(mirrored[["x", "y", "level", "level_text"]]).encode(
            x=alt.X(
                "x:N",
                sort=[columns[name] for name in order],
                title=None,
                axis=alt.Axis(
                    labelAngle=0,
                    labelExpr="split(datum.label, '\\n')",
                    labelLineHeight=15,
                    labelLimit=0,
                ),
            ),
            y=alt.Y(
                "y:N", sort=[names[name] for name in order], title=None, axis=multiline_axis(lines)
            ),
        )
        cells = base.mark_rect(stroke="white").encode(
            color=alt.Color(
                "level:Q",
                scale=alt.Scale(domain=[0, len(CONTINUUM) - 1], scheme="blues"),
                legend=None,
            )
        )
        text = base.mark_text(fontSize=10).encode(
            text="level_text:N",
            color=alt.condition("datum.level >= 3", alt.value("white"), alt.value("black")),
        )
        chart = alt.layer(cells, text).properties(
            width=alt.Step(step), height=alt.Step(band_step(lines, minimum=34))
        )
    chart = titled(chart, title, notes)
    headers = [
        translate(gettext_noop("Organisation")),
        translate(gettext_noop("Partner")),
        translate(gettext_noop("Level")),
        translate(gettext_noop("Median answer")),
        translate(gettext_noop("People answering")),
    ]
    body = []
    for row in rows.itertuples(index=False):
        if row.suppressed:
            body.append([row.name_a, row.name_b, *[suppressed_text(translate)] * 3])
        else:
            body.append(
                [
                    row.name_a,
                    row.name_b,
                    translate(CONTINUUM_LABELS[row.level_key]),
                    fmt(row.median, 1),
                    fmt(row.n_respondents, 0),
                ]
            )
    return ChartOutput(render(chart, title, description), data_table(caption, headers, body, notes))
