"""Everything a cycle's dashboard shows, assembled from ``data.CycleFrames`` by the engine.

``build(frames)`` runs the pure analytics (``insights.analytics``) and the charts
(``insights.charts``) and returns a ``Dashboard``: the plain-language summary, the sections
(each with its chart and data tables, as text ready to print) and the export tables (typed
values for CSV and XLSX). The page, the PDF and the downloads all render this one object,
so they cannot disagree, and every figure in it has already been through suppression: a
hidden group reads ``SUPPRESSED_TEXT`` wherever it appears. No HTTP and no database here.

One module per part of the page: ``scores``, ``gaps`` (roles, organisations, review),
``maturity`` (strands, deep x tight, spectrum, priorities), ``relationships``, ``trends``,
``benchmark``, ``comments`` and ``summary``; ``parts`` holds the shapes they fill and
``labels`` the names they print.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.core.bilingual import localised
from partnerlens.insights.analytics import frames as engine_frames
from partnerlens.insights.analytics.maturity import priorities
from partnerlens.insights.analytics.multiplicity import release_findings
from partnerlens.insights.analytics.scores import breakdowns
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.dashboard import (
    benchmark,
    comments,
    gaps,
    maturity,
    relationships,
    scores,
    summary,
    trends,
)
from partnerlens.insights.dashboard.labels import theme_labels
from partnerlens.insights.dashboard.parts import (
    Cell,
    Context,
    Dashboard,
    ExportPart,
    ExportTable,
    Section,
    Table,
)
from partnerlens.insights.data import CycleFrames

__all__ = ["Cell", "Dashboard", "ExportTable", "Section", "Table", "build"]


def build(
    frames: CycleFrames,
    policy: SuppressionPolicy | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
) -> Dashboard:
    """The dashboard of one cycle (see the module docstring). ``policy``: the anonymity
    rules to apply, by default the partnership's settings (a release passes its own, with
    the cells differencing forces hidden). ``tables``: the protected breakdowns of an
    earlier build of the same frames and policy (``Dashboard.protected``), so a second
    language does not work them out again."""
    policy = policy or frames.settings.policy()
    themes = engine_frames.validate_themes(frames.themes)
    answers = frames.answers
    if tables is None:
        tables = (
            breakdowns(answers, themes, levels=("theme", "dimension", "framework"), policy=policy)
            if len(answers)
            else {}
        )
    context = Context(frames, themes, theme_labels(themes), policy, tables.get("theme"))
    if context.theme_table is None or context.theme_table.empty:
        return _dashboard(
            frames,
            context,
            0,
            summary.no_responses(frames),
            [
                Section(
                    "scores",
                    _("Scores by theme"),
                    [_("There are no submitted responses to show yet.")],
                )
            ],
            [],
            tables,
        )

    theme_table = context.theme_table
    # Every gap and trend test of this release in one false-discovery family.
    found = release_findings(theme_table, trends.changes(context))
    role_gaps, org_gaps, review_gaps = found.role, found.organisation, found.source
    optimism = found.optimism
    sections = [
        scores.section(context),
        gaps.role_section(context, role_gaps, optimism),
        gaps.organisation_section(context, org_gaps),
    ]
    # The two long download tables are worked out only when a download asks for them: the
    # page shows neither, and over 40 schools they hold tens of thousands of rows.
    exports: list[ExportPart] = [
        lambda: [scores.export(context, tables)],
        lambda: scores.weighted_exports(context),
    ]
    review = gaps.review_section(context, review_gaps)
    if review is not None:
        sections.append(review)
    exports.append(lambda: gaps.exports(context, role_gaps, org_gaps, review_gaps, optimism))

    sections += maturity.sections(context, answers)
    ranked = priorities(theme_table, themes)
    sections.append(maturity.priorities_section(context, ranked))
    exports.append(_ready([maturity.priorities_export(context, ranked)]))
    relationship_sections, relationship_exports = relationships.sections(context)
    sections += relationship_sections
    exports.append(_ready(relationship_exports))
    trend_section, trend_export = trends.section(context, found.trend)
    if trend_section is not None:
        sections.append(trend_section)
        exports.append(_ready([trend_export]))
    benchmark_section, benchmark_export = benchmark.section(context)
    sections.append(benchmark_section)
    if benchmark_export is not None:
        exports.append(_ready([benchmark_export]))
    comment_section, comment_export = comments.section(context, answers)
    sections.append(comment_section)
    exports.append(_ready([comment_export]))

    respondents = int(answers["response_id"].nunique())
    sentences = summary.summary(context, respondents, found)
    return _dashboard(frames, context, respondents, sentences, sections, exports, tables)


def _ready(tables: list[ExportTable]) -> ExportPart:
    return lambda: tables


def _dashboard(
    frames: CycleFrames,
    context: Context,
    respondents: int,
    sentences: list[str],
    sections: list[Section],
    exports: list[ExportPart],
    tables: dict | None = None,
) -> Dashboard:
    return Dashboard(
        localised(frames, "cycle_title"),
        localised(frames, "partnership_name"),
        context.policy.threshold(),
        context.policy.threshold("parent"),
        respondents,
        frames.invited,
        frames.completed,
        sentences,
        sections,
        exports,
        protected=dict(tables or {}),
    )
