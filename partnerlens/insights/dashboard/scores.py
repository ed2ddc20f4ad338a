"""The scores section (theme bars with intervals and targets) and the scores download
(every level: theme, dimension, overall; every group)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights import charts
from partnerlens.insights.dashboard.labels import (
    PROGRESS,
    dimension_label,
    number,
    suppressed_text,
)
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table

LEVELS = ("theme", "dimension", "framework")


def section(context: Context) -> Section:
    chart = charts.theme_bars(context.theme_table, context.labels, translate=_)
    paragraphs = [
        context.scale_text(),
        _(
            "Each bar is the average score of the people who answered; the line across "
            "its end is the 95%% interval, the range the score very probably lies in. A "
            'diamond marks your target. "Don\'t know" answers are counted separately.'
        ).replace("%%", "%"),
    ]
    return Section(
        "scores",
        _("Scores by theme"),
        [p for p in paragraphs if p],
        chart.svg,
        [Table.from_chart(chart.table, numeric=(1, 2, 3))],
    )


def export(context: Context, tables: dict[str, pd.DataFrame]) -> ExportTable:
    headers = [
        _("Level"),
        _("Theme or dimension"),
        _("Group"),
        _("Role"),
        _("Organisation"),
        _("Source"),
        _("Responses"),
        _("Don't know"),
        _("Mean"),
        _("Standard deviation"),
        _("Median"),
        _("95% interval from"),
        _("95% interval to"),
        _("Target"),
        _("Progress"),
    ]
    level_names = {"theme": _("Theme"), "dimension": _("Dimension"), "framework": _("Overall")}
    progress_names = {key: _(name) for key, name in PROGRESS.items()}
    hidden = [suppressed_text()] * 7
    rows: list[list[Cell]] = []
    for level in LEVELS:
        table = tables.get(level)
        if table is None:
            continue
        for row in table.to_dict("records"):
            if level == "theme":
                unit = context.label(row["theme_key"])
            elif level == "dimension":
                unit = dimension_label(row["dimension"])
            else:
                unit = ""
            role = row.get("role") or row.get("role_group")
            keys = [
                level_names[level],
                unit,
                context.group(row["group"]),
                context.role(role) if role else "",
                context.organisation(row.get("organisation_id")),
                context.source(row["source"]) if row.get("source") else "",
            ]
            if row["suppressed"]:
                rows.append([*keys, *hidden, number(row.get("target_level")), ""])
                continue
            progress = row.get("progress")
            rows.append(
                [
                    *keys,
                    int(row["n"]),
                    int(row["n_dont_know"]),
                    number(row["mean"], 3),
                    number(row["sd"], 3),
                    number(row["median"], 3),
                    number(row["ci_low"], 3),
                    number(row["ci_high"], 3),
                    number(row.get("target_level")),
                    progress_names.get(progress, ""),
                ]
            )
    return ExportTable("scores", _("Scores"), headers, rows)
