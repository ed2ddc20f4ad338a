"""The scores section (theme bars with intervals and targets, a caution for small groups,
the response rate by school and, where schools responded unevenly, the school-weighted
scores) and the scores download (every level: theme, dimension, overall; every group)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerlens.insights import charts
from partnerlens.insights.analytics import weighting
from partnerlens.insights.analytics.suppression import published_rows
from partnerlens.insights.charts.base import fmt, fmt_interval
from partnerlens.insights.dashboard.labels import (
    PROGRESS,
    dimension_label,
    number,
    suppressed_text,
)
from partnerlens.insights.dashboard.parts import Cell, Context, ExportTable, Section, Table

LEVELS = ("theme", "dimension", "framework")
CAUTION_BELOW = 10  # respondents: below this, scores come with a plain-language caution


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
    paragraphs += caution(context)
    tables = [Table.from_chart(chart.table, numeric=(1, 2, 3))]
    rates = response_rate_table(context)
    if rates is not None:
        tables.append(rates)
    weighted = weighted_table(context)
    if weighted is not None:
        paragraphs.append(
            _(
                "Schools responded unevenly, so some schools' views count for more in the "
                "plain scores than their share of the people invited. The school-weighted "
                "score gives each school its share of the people invited: it estimates what "
                "the score would have been had every school responded at the same rate."
            )
        )
        tables.append(weighted)
    return Section("scores", _("Scores by theme"), [p for p in paragraphs if p], chart.svg, tables)


def caution(context: Context) -> list[str]:
    """Plain words when the scores rest on fewer than ``CAUTION_BELOW`` people."""
    rows = context.partnership_rows()
    shown = rows[~rows["suppressed"].astype(bool) & (rows["n"].astype(float) > 0)]
    if shown.empty:
        return []
    fewest = int(shown["n"].min())
    if fewest >= CAUTION_BELOW:
        groups = context.theme_table
        small = groups[
            ~groups["suppressed"].astype(bool)
            & (groups["group"] != "partnership")
            & (groups["n"].astype(float) < CAUTION_BELOW)
        ]
        if small.empty:
            return []
        return [
            _(
                "Some groups in these results have fewer than %(k)s people. Their ranges are "
                "wide: treat their scores as a first impression, not a firm finding."
            )
            % {"k": CAUTION_BELOW}
        ]
    return [few_people_caution(fewest)]


def few_people_caution(fewest: int) -> str:
    """The caution when some theme rests on only ``fewest`` (< ``CAUTION_BELOW``) people;
    the governors' report repeats it on its summary pages."""
    return ngettext(
        "Only %(n)s person answered some themes. With so few answers each score is a "
        "first impression: the ranges are wide, one more answer could move a score "
        "noticeably, and no score is called above or below target unless its whole "
        "range is.",
        "Only %(n)s people answered some themes. With so few answers each score is a "
        "first impression: the ranges are wide, one more answer could move a score "
        "noticeably, and no score is called above or below target unless its whole "
        "range is.",
        fewest,
    ) % {"n": fewest}


def _invited_by_school(context: Context) -> dict[int, int]:
    invited = getattr(context.frames, "invited_by", None)
    if invited is None or invited.empty:
        return {}
    sums = invited.groupby("organisation_id")["invited"].sum()
    return {int(k): int(v) for k, v in sums.items() if v > 0}


def _respondents_by_school(context: Context) -> dict[int, int]:
    answers = context.frames.answers
    if answers.empty:
        return {}
    if "channel" in answers:
        answers = answers[answers["channel"] != "open_link"]
    people = answers.drop_duplicates("response_id")
    return {int(k): int(v) for k, v in people["organisation_id"].value_counts().items()}


def _shown_schools(context: Context) -> dict[int, bool]:
    """A school's count is shown only where its group is shown in every theme."""
    rows = context.theme_table
    rows = rows[rows["group"] == "organisation"]
    hidden = rows.groupby(rows["organisation_id"].astype(int))["suppressed"].any()
    return {int(k): not bool(v) for k, v in hidden.items()}


def response_rate_table(context: Context) -> Table | None:
    """Invited, responded and the response rate per school (hidden where its group is)."""
    invited = _invited_by_school(context)
    if not invited:
        return None
    rates = weighting.response_rates(
        _respondents_by_school(context), invited, _shown_schools(context)
    )
    hidden = suppressed_text()
    rows = [
        [
            context.organisation(row.organisation_id),
            str(row.invited),
            hidden if pd.isna(row.responses) else str(row.responses),
            hidden
            if pd.isna(row.responses)
            else ("" if pd.isna(row.rate) else f"{round(100 * row.rate)}%"),
        ]
        for row in rates.itertuples(index=False)
    ]
    return Table(
        _("Response rate by school"),
        [_("School"), _("People invited"), _("Responses"), _("Response rate")],
        rows,
        [_("Responses through an open link are not counted against any school.")],
        frozenset({1, 2, 3}),
    )


def _weighted(context: Context) -> pd.DataFrame | None:
    """``weighting.post_stratified`` of the theme table, when response is uneven; worked
    out once per build (the page and the downloads both show it)."""
    if "_weighted" not in vars(context):
        invited = _invited_by_school(context)
        table = weighting.post_stratified(context.theme_table, invited) if invited else None
        uneven = table is not None and not table.empty and bool(table["uneven"].any())
        context._weighted = table if uneven else None
    return context._weighted


def weighted_table(context: Context) -> Table | None:
    """Plain and school-weighted theme scores side by side, when response is uneven."""
    table = _weighted(context)
    if table is None:
        return None
    rows = [
        [
            context.label(row.theme_key),
            fmt(row.mean),
            fmt_interval(row.ci_low, row.ci_high, _),
            fmt(row.weighted_mean),
            fmt_interval(row.weighted_ci_low, row.weighted_ci_high, _),
        ]
        for row in table.itertuples(index=False)
    ]
    notes = [
        _(
            "The plain score estimates the average view of the people who answered; the "
            "school-weighted score estimates the average view of everyone invited, assuming "
            "people who did not answer in a school think like those who did."
        )
    ]
    if (table["invited_covered"] < 1).any():
        notes.append(_("Schools where nobody answered, or too few to show, are weighted together."))
    return Table(
        _("Plain and school-weighted scores"),
        [
            _("Theme"),
            _("Score"),
            _("95% interval"),
            _("School-weighted score"),
            _("95% interval"),
        ],
        rows,
        notes,
        frozenset({1, 3}),
    )


def weighted_exports(context: Context) -> list[ExportTable]:
    """The plain and school-weighted scores for the downloads (numbers stay numbers), when
    response is uneven, as on the page; otherwise nothing."""
    table = _weighted(context)
    if table is None:
        return []
    headers = [
        _("Theme"),
        _("Responses"),
        _("Score"),
        _("95% interval from"),
        _("95% interval to"),
        _("School-weighted score"),
        _("School-weighted 95% interval from"),
        _("School-weighted 95% interval to"),
        _("Share of the people invited in schools that answered"),
    ]
    rows: list[list[Cell]] = [
        [
            context.label(row.theme_key),
            int(row.n),
            number(row.mean, 3),
            number(row.ci_low, 3),
            number(row.ci_high, 3),
            number(row.weighted_mean, 3),
            number(row.weighted_ci_low, 3),
            number(row.weighted_ci_high, 3),
            number(row.invited_covered, 3),
        ]
        for row in table.itertuples(index=False)
    ]
    return [ExportTable("weighted", _("School-weighted scores"), headers, rows)]


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
        # Hidden cells of one role in one organisation are left out, like empty ones, so
        # no reader learns that such a cell holds anyone (docs/anonymity.md).
        for row in published_rows(table).to_dict("records"):
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
