"""How closely each pair of partners works together: one continuum grid per relationship
question, and its download."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnerlens.core.bilingual import localised
from partnerlens.insights import charts
from partnerlens.insights.analytics import maturity
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.charts.text import CONTINUUM_LABELS
from partnerlens.insights.dashboard.labels import number, suppressed_text
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table


def sections(context: Context) -> tuple[list[Section], list[ExportTable]]:
    found, exports = [], []
    answers = context.frames.relationships
    if answers.empty:
        return found, exports
    names = {int(k): v for k, v in context.frames.organisations.items()}
    for key, question in context.frames.relationship_questions.items():
        text = localised(question, "text")
        mine = answers[answers["question_key"] == key]
        if mine.empty:
            continue
        # A relationship is between two member organisations: answers by people who
        # speak for no one organisation say nothing about a pair.
        mine = mine[mine["organisation_id"] != NO_ORGANISATION]
        levels = maturity.relationship_levels(
            mine, context.policy, open_link=context.open_link_respondents()
        )
        chart = charts.continuum_grid(levels, names, translate=_, title=text)
        found.append(
            Section(
                f"relationships-{key}",
                _("How closely each pair of partners works together"),
                [text],
                chart.svg,
                [Table.from_chart(chart.table, numeric=(3, 4))],
                collapsed=len(levels) > 24,
            )
        )
        rows: list[list[Cell]] = []
        for row in levels.itertuples(index=False):
            pair = [
                names.get(int(row.organisation_a), ""),
                names.get(int(row.organisation_b), ""),
            ]
            if row.suppressed:
                rows.append([text, *pair, *[suppressed_text()] * 3])
            else:
                rows.append(
                    [
                        text,
                        *pair,
                        _(CONTINUUM_LABELS[row.level_key]),
                        number(row.median, 1),
                        int(row.n_respondents),
                    ]
                )
        exports.append(
            ExportTable(
                f"relationships-{key}",
                _("Relationships"),
                [
                    _("Question"),
                    _("Organisation"),
                    _("Partner"),
                    _("Level"),
                    _("Median answer"),
                    _("Responses"),
                ],
                rows,
            )
        )
    return found, exports
