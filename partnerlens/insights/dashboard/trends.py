"""Change over time: the same questions followed across the lineage's cycles.

The chart and the per-cycle table show each cycle's plain mean. The change between cycles
is ``analytics.trends.fair_trend`` (within roles at a fixed role mix, pairing the same people
where the anonymity mode allows, not compared where the questions changed), and whether it
stands out is decided with every other comparison of the release
(``analytics.multiplicity.release_findings``).
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.core.bilingual import localised
from partnerlens.insights import charts
from partnerlens.insights.analytics.trends import fair_trend, trend
from partnerlens.insights.charts.base import fmt_interval
from partnerlens.insights.dashboard.labels import number, suppressed_text
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table


def changes(context: Context) -> pd.DataFrame | None:
    """The fair change of every theme between consecutive cycles (None without history)."""
    frames = context.frames
    if len(frames.cycles) < 2 or frames.history.empty:
        return None
    return fair_trend(
        frames.history,
        context.themes,
        frames.cycles,
        policy=context.policy,
        questions=getattr(frames, "questions", None),
    )


def _labels(context: Context) -> dict:
    """Each cycle's title in the page's language (``label_cy`` beside ``label``)."""
    return {row.cycle_id: localised(row, "label") for row in context.frames.cycles.itertuples()}


def _verdict(row) -> str:
    if row.questions_changed:
        return _("Questions changed: not compared")
    if pd.isna(row.p_value):
        return _("Not compared")
    return _("Yes") if row.clear else _("No")


def section(
    context: Context, found: pd.DataFrame | None
) -> tuple[Section | None, ExportTable | None]:
    frames = context.frames
    if len(frames.cycles) < 2 or frames.history.empty or found is None:
        return None, None
    names = _labels(context)
    # Each cycle's title in the reader's language, in the chart and the tables alike.
    cycles = frames.cycles.assign(label=frames.cycles["cycle_id"].map(names))
    table = trend(
        frames.history,
        context.themes,
        cycles,
        policy=context.policy,
        groupings=("partnership",),
    )
    chart = charts.trend_lines(table, context.labels, translate=_)
    by_cycle = found.set_index(["theme_key", "cycle_id"]) if len(found) else None
    rows: list[list[Cell]] = []
    for row in table.sort_values(["theme_key", "order"]).itertuples(index=False):
        theme = context.label(row.theme_key)
        if row.suppressed:
            rows.append([theme, row.label, *[suppressed_text()] * 8])
            continue
        change = _change_of(by_cycle, row.theme_key, row.cycle_id)
        rows.append(
            [
                theme,
                row.label,
                int(row.n),
                number(row.mean, 3),
                number(row.ci_low, 3),
                number(row.ci_high, 3),
                None if change is None else number(change.change, 3),
                None if change is None else number(change.change_ci_low, 3),
                None if change is None else number(change.change_ci_high, 3),
                "" if change is None else _verdict(change),
            ]
        )
    export = ExportTable(
        "trends",
        _("Trends"),
        [
            _("Theme"),
            _("Cycle"),
            _("Responses"),
            _("Mean"),
            _("95% interval from"),
            _("95% interval to"),
            _("Change since previous cycle, at a fixed mix of roles"),
            _("95% interval of the change from"),
            _("95% interval of the change to"),
            _("Change stands out beyond chance"),
        ],
        rows,
    )
    tables = [Table.from_chart(chart.table, numeric=(2, 3))]
    change_rows = [
        [
            context.label(row.theme_key),
            str(names.get(row.previous_cycle_id, "")),
            str(names.get(row.cycle_id, "")),
            "" if pd.isna(row.change) else f"{row.change:+.2f}",
            "" if pd.isna(row.change) else fmt_interval(row.change_ci_low, row.change_ci_high, _),
            _verdict(row),
        ]
        for row in found.itertuples(index=False)
    ]
    if change_rows:
        tables.append(changes_table(change_rows))
    return Section(
        "trends", _("Change over time"), paragraphs(context, found), chart.svg, tables
    ), export


def changes_table(rows: list[list[Cell]]) -> Table:
    """The fair changes between cycles (theme, from, to, change, interval, verdict)."""
    return Table(
        _("Change since the previous cycle, at a fixed mix of roles"),
        [
            _("Theme"),
            _("From"),
            _("To"),
            _("Change"),
            _("95% interval of the change"),
            _("Stands out beyond chance"),
        ],
        rows,
        numeric=frozenset({3}),
    )


def _change_of(by_cycle: pd.DataFrame | None, theme_key: str, cycle_id: object):
    if by_cycle is None or (theme_key, cycle_id) not in by_cycle.index:
        return None
    found = by_cycle.loc[(theme_key, cycle_id)]
    found = found.iloc[0] if isinstance(found, pd.DataFrame) else found
    return _Row(found)


class _Row:
    """Attribute access to one row of the change table (as ``itertuples`` gives)."""

    def __init__(self, series: pd.Series):
        self.__dict__.update(series.to_dict())


def paragraphs(context: Context, found: pd.DataFrame) -> list[str]:
    said = [
        _(
            "The same questions followed across the partnership's cycles on this framework. "
            "Each change compares like with like: it is worked out within each role and "
            "weighted to the same mix of roles in both cycles, so a cycle in which, say, more "
            "parents answered does not move a theme by itself. Where the same people answered "
            "both cycles of a named or confidential enquiry, their two answers are paired."
        ),
        _(
            "A change stands out beyond chance only when it survives a check across every "
            "comparison in these results (a false discovery rate of 5%%)."
        ).replace("%%", "%"),
    ]
    tested = found[found["p_value"].notna()] if len(found) else found
    if len(tested) and not tested["clear"].any():
        said.append(_("No theme has changed by more than chance alone would explain."))
    changed = found[found["questions_changed"]] if len(found) else found
    if len(changed):
        said.append(
            _(
                "The questions of %(themes)s changed between versions of the framework, so "
                "their scores are not compared across those cycles."
            )
            % {"themes": ", ".join(dict.fromkeys(context.label(k) for k in changed["theme_key"]))}
        )
    return said
