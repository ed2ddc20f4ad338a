"""Change over time: the same questions followed across the lineage's cycles."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnerlens.insights import charts
from partnerlens.insights.analytics.trends import trend
from partnerlens.insights.dashboard.labels import number, suppressed_text
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table


def section(context: Context) -> tuple[Section | None, ExportTable | None]:
    frames = context.frames
    if len(frames.cycles) < 2 or frames.history.empty:
        return None, None
    table = trend(
        frames.history,
        context.themes,
        frames.cycles,
        policy=context.policy,
        groupings=("partnership",),
    )
    chart = charts.trend_lines(table, context.labels, translate=_)
    rows: list[list[Cell]] = []
    for row in table.sort_values(["theme_key", "order"]).itertuples(index=False):
        theme = context.label(row.theme_key)
        if row.suppressed:
            rows.append([theme, row.label, *[suppressed_text()] * 6])
            continue
        rows.append(
            [
                theme,
                row.label,
                int(row.n),
                number(row.mean, 3),
                number(row.ci_low, 3),
                number(row.ci_high, 3),
                number(row.change, 3),
                _("Yes") if row.change_flagged else "",
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
            _("Change since previous cycle"),
            _("Change larger than its uncertainty"),
        ],
        rows,
    )
    found = Section(
        "trends",
        _("Change over time"),
        [
            _(
                "The same questions followed across the partnership's cycles on this "
                "framework. A change is larger than its uncertainty only when its 95%% "
                "interval does not include zero."
            ).replace("%%", "%")
        ],
        chart.svg,
        [Table.from_chart(chart.table, numeric=(2, 3))],
    )
    return found, export
