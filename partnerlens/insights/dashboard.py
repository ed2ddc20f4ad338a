"""Everything a cycle's dashboard shows, assembled from ``data.CycleFrames`` by the engine.

``build(frames)`` runs the pure analytics (``insights.analytics``) and the charts
(``insights.charts``) and returns a ``Dashboard``: the plain-language summary, the sections
(each with its chart and data tables, as text ready to print) and the export tables (typed
values for CSV and XLSX). The page, the PDF and the downloads all render this one object,
so they cannot disagree, and every figure in it has already been through suppression: a
hidden group reads ``SUPPRESSED_TEXT`` wherever it appears. No HTTP and no database here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from partnerlens.directory.models import Role
from partnerlens.insights import charts
from partnerlens.insights.analytics import benchmarking, frames, gaps, maturity, scores, trends
from partnerlens.insights.analytics.suppression import LEADERS, OTHERS, visible_comments
from partnerlens.insights.analytics.text import SUPPRESSED
from partnerlens.insights.charts.base import fmt, fmt_interval
from partnerlens.insights.data import (
    DEEP_DIMENSIONS,
    DEEP_TIGHT_FRAMEWORK,
    MATURITY_FRAMEWORK,
    TIGHT_DIMENSIONS,
    CycleFrames,
)

Cell = str | int | float | None
SOURCE_LABELS = {
    "self": gettext_noop("Self-evaluation"),
    "peer": gettext_noop("Peer review"),
    "external": gettext_noop("External review"),
}
PROGRESS = {
    "above_target": gettext_noop("Above target"),
    "below_target": gettext_noop("Below target"),
    "around_target": gettext_noop("Around target"),
}
VERDICTS = {
    "optimistic": gettext_noop("Leaders markedly higher (possible optimism)"),
    "leaders_higher": gettext_noop("Leaders somewhat higher"),
    "leaders_lower": gettext_noop("Leaders lower"),
    "similar": gettext_noop("Similar"),
}


def suppressed_text() -> str:
    return _(SUPPRESSED)


@dataclass
class Table:
    """A data table as it is printed: text cells, a caption, and notes under it."""

    caption: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    numeric: frozenset[int] = frozenset()  # column indexes aligned right

    @classmethod
    def from_chart(cls, table: dict[str, Any], numeric: Sequence[int] = ()) -> Table:
        return cls(
            table["caption"],
            list(table["headers"]),
            [list(r) for r in table["rows"]],
            list(table["notes"]),
            frozenset(numeric),
        )


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    svg: str = ""
    tables: list[Table] = field(default_factory=list)
    collapsed: bool = False  # long tables go in a "details" element on the page

    def __post_init__(self) -> None:
        self.svg = padded(self.svg) if self.svg else ""


SVG_ROOT = re.compile(r'^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)" viewBox="([^"]+)"')
PAD_LEFT, PAD_RIGHT = 48, 48


def padded(svg: str) -> str:
    """The chart with room at both sides. The renderer measures labels with its own font;
    browsers and WeasyPrint draw them with the fonts the machine has (often wider), which
    would cut the first letters of long axis labels and the end of the legend."""
    match = SVG_ROOT.match(svg)
    if not match:
        return svg
    attributes, width, height, box = match.groups()
    x, y, box_width, box_height = (float(v) for v in box.split())
    wider = float(width) + PAD_LEFT + PAD_RIGHT
    root = (
        f'<svg{attributes} width="{wider:g}" height="{height}" '
        f'viewBox="{x - PAD_LEFT:g} {y:g} {box_width + PAD_LEFT + PAD_RIGHT:g} {box_height:g}"'
    )
    return root + svg[match.end() :]


@dataclass
class ExportTable:
    """One table of the downloads: typed cells (numbers stay numbers), already suppressed."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


@dataclass
class Dashboard:
    title: str
    partnership_name: str
    k: int
    parent_k: int
    respondents: int
    invited: int
    completed: int
    summary: list[str]
    sections: list[Section]
    exports: list[ExportTable]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


# --- labels -----------------------------------------------------------------------------


def _welsh() -> bool:
    return (translation.get_language() or "en").startswith("cy")


def theme_labels(themes: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for row in themes.itertuples(index=False):
        title = getattr(row, "title_cy", "") if _welsh() else ""
        labels[row.theme_key] = title or getattr(row, "title_en", "") or row.theme_key
    return labels


def role_label(role: str | None) -> str:
    if role == LEADERS:
        return _("Leaders")
    if role == OTHERS:
        return _("Everyone else")
    return str(Role(role).label) if role in Role.values else str(role)


def organisation_label(frames_: CycleFrames, organisation_id: Any) -> str:
    if organisation_id is None or pd.isna(organisation_id):
        return ""
    if int(organisation_id) == frames.NO_ORGANISATION:
        return _("People answering for no one organisation")
    return frames_.organisations.get(int(organisation_id), _("Former member"))


def dimension_label(key: str) -> str:
    return key.replace("-", " ").replace("_", " ").capitalize() if key else ""


def _number(value: Any, digits: int = 2) -> float | None:
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, digits)


def _text(value: Any, digits: int = 2) -> str:
    number = _number(value, digits)
    return "" if number is None else f"{number:.{digits}f}"


# --- the build --------------------------------------------------------------------------


def build(frames_: CycleFrames) -> Dashboard:
    """The dashboard of one cycle (see the module docstring)."""
    policy = frames_.settings.policy()
    themes = frames.validate_themes(frames_.themes)
    labels = theme_labels(themes)
    answers = frames_.answers
    tables = (
        scores.breakdowns(
            answers, themes, levels=("theme", "dimension", "framework"), policy=policy
        )
        if len(answers)
        else {}
    )
    theme_table = tables.get("theme", pd.DataFrame())
    respondents = int(answers["response_id"].nunique()) if len(answers) else 0
    sections: list[Section] = []
    exports: list[ExportTable] = []
    context = _Context(frames_, themes, labels, policy, theme_table)

    if theme_table.empty:
        sections.append(
            Section(
                "scores",
                _("Scores by theme"),
                [_("There are no submitted responses to show yet.")],
            )
        )
        summary = [_no_responses_sentence(frames_)]
        return Dashboard(
            frames_.cycle_title,
            frames_.partnership_name,
            policy.threshold(),
            policy.threshold("parent"),
            0,
            frames_.invited,
            frames_.completed,
            summary,
            sections,
            exports,
        )

    sections.append(context.scores_section())
    exports.append(context.scores_export(tables))
    role_gaps = gaps.perception_gaps(theme_table, "role")
    org_gaps = gaps.perception_gaps(theme_table, "organisation")
    review_gaps = gaps.self_review_gaps(theme_table)
    optimism = gaps.optimism(theme_table)
    sections.append(context.role_section(role_gaps, optimism))
    sections.append(context.organisation_section(org_gaps))
    review = context.review_section(review_gaps)
    if review is not None:
        sections.append(review)
    exports += context.gap_exports(role_gaps, org_gaps, review_gaps, optimism)

    maturity_sections, spectrum = context.maturity_sections(answers)
    sections += maturity_sections
    priorities = maturity.priorities(theme_table, themes)
    sections.append(context.priorities_section(priorities))
    exports.append(context.priorities_export(priorities))
    relationship_sections, relationship_exports = context.relationship_sections()
    sections += relationship_sections
    exports += relationship_exports
    trend_section, trend_export = context.trend_section()
    if trend_section is not None:
        sections.append(trend_section)
        exports.append(trend_export)
    sections.append(context.benchmark_section(exports))
    comment_section, comment_export = context.comments_section(answers)
    sections.append(comment_section)
    exports.append(comment_export)

    summary = context.summary(respondents, role_gaps, org_gaps, optimism, spectrum)
    return Dashboard(
        frames_.cycle_title,
        frames_.partnership_name,
        policy.threshold(),
        policy.threshold("parent"),
        respondents,
        frames_.invited,
        frames_.completed,
        summary,
        sections,
        exports,
    )


def _no_responses_sentence(frames_: CycleFrames) -> str:
    if frames_.invited:
        return _(
            "No responses have been submitted yet (%(invited)s people were invited), so there "
            "is nothing to report."
        ) % {"invited": frames_.invited}
    return _("No responses have been submitted, so there is nothing to report.")


@dataclass
class _Context:
    frames: CycleFrames
    themes: pd.DataFrame
    labels: dict[str, str]
    policy: Any
    theme_table: pd.DataFrame

    # ---- scores ----

    def partnership_rows(self) -> pd.DataFrame:
        table = self.theme_table
        return table[table["group"] == "partnership"]

    def scale_text(self) -> str:
        rows = self.partnership_rows()
        low, high = rows["scale_min"].min(), rows["scale_max"].max()
        if pd.isna(low) or pd.isna(high):
            return ""
        return _("Scores run from %(low)s to %(high)s.") % {
            "low": fmt(low, 0),
            "high": fmt(high, 0),
        }

    def scores_section(self) -> Section:
        chart = charts.theme_bars(self.theme_table, self.labels, translate=_)
        paragraphs = [
            self.scale_text(),
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

    def scores_export(self, tables: dict[str, pd.DataFrame]) -> ExportTable:
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
        rows: list[list[Cell]] = []
        for level in ("theme", "dimension", "framework"):
            table = tables.get(level)
            if table is None:
                continue
            for row in table.to_dict("records"):
                if level == "theme":
                    unit = self.labels.get(row["theme_key"], row["theme_key"])
                elif level == "dimension":
                    unit = dimension_label(row["dimension"])
                else:
                    unit = ""
                keys = [
                    level_names[level],
                    unit,
                    _group_name(row["group"]),
                    role_label(row.get("role") or row.get("role_group"))
                    if row.get("role") or row.get("role_group")
                    else "",
                    organisation_label(self.frames, row.get("organisation_id")),
                    _(SOURCE_LABELS[row["source"]]) if row.get("source") else "",
                ]
                if row["suppressed"]:
                    rows.append(
                        [*keys, *[suppressed_text()] * 7, _number(row.get("target_level")), ""]
                    )
                    continue
                progress = row.get("progress")
                rows.append(
                    [
                        *keys,
                        int(row["n"]),
                        int(row["n_dont_know"]),
                        _number(row["mean"], 3),
                        _number(row["sd"], 3),
                        _number(row["median"], 3),
                        _number(row["ci_low"], 3),
                        _number(row["ci_high"], 3),
                        _number(row.get("target_level")),
                        _(PROGRESS[progress]) if progress in PROGRESS else "",
                    ]
                )
        return ExportTable("scores", _("Scores"), headers, rows)

    # ---- gaps ----

    def gap_rows(self, table: pd.DataFrame, name) -> list[list[str]]:
        rows = []
        for row in table.itertuples(index=False):
            rows.append(
                [
                    self.labels.get(row.theme_key, row.theme_key),
                    name(row.group_a),
                    name(row.group_b),
                    f"{row.difference:+.2f}",
                    fmt_interval(row.ci_low, row.ci_high, _),
                    _("Yes") if row.flagged else _("No"),
                ]
            )
        return rows

    def gap_headers(self) -> list[str]:
        return [
            _("Theme"),
            _("Group A"),
            _("Group B"),
            _("Difference (A minus B)"),
            _("95% interval of the difference"),
            _("Larger than its uncertainty"),
        ]

    def role_section(self, role_gaps: pd.DataFrame, optimism: pd.DataFrame) -> Section:
        chart = charts.role_gap_dots(
            self.theme_table,
            self.labels,
            role_labels={r: role_label(r) for r in Role.values},
            roles=gaps.ROLE_ORDER,
            translate=_,
        )
        flagged = role_gaps[role_gaps["flagged"]]
        paragraphs = [
            _(
                "A difference between two roles is shown as larger than its uncertainty only "
                "when its 95%% interval does not include zero. With many comparisons, about "
                "one in twenty can be flagged by chance: treat flags as prompts for discussion."
            ).replace("%%", "%")
        ]
        if flagged.empty:
            paragraphs.append(_("No difference between roles is larger than its uncertainty."))
        tables = [Table.from_chart(chart.table, numeric=(2, 3))]
        if not flagged.empty:
            tables.append(
                Table(
                    _("Differences between roles larger than their uncertainty"),
                    self.gap_headers(),
                    self.gap_rows(flagged, role_label),
                    numeric=frozenset({3}),
                )
            )
        optimism_rows = [
            [
                self.labels.get(row.theme_key, row.theme_key),
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
                            '"Markedly higher" means we are confident they rate the theme at '
                            "least an eighth of the scale higher than everyone else."
                        )
                    ],
                    frozenset({1, 2, 3}),
                )
            )
        return Section(
            "roles", _("How different roles see the partnership"), paragraphs, chart.svg, tables
        )

    def organisation_section(self, org_gaps: pd.DataFrame) -> Section:
        rows = self.theme_table[self.theme_table["group"] == "organisation"]
        body = []
        for row in rows.itertuples(index=False):
            name = organisation_label(self.frames, row.organisation_id)
            theme = self.labels.get(row.theme_key, row.theme_key)
            if row.suppressed:
                body.append([name, theme, *[suppressed_text()] * 3])
            else:
                body.append(
                    [
                        name,
                        theme,
                        str(row.n),
                        fmt(row.mean),
                        fmt_interval(row.ci_low, row.ci_high, _),
                    ]
                )
        flagged = org_gaps[org_gaps["flagged"]]
        paragraphs = []
        if flagged.empty:
            paragraphs.append(
                _("No difference between organisations is larger than its uncertainty.")
            )
        else:
            paragraphs.append(
                ngettext(
                    "%(count)s difference between organisations is larger than its uncertainty.",
                    "%(count)s differences between organisations are larger than their "
                    "uncertainty.",
                    len(flagged),
                )
                % {"count": len(flagged)}
            )
        tables = []
        if not flagged.empty:
            tables.append(
                Table(
                    _("Differences between organisations larger than their uncertainty"),
                    self.gap_headers(),
                    self.gap_rows(flagged, lambda o: organisation_label(self.frames, o)),
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

    def review_section(self, review_gaps: pd.DataFrame) -> Section | None:
        rows = self.theme_table[self.theme_table["group"] == "source"]
        if set(rows["source"].dropna()) <= {"self"}:
            return None
        body = []
        for row in rows.itertuples(index=False):
            theme = self.labels.get(row.theme_key, row.theme_key)
            source = _(SOURCE_LABELS[row.source])
            if row.suppressed:
                body.append([theme, source, *[suppressed_text()] * 3])
            else:
                body.append(
                    [
                        theme,
                        source,
                        str(row.n),
                        fmt(row.mean),
                        fmt_interval(row.ci_low, row.ci_high, _),
                    ]
                )
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
                    self.gap_headers(),
                    self.gap_rows(review_gaps, lambda s: _(SOURCE_LABELS[s])),
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

    def gap_exports(self, role_gaps, org_gaps, review_gaps, optimism) -> list[ExportTable]:
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
            _("Larger than its uncertainty"),
        ]

        def rows(table: pd.DataFrame, name) -> list[list[Cell]]:
            return [
                [
                    self.labels.get(r.theme_key, r.theme_key),
                    name(r.group_a),
                    name(r.group_b),
                    int(r.n_a),
                    int(r.n_b),
                    _number(r.mean_a, 3),
                    _number(r.mean_b, 3),
                    _number(r.difference, 3),
                    _number(r.ci_low, 3),
                    _number(r.ci_high, 3),
                    _("Yes") if r.flagged else _("No"),
                ]
                for r in table.itertuples(index=False)
            ]

        optimism_rows = [
            [
                self.labels.get(r.theme_key, r.theme_key),
                int(r.n_leaders),
                int(r.n_others),
                _number(r.mean_leaders, 3),
                _number(r.mean_others, 3),
                _number(r.difference, 3),
                _number(r.ci_low, 3),
                _number(r.ci_high, 3),
                _(VERDICTS[r.verdict]),
            ]
            for r in optimism.itertuples(index=False)
        ]
        return [
            ExportTable("role_gaps", _("Role gaps"), headers, rows(role_gaps, role_label)),
            ExportTable(
                "organisation_gaps",
                _("Organisation gaps"),
                headers,
                rows(org_gaps, lambda o: organisation_label(self.frames, o)),
            ),
            ExportTable(
                "review_gaps",
                _("Self and review gaps"),
                headers,
                rows(review_gaps, lambda s: _(SOURCE_LABELS[s])),
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

    # ---- maturity ----

    def maturity_sections(self, answers: pd.DataFrame):
        sections = []
        slug = self.frames.framework_slug
        position = None
        if slug == MATURITY_FRAMEWORK:
            try:
                profile = maturity.strand_profile(self.theme_table, self.themes)
            except ValueError:
                profile = None  # a flexed copy without the 3 x 4 shape is not drawn as one
            if profile is not None:
                chart = charts.strand_bars(
                    profile,
                    self.labels,
                    {d: dimension_label(d) for d in self.themes["dimension"]},
                    translate=_,
                )
                sections.append(
                    Section(
                        "maturity",
                        _("Maturity profile: the twelve strands"),
                        [self.scale_text()],
                        chart.svg,
                        [Table.from_chart(chart.table, numeric=(2, 3))],
                    )
                )
        deep = list(self.themes.loc[self.themes["dimension"].isin(DEEP_DIMENSIONS), "theme_key"])
        tight = list(self.themes.loc[self.themes["dimension"].isin(TIGHT_DIMENSIONS), "theme_key"])
        if slug == DEEP_TIGHT_FRAMEWORK and deep and tight:
            position = maturity.deep_tight_position(
                answers, self.themes, deep, tight, policy=self.policy
            )
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
                    _(
                        "The intervals cross the middle of an axis, so the quadrant is not "
                        "yet certain."
                    )
                )
            sections.append(
                Section(
                    "deep_tight",
                    _("How deep and how tight the partnership is"),
                    paragraphs,
                    chart.svg,
                    [Table.from_chart(chart.table, numeric=(1,))],
                )
            )
        level = maturity.partnership_relationship_level(self.frames.relationships, self.policy)
        spectrum = maturity.spectrum_stage(
            level,
            position.depth if position else None,
            position.tightness if position else None,
            self.frames.partnership_kind,
        )
        if spectrum.key is not None:
            steps = [
                (_(label) + (" ◀ " + _("you are here") if key == spectrum.key else ""))
                for key, label in maturity.SPECTRUM_LABELS.items()
            ]
            sections.append(
                Section(
                    "spectrum",
                    _("Where the partnership sits on the spectrum"),
                    [
                        _(
                            "From schools working alone, through informal clusters, formal "
                            "partnerships and federations or chains, to chains with a shared "
                            "approach to teaching and learning. This partnership: %(stage)s."
                        )
                        % {"stage": _(maturity.SPECTRUM_LABELS[spectrum.key])}
                    ],
                    tables=[
                        Table(
                            _("The spectrum of partnership, from loosest to tightest"),
                            [_("Stage"), _("Description")],
                            [[str(i + 1), step] for i, step in enumerate(steps)],
                        )
                    ],
                )
            )
        return sections, spectrum

    def relationship_sections(self):
        sections, exports = [], []
        answers = self.frames.relationships
        if answers.empty:
            return sections, exports
        names = {int(k): v for k, v in self.frames.organisations.items()}
        for key, text in self.frames.relationship_questions.items():
            mine = answers[answers["question_key"] == key]
            if mine.empty:
                continue
            # A relationship is between two member organisations: answers by people who
            # speak for no one organisation say nothing about a pair.
            mine = mine[mine["organisation_id"] != frames.NO_ORGANISATION]
            levels = maturity.relationship_levels(mine, self.policy)
            chart = charts.continuum_grid(levels, names, translate=_, title=text)
            sections.append(
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
                            _(maturity.CONTINUUM_LABELS[row.level_key]),
                            _number(row.median, 1),
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
        return sections, exports

    # ---- priorities ----

    def priorities_section(self, table: pd.DataFrame) -> Section:
        rows = [
            [
                str(row.rank),
                self.labels.get(row.theme_key, row.theme_key),
                fmt(row.mean),
                fmt(row.reference),
                _("Yes") if row.clear else _("Not certain"),
            ]
            for row in table.head(5).itertuples(index=False)
        ]
        paragraphs = [
            _(
                "Themes that matter most (by the weight your framework gives them) and score "
                "furthest below your target, or below the top of the scale where there is no "
                "target."
            )
        ]
        if not rows:
            paragraphs.append(_("Every theme is at or above its target."))
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
                        _("Target or top of scale"),
                        _("Clearly below it"),
                    ],
                    rows,
                    numeric=frozenset({2, 3}),
                )
            ]
            if rows
            else [],
        )

    def priorities_export(self, table: pd.DataFrame) -> ExportTable:
        return ExportTable(
            "priorities",
            _("Priorities"),
            [
                _("Rank"),
                _("Theme"),
                _("Mean"),
                _("Target or top of scale"),
                _("Importance"),
                _("Shortfall"),
                _("Priority"),
                _("Clearly below it"),
            ],
            [
                [
                    int(r.rank),
                    self.labels.get(r.theme_key, r.theme_key),
                    _number(r.mean, 3),
                    _number(r.reference),
                    _number(r.importance, 3),
                    _number(r.shortfall, 3),
                    _number(r.priority, 3),
                    _("Yes") if r.clear else _("No"),
                ]
                for r in table.itertuples(index=False)
            ],
        )

    # ---- trends ----

    def trend_section(self):
        if len(self.frames.cycles) < 2 or self.frames.history.empty:
            return None, None
        table = trends.trend(
            self.frames.history,
            self.themes,
            self.frames.cycles,
            policy=self.policy,
            groupings=("partnership",),
        )
        chart = charts.trend_lines(table, self.labels, translate=_)
        rows: list[list[Cell]] = []
        for row in table.sort_values(["theme_key", "order"]).itertuples(index=False):
            theme = self.labels.get(row.theme_key, row.theme_key)
            if row.suppressed:
                rows.append([theme, row.label, *[suppressed_text()] * 6])
                continue
            rows.append(
                [
                    theme,
                    row.label,
                    int(row.n),
                    _number(row.mean, 3),
                    _number(row.ci_low, 3),
                    _number(row.ci_high, 3),
                    _number(row.change, 3),
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
        section = Section(
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
        return section, export

    # ---- benchmark ----

    def benchmark_section(self, exports: list[ExportTable]) -> Section:
        heading = _("Learning from other partnerships")
        if not self.frames.settings.share_benchmarks:
            return Section(
                "benchmark",
                heading,
                [
                    _(
                        "Your partnership has not chosen to share its anonymised theme scores "
                        "with partnerships of the same type, so no comparison is shown. A "
                        "partnership lead can change this in the insight settings."
                    )
                ],
            )
        own = self.partnership_rows()
        own = own[~own["suppressed"]][["theme_key", "mean"]]
        table = benchmarking.benchmark_position(
            own,
            self.frames.peers
            if len(self.frames.peers)
            else pd.DataFrame(columns=list(benchmarking.OTHERS_COLUMNS)),
            self.frames.partnership_id,
            self.frames.partnership_kind,
            self.policy,
        )
        rows, export_rows = [], []
        for row in table.itertuples(index=False):
            theme = self.labels.get(row.theme_key, row.theme_key)
            if row.status != "compared":
                rows.append([theme, _(benchmarking.NOT_ENOUGH_PARTNERSHIPS), "", ""])
                export_rows.append([theme, _(benchmarking.NOT_ENOUGH_PARTNERSHIPS), "", "", "", ""])
                continue
            position = _quartile_text(int(row.quartile))
            others = _("%(q1)s – %(median)s – %(q3)s") % {
                "q1": fmt(row.others_q1),
                "median": fmt(row.others_median),
                "q3": fmt(row.others_q3),
            }
            rows.append([theme, position, others, str(row.compared)])
            export_rows.append(
                [
                    theme,
                    position,
                    _number(row.others_q1, 3),
                    _number(row.others_median, 3),
                    _number(row.others_q3, 3),
                    int(row.compared),
                ]
            )
        exports.append(
            ExportTable(
                "benchmark",
                _("Other partnerships"),
                [
                    _("Theme"),
                    _("Where you sit"),
                    _("Others' lower quartile"),
                    _("Others' median"),
                    _("Others' upper quartile"),
                    _("Partnerships compared"),
                ],
                export_rows,
            )
        )
        return Section(
            "benchmark",
            heading,
            [
                _(
                    "Where your theme scores sit among partnerships of the same type that "
                    "agreed to share. At least %(min)s partnerships are needed for any "
                    "comparison, and no single partnership's score is ever shown."
                )
                % {"min": benchmarking.MIN_PARTNERSHIPS}
            ],
            tables=[
                Table(
                    _("Your position among other partnerships"),
                    [
                        _("Theme"),
                        _("Where you sit"),
                        _("Others: lower quartile – median – upper quartile"),
                        _("Partnerships compared"),
                    ],
                    rows,
                    numeric=frozenset({3}),
                )
            ],
        )

    # ---- comments ----

    def comments_section(self, answers: pd.DataFrame):
        comments = self.frames.comments
        shown = pd.DataFrame(columns=["role", "theme_key", "text"])
        if len(comments) and len(answers):
            people = frames.respondents(answers)
            shown = visible_comments(comments, people, self.policy, by=("role",))
        rows = [
            [role_label(r.role), self.labels.get(r.theme_key, r.theme_key), r.text]
            for r in shown.sort_values(["theme_key", "role"]).itertuples(index=False)
        ]
        paragraphs = [
            _(
                "Written comments are shown by role, and only for roles in which at least "
                "%(k)s people responded, so that no comment can be traced to a small group."
            )
            % {"k": self.policy.threshold()}
        ]
        if len(comments) > len(shown):
            paragraphs.append(
                _("Some comments are not shown because too few people in their group responded.")
            )
        section = Section(
            "comments",
            _("What people wrote"),
            paragraphs,
            tables=[Table(_("Comments"), [_("Role"), _("Theme"), _("Comment")], rows)]
            if rows
            else [],
            collapsed=len(rows) > 10,
        )
        export = ExportTable("comments", _("Comments"), [_("Role"), _("Theme"), _("Comment")], rows)
        return section, export

    # ---- the plain-language summary ----

    def summary(self, respondents, role_gaps, org_gaps, optimism, spectrum) -> list[str]:
        sentences = []
        if self.frames.invited:
            sentences.append(
                ngettext(
                    "%(n)s person responded; %(done)s of the %(invited)s people invited "
                    "(%(rate)s%%) completed the enquiry.",
                    "%(n)s people responded; %(done)s of the %(invited)s people invited "
                    "(%(rate)s%%) completed the enquiry.",
                    respondents,
                )
                % {
                    "n": respondents,
                    "done": self.frames.completed,
                    "invited": self.frames.invited,
                    "rate": round(100 * self.frames.completed / self.frames.invited),
                }
            )
        else:
            sentences.append(
                ngettext("%(n)s person responded.", "%(n)s people responded.", respondents)
                % {"n": respondents}
            )
        visible = self.partnership_rows()
        visible = visible[~visible["suppressed"]]
        if len(visible) >= 2:
            best = visible.loc[visible["mean"].astype(float).idxmax()]
            worst = visible.loc[visible["mean"].astype(float).idxmin()]
            sentences.append(
                _(
                    "The strongest theme is %(best)s (average %(best_mean)s on a scale of "
                    "%(best_scale)s) and the weakest is %(worst)s (average %(worst_mean)s on a "
                    "scale of %(worst_scale)s)."
                )
                % {
                    "best": self.labels.get(best["theme_key"]),
                    "best_mean": fmt(best["mean"]),
                    "best_scale": _scale(best),
                    "worst": self.labels.get(worst["theme_key"]),
                    "worst_mean": fmt(worst["mean"]),
                    "worst_scale": _scale(worst),
                }
            )
        elif len(visible) == 1:
            only = visible.iloc[0]
            sentences.append(
                _("%(theme)s scores %(mean)s on average.")
                % {"theme": self.labels.get(only["theme_key"]), "mean": fmt(only["mean"])}
            )
        else:
            sentences.append(_("Too few people answered for any theme's score to be shown."))
        sentences.append(self._gap_sentence(role_gaps, org_gaps))
        optimistic = optimism[optimism["optimistic"]] if len(optimism) else optimism
        if len(optimistic):
            names = ", ".join(self.labels.get(k, k) for k in optimistic["theme_key"])
            sentences.append(
                _(
                    "Leaders rate %(themes)s markedly higher than everyone else: worth asking "
                    "whether their view is too optimistic."
                )
                % {"themes": names}
            )
        elif len(optimism):
            sentences.append(
                _("Leaders do not rate any theme markedly higher than everyone else does.")
            )
        targets = visible[visible["target_level"].notna()] if "target_level" in visible else []
        if len(targets):
            counts = targets["progress"].value_counts()
            sentences.append(
                _(
                    "Of the %(total)s themes with a target, %(above)s are above it, "
                    "%(around)s around it and %(below)s below it."
                )
                % {
                    "total": len(targets),
                    "above": int(counts.get("above_target", 0)),
                    "around": int(counts.get("around_target", 0)),
                    "below": int(counts.get("below_target", 0)),
                }
            )
        return sentences[:5]

    def _gap_sentence(self, role_gaps: pd.DataFrame, org_gaps: pd.DataFrame) -> str:
        candidates = []
        for table, name in (
            (role_gaps, role_label),
            (org_gaps, lambda o: organisation_label(self.frames, o)),
        ):
            flagged = table[table["flagged"]] if len(table) else table
            if len(flagged):
                top = flagged.loc[flagged["difference"].abs().idxmax()]
                candidates.append((abs(float(top["difference"])), top, name))
        if not candidates:
            return _(
                "No difference between roles or between organisations is larger than its "
                "uncertainty."
            )
        _size, top, name = max(candidates, key=lambda c: c[0])
        higher, lower = (
            (top["group_a"], top["group_b"])
            if top["difference"] > 0
            else (top["group_b"], top["group_a"])
        )
        return _(
            "The biggest clear difference is on %(theme)s: the average of %(higher)s is "
            "%(size)s points higher than that of %(lower)s."
        ) % {
            "theme": self.labels.get(top["theme_key"]),
            "higher": name(higher),
            "lower": name(lower),
            "size": fmt(abs(float(top["difference"]))),
        }


def _scale(row) -> str:
    return _("%(low)s to %(high)s") % {
        "low": fmt(row["scale_min"], 0),
        "high": fmt(row["scale_max"], 0),
    }


def _group_name(group: str) -> str:
    return {
        "partnership": _("Everyone"),
        "role": _("Role"),
        "role_group": _("Leaders or everyone else"),
        "organisation": _("Organisation"),
        "role_organisation": _("Role in organisation"),
        "source": _("Source"),
    }.get(group, group)


def _quartile_text(quartile: int) -> str:
    return {
        1: _("In the lowest quarter"),
        2: _("In the second quarter"),
        3: _("In the third quarter"),
        4: _("In the top quarter"),
    }[quartile]
