"""The maturity sections: the twelve strands, the deep x tight plane, the partnership's place
on the spectrum, and the suggested priorities (low score, high importance)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights import charts
from partnerlens.insights.analytics import maturity
from partnerlens.insights.charts.base import fmt
from partnerlens.insights.charts.text import SPECTRUM_LABELS
from partnerlens.insights.dashboard.labels import dimension_label, number
from partnerlens.insights.dashboard.parts import Context, ExportTable, Section, Table
from partnerlens.insights.data import (
    DEEP_DIMENSIONS,
    DEEP_TIGHT_FRAMEWORK,
    MATURITY_FRAMEWORK,
    TIGHT_DIMENSIONS,
)


def sections(context: Context, answers: pd.DataFrame) -> list[Section]:
    """The strands (built-in maturity framework), the deep x tight plane (built-in deep and
    tight framework) and the partnership's place on the spectrum, where known."""
    found = []
    strands = strand_section(context)
    if strands is not None:
        found.append(strands)
    position = None
    themes = context.themes
    deep = list(themes.loc[themes["dimension"].isin(DEEP_DIMENSIONS), "theme_key"])
    tight = list(themes.loc[themes["dimension"].isin(TIGHT_DIMENSIONS), "theme_key"])
    if context.frames.framework_slug == DEEP_TIGHT_FRAMEWORK and deep and tight:
        position = maturity.deep_tight_position(answers, themes, deep, tight, policy=context.policy)
        found.append(deep_tight_section(position))
    # People who answered any relationship question: the stored counts are per question, so
    # take the largest (exact with one question; with several it can only hide, never show
    # what the count over raw answers would hide).
    counted = context.frames.relationship_respondents
    level = maturity.partnership_relationship_level(
        context.frames.relationships,
        context.policy,
        respondents=max(counted.values()) if counted else None,
        open_link=context.open_link_respondents(),
    )
    spectrum = maturity.spectrum_stage(
        level,
        position.depth if position else None,
        position.tightness if position else None,
        context.frames.partnership_kind,
    )
    if spectrum.key is not None:
        found.append(spectrum_section(spectrum))
    return found


def strand_section(context: Context) -> Section | None:
    if context.frames.framework_slug != MATURITY_FRAMEWORK:
        return None
    try:
        profile = maturity.strand_profile(context.theme_table, context.themes)
    except ValueError:
        return None  # a flexed copy without the 3 x 4 shape is not drawn as one
    chart = charts.strand_bars(
        profile,
        context.labels,
        {d: dimension_label(d) for d in context.themes["dimension"]},
        translate=_,
    )
    return Section(
        "maturity",
        _("Maturity profile: the twelve strands"),
        [context.scale_text()],
        chart.svg,
        [Table.from_chart(chart.table, numeric=(2, 3))],
    )


def deep_tight_section(position: maturity.PlanePosition) -> Section:
    chart = charts.deep_tight_scatter(position, translate=_)
    paragraphs = [
        _(
            "Depth is how far the schools share and develop practice together; "
            "tightness is how firmly shared structures bind them. Both run from 0 "
            "(not at all) to 1 (completely)."
        )
    ]
    if position.quadrant and not position.settled:
        paragraphs.append(
            _("The intervals cross the middle of an axis, so the quadrant is not yet certain.")
        )
    return Section(
        "deep_tight",
        _("How deep and how tight the partnership is"),
        paragraphs,
        chart.svg,
        [Table.from_chart(chart.table, numeric=(1,))],
    )


def spectrum_section(spectrum: maturity.SpectrumPosition) -> Section:
    steps = [
        (_(label) + (" ◀ " + _("you are here") if key == spectrum.key else ""))
        for key, label in SPECTRUM_LABELS.items()
    ]
    return Section(
        "spectrum",
        _("Where the partnership sits on the spectrum"),
        [
            _(
                "From schools working alone, through informal clusters, formal "
                "partnerships and federations or chains, to chains with a shared "
                "approach to teaching and learning. This partnership: %(stage)s."
            )
            % {"stage": _(SPECTRUM_LABELS[spectrum.key])}
        ],
        tables=[
            Table(
                _("The spectrum of partnership, from loosest to tightest"),
                [_("Stage"), _("Description")],
                [[str(i + 1), step] for i, step in enumerate(steps)],
            )
        ],
    )


# --- priorities ---------------------------------------------------------------------------


def priorities_section(context: Context, table: pd.DataFrame) -> Section:
    rows = [
        [
            str(row.rank),
            context.label(row.theme_key),
            fmt(row.mean),
            fmt(row.reference),
            _("Yes") if row.clear else _("Not certain"),
        ]
        for row in table.head(5).itertuples(index=False)
    ]
    paragraphs = [
        _(
            "Themes that matter most (by the weight your framework gives them) and score "
            "furthest below your target. A theme without a target is never measured against "
            "the top of the scale: it is a priority only when it scores below the middle of "
            "the partnership's own themes, and that middle is shown as its reference."
        )
    ]
    if not rows:
        paragraphs.append(
            _("No theme is below its target, or below the middle of your themes where it has none.")
        )
    return Section(
        "priorities",
        _("Suggested priorities"),
        paragraphs,
        tables=[
            Table(
                _("Suggested priorities, most pressing first"),
                [
                    _("Rank"),
                    _("Theme"),
                    _("Mean"),
                    _("Target, or middle of your themes"),
                    _("Clearly below it"),
                ],
                rows,
                numeric=frozenset({2, 3}),
            )
        ]
        if rows
        else [],
    )


def priorities_export(context: Context, table: pd.DataFrame) -> ExportTable:
    return ExportTable(
        "priorities",
        _("Priorities"),
        [
            _("Rank"),
            _("Theme"),
            _("Mean"),
            _("Target, or middle of your themes"),
            _("Importance"),
            _("Shortfall"),
            _("Priority"),
            _("Clearly below it"),
        ],
        [
            [
                int(r.rank),
                context.label(r.theme_key),
                number(r.mean, 3),
                number(r.reference),
                number(r.importance, 3),
                number(r.shortfall, 3),
                number(r.priority, 3),
                _("Yes") if r.clear else _("No"),
            ]
            for r in table.itertuples(index=False)
        ],
    )
