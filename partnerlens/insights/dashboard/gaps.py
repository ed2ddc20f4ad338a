"""The perception-gap sections: roles (with leaders' optimism), schools and organisations,
self-evaluation against peer and external review; and their downloads.

A difference is named only when it is ``clear``: it survived the false-discovery control
across every comparison of the release (``analytics.multiplicity.release_findings``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from partnerlens.directory.models import Role
from partnerlens.insights import charts
from partnerlens.insights.analytics.gaps import ROLE_ORDER
from partnerlens.insights.analytics.suppression import published_rows
from partnerlens.insights.charts.base import fmt, fmt_interval
from partnerlens.insights.dashboard.labels import (
    VERDICTS,
    number,
    role_label,
    suppressed_text,
)
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table

Name = Callable[[Any], str]


def gap_rows(context: Context, table: pd.DataFrame, name: Name) -> list[list[str]]:
    yes, no = _("Yes"), _("No")
    return [
        [
            context.label(row.theme_key),
            name(row.group_a),
            name(row.group_b),
            f"{row.difference:+.2f}",
            fmt_interval(row.ci_low, row.ci_high, _),
            yes if row.clear else no,
        ]
        for row in table.itertuples(index=False)
    ]


def gap_headers() -> list[str]:
    return [
        _("Theme"),
        _("Group A"),
        _("Group B"),
        _("Difference (A minus B)"),
        _("95% interval of the difference"),
        _("Stands out beyond chance"),
    ]


CHANCE_NOTE = gettext_noop(
    "A difference stands out beyond chance only when it survives a check across every "
    "comparison in these results together (roles, schools, review, leaders and change over "
    "time), which keeps chance findings to about one in twenty of those named. The 95%% "
    "intervals show each difference's own uncertainty."
)


def role_section(context: Context, role_gaps: pd.DataFrame, optimism: pd.DataFrame) -> Section:
    chart = charts.role_gap_dots(
        context.theme_table,
        context.labels,
        role_labels={r: role_label(r) for r in Role.values},
        roles=ROLE_ORDER,
        translate=_,
    )
    flagged = role_gaps[role_gaps["clear"]]
    paragraphs = [_(CHANCE_NOTE).replace("%%", "%")]
    if flagged.empty:
        paragraphs.append(_("No difference between roles stands out beyond chance."))
    tables = [Table.from_chart(chart.table, numeric=(2, 3))]
    if not flagged.empty:
        tables.append(
            Table(
                _("Differences between roles that stand out beyond chance"),
                gap_headers(),
                gap_rows(context, flagged, context.role),
                numeric=frozenset({3}),
            )
        )
    optimism_rows = [
        [
            context.label(row.theme_key),
            fmt(row.mean_leaders),
            fmt(row.mean_others),
            f"{row.difference:+.2f}",
            fmt_interval(row.ci_low, row.ci_high, _),
            _(VERDICTS[row.verdict]),
        ]
        for row in optimism.itertuples(index=False)
    ]
    if optimism_rows:
        tables.append(
            Table(
                _("Leaders compared with everyone else"),
                [
                    _("Theme"),
                    _("Leaders' mean"),
                    _("Everyone else's mean"),
                    _("Difference"),
                    _("95% interval of the difference"),
                    _("Reading"),
                ],
                optimism_rows,
                [
                    _(
                        "Leaders are partnership leads, headteachers and senior leaders. "
                        '"Markedly higher" means the difference stands out beyond chance and '
                        "we are confident they rate the theme at least an eighth of the "
                        "scale higher than everyone else."
                    )
                ],
                frozenset({1, 2, 3}),
            )
        )
    return Section(
        "roles", _("How different roles see the partnership"), paragraphs, chart.svg, tables
    )


def _group_rows(rows: pd.DataFrame, first: Callable[[Any], list[str]]):
    """Printed rows of a group's theme figures: ``first(row)`` names it, hidden ones say so."""
    body, hidden = [], [suppressed_text()] * 3
    for row in published_rows(rows).itertuples(index=False):  # hidden tiny groups left out
        if row.suppressed:
            body.append([*first(row), *hidden])
        else:
            body.append(
                [*first(row), str(row.n), fmt(row.mean), fmt_interval(row.ci_low, row.ci_high, _)]
            )
    return body


def organisation_section(context: Context, org_gaps: pd.DataFrame) -> Section:
    rows = context.theme_table[context.theme_table["group"] == "organisation"]
    body = _group_rows(
        rows,
        lambda row: [
            context.organisation(row.organisation_id),
            context.label(row.theme_key),
        ],
    )
    flagged = org_gaps[org_gaps["clear"]]
    if flagged.empty:
        paragraphs = [_("No difference between organisations stands out beyond chance.")]
    else:
        paragraphs = [
            ngettext(
                "%(count)s difference between organisations stands out beyond chance.",
                "%(count)s differences between organisations stand out beyond chance.",
                len(flagged),
            )
            % {"count": len(flagged)},
            _(CHANCE_NOTE).replace("%%", "%"),
        ]
    tables = []
    if not flagged.empty:
        tables.append(
            Table(
                _("Differences between organisations that stand out beyond chance"),
                gap_headers(),
                gap_rows(context, flagged, context.organisation),
                numeric=frozenset({3}),
            )
        )
    tables.append(
        Table(
            _("Mean score by organisation and theme, with 95% intervals"),
            [_("Organisation"), _("Theme"), _("Responses"), _("Mean"), _("95% interval")],
            body,
            numeric=frozenset({2, 3}),
        )
    )
    return Section(
        "organisations",
        _("How different schools and organisations see the partnership"),
        paragraphs,
        tables=tables,
        collapsed=len(body) > 24,
    )


def review_section(context: Context, review_gaps: pd.DataFrame) -> Section | None:
    rows = context.theme_table[context.theme_table["group"] == "source"]
    if set(rows["source"].dropna()) <= {"self"}:
        return None
    body = _group_rows(rows, lambda row: [context.label(row.theme_key), context.source(row.source)])
    tables = [
        Table(
            _("Mean score by theme and source, with 95% intervals"),
            [_("Theme"), _("Source"), _("Responses"), _("Mean"), _("95% interval")],
            body,
            numeric=frozenset({2, 3}),
        )
    ]
    if not review_gaps.empty:
        tables.append(
            Table(
                _("Self-evaluation compared with review"),
                gap_headers(),
                gap_rows(context, review_gaps, context.source),
                numeric=frozenset({3}),
            )
        )
    return Section(
        "review",
        _("Self-evaluation compared with peer and external review"),
        [
            _(
                "Answers from peer reviewers count as peer review and answers from "
                "external advisers as external review; everyone else's answers are the "
                "partnership's self-evaluation."
            )
        ],
        tables=tables,
    )


def exports(context: Context, role_gaps, org_gaps, review_gaps, optimism) -> list[ExportTable]:
    headers = [
        _("Theme"),
        _("Group A"),
        _("Group B"),
        _("Responses (A)"),
        _("Responses (B)"),
        _("Mean (A)"),
        _("Mean (B)"),
        _("Difference (A minus B)"),
        _("95% interval from"),
        _("95% interval to"),
        _("Adjusted p-value (false discovery rate)"),
        _("Stands out beyond chance"),
    ]

    yes, no = _("Yes"), _("No")

    def rows(table: pd.DataFrame, name: Name) -> list[list[Cell]]:
        return [
            [
                context.label(r.theme_key),
                name(r.group_a),
                name(r.group_b),
                int(r.n_a),
                int(r.n_b),
                number(r.mean_a, 3),
                number(r.mean_b, 3),
                number(r.difference, 3),
                number(r.ci_low, 3),
                number(r.ci_high, 3),
                number(r.q_value, 4),
                yes if r.clear else no,
            ]
            for r in table.itertuples(index=False)
        ]

    optimism_rows = [
        [
            context.label(r.theme_key),
            int(r.n_leaders),
            int(r.n_others),
            number(r.mean_leaders, 3),
            number(r.mean_others, 3),
            number(r.difference, 3),
            number(r.ci_low, 3),
            number(r.ci_high, 3),
            _(VERDICTS[r.verdict]),
        ]
        for r in optimism.itertuples(index=False)
    ]
    return [
        ExportTable("role_gaps", _("Role gaps"), headers, rows(role_gaps, context.role)),
        ExportTable(
            "organisation_gaps",
            _("Organisation gaps"),
            headers,
            rows(org_gaps, context.organisation),
        ),
        ExportTable(
            "review_gaps",
            _("Self and review gaps"),
            headers,
            rows(review_gaps, context.source),
        ),
        ExportTable(
            "optimism",
            _("Optimism"),
            [
                _("Theme"),
                _("Responses (leaders)"),
                _("Responses (everyone else)"),
                _("Leaders' mean"),
                _("Everyone else's mean"),
                _("Difference"),
                _("95% interval from"),
                _("95% interval to"),
                _("Reading"),
            ],
            optimism_rows,
        ),
    ]
