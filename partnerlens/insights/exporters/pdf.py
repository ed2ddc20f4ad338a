"""The governing body's report: an accessible A4 PDF rendered by WeasyPrint from HTML.

The report is a function of the built ``Dashboard`` alone (a fresh build or a stored
release; no database reads here), in the active language:

1. two pages of summary in plain words: what the results say (the dashboard's summary
   sentences), the three suggested priorities and what changed since the last cycle;
2. what people wrote: the comments the dashboard shows (roles of at least k only), with the
   dashboard's note on what was withheld or redacted;
3. an appendix with every section's chart and tables, then how the figures were worked out.

The PDF is tagged (PDF/UA-1): a document language, headings in order, charts as figures
whose alternative text is the chart's title and description, tables with header cells.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from partnerlens.insights.dashboard import Dashboard, Section
from partnerlens.insights.dashboard.gaps import CHANCE_NOTE
from partnerlens.insights.dashboard.scores import CAUTION_BELOW, few_people_caution
from partnerlens.insights.exporters import ExportContext, Exporter, register

PRIORITIES = 3
CHANGES = 6  # clear changes listed in the summary; the appendix has them all
# The suggested-priorities table (dashboard.maturity): Rank, Theme, Mean, Target (or the
# middle of the themes), Clearly below it.
PRIORITY_THEME, PRIORITY_MEAN, PRIORITY_REFERENCE, PRIORITY_CLEAR = 1, 2, 3, 4
# The trend section's change table (dashboard.trends): Theme, From, To, Change, 95% interval
# of the change, Stands out beyond chance ("Yes" after the release-wide correction).
CHANGE_COLUMNS = 6
CHANGE_THEME, CHANGE_FROM, CHANGE_TO, CHANGE_SIZE, CHANGE_INTERVAL, CHANGE_VERDICT = range(6)
SUMMARY_SECTIONS = ("priorities", "comments")
# The scores chart's table (charts.theme_bars): Theme, Responses, ... (hidden: text).
SCORE_RESPONSES = 1


@dataclass
class Report:
    """What the template prints, worked out from a Dashboard."""

    summary: list[str]
    caution: list[str]
    priorities: list[str]
    priorities_note: list[str]
    changes: list[str]
    comments: Section | None
    comment_groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)
    appendix: list[Section] = field(default_factory=list)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes included), safe inside a <style> element.

    Django's ``escapejs`` writes JavaScript escapes (``\\u002D``) that CSS reads as the
    letter "u" and digits (the old footer read "Selfu002Dimproving"); CSS escapes are
    ``\\2D `` (hex, then a space)."""
    escaped = []
    for char in str(text):
        if char.isalnum() or char in " .,;:!?()[]_+=/*#%@$^|~`-" or ord(char) > 0x9F:
            escaped.append(char)
        else:
            escaped.append(f"\\{ord(char):X} ")
    return mark_safe('"' + "".join(escaped) + '"')  # noqa: S308 (every special character escaped)


_TITLE = re.compile(r"(<title\b[^>]*>)(.*?)(</title>)", re.DOTALL)
_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.DOTALL)


def figure_svg(svg: str) -> str:
    """The chart with its description added to its title: WeasyPrint takes a figure's
    alternative text from the SVG's <title>, and the title alone ("Scores by theme") says
    too little. The texts are already XML-escaped, so they are joined as they are."""
    desc = _DESC.search(svg)
    if not desc:
        return svg
    return _TITLE.sub(lambda m: f"{m.group(1)}{m.group(2)}. {desc.group(1)}{m.group(3)}", svg, 1)


def _priorities(section: Section | None) -> tuple[list[str], list[str]]:
    if section is None:
        return [], []
    if not section.tables:
        return [], list(section.paragraphs)
    found = []
    for row in section.tables[0].rows[:PRIORITIES]:
        values = {
            "theme": row[PRIORITY_THEME],
            "mean": row[PRIORITY_MEAN],
            "reference": row[PRIORITY_REFERENCE],
        }
        if row[PRIORITY_CLEAR] == _("Yes"):
            text = _("%(theme)s: average %(mean)s, clearly short of %(reference)s.")
        else:
            text = _("%(theme)s: average %(mean)s, short of %(reference)s, though not certainly.")
        found.append(text % values)
    return found, list(section.paragraphs[:1])


def _changes(section: Section | None, current: str) -> list[str]:
    """Plain sentences on the changes that stand out beyond chance into the ``current``
    cycle, read from the trend section's change table (see ``CHANGE_*``)."""
    if section is None:
        return [_("This is the first cycle with results, so there is nothing to compare yet.")]
    # The first table is the chart's (each cycle's mean); the change table follows it.
    table = next((t for t in section.tables[1:] if len(t.headers) == CHANGE_COLUMNS), None)
    rows = table.rows if table is not None else []
    into = {str(row[CHANGE_TO]) for row in rows}
    latest = current if current in into else (str(rows[-1][CHANGE_TO]) if rows else "")
    found = []
    for row in rows:
        if str(row[CHANGE_TO]) != latest or row[CHANGE_VERDICT] != _("Yes"):
            continue
        try:
            change = float(str(row[CHANGE_SIZE]))
        except ValueError:
            continue
        values = {
            "theme": row[CHANGE_THEME],
            "size": f"{abs(change):.2f}",
            "previous": row[CHANGE_FROM],
            "interval": row[CHANGE_INTERVAL],
        }
        if change > 0:
            text = _(
                "%(theme)s rose by %(size)s points since %(previous)s (95%% interval of the "
                "change: %(interval)s)."
            )
        else:
            text = _(
                "%(theme)s fell by %(size)s points since %(previous)s (95%% interval of the "
                "change: %(interval)s)."
            )
        found.append(text % values)
    if not found:
        return [
            _(
                "No theme's score changed by more than chance alone would explain since the "
                "previous cycle."
            )
        ]
    if len(found) > CHANGES:
        more = len(found) - CHANGES
        rest = ngettext(
            "And %(n)s more theme: see the appendix.",
            "And %(n)s more themes: see the appendix.",
            more,
        )
        found = [*found[:CHANGES], rest % {"n": more}]
    return found


def _caution(section: Section | None) -> list[str]:
    """The page's caution below ``CAUTION_BELOW`` people, for the summary pages: read from
    the partnership-level counts in the scores chart's table, so a stored release gives it
    too (the appendix prints the scores section, caution included, in full)."""
    if section is None or not section.tables:
        return []
    counts = [
        int(row[SCORE_RESPONSES])
        for row in section.tables[0].rows
        if len(row) > SCORE_RESPONSES and str(row[SCORE_RESPONSES]).isdigit()
    ]
    fewest = min((n for n in counts if n > 0), default=CAUTION_BELOW)
    return [few_people_caution(fewest)] if fewest < CAUTION_BELOW else []


def _comment_groups(section: Section | None) -> list[tuple[str, list[tuple[str, str]]]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    if section is not None and section.tables:
        for role, theme, text in (row[:3] for row in section.tables[0].rows):
            groups.setdefault(str(theme), []).append((str(role), str(text)))
    return list(groups.items())


def report(dashboard: Dashboard) -> Report:
    """The report's parts, worked out from ``dashboard`` only (no database)."""
    priorities, note = _priorities(dashboard.section("priorities"))
    comments = dashboard.section("comments")
    appendix = []
    for original in dashboard.sections:
        if original.key == "comments":
            continue
        copy = dataclasses.replace(original, svg="")
        copy.svg = figure_svg(original.svg) if original.svg else ""  # already padded
        appendix.append(copy)
    return Report(
        summary=[str(s) for s in dashboard.summary],
        caution=_caution(dashboard.section("scores")),
        priorities=priorities,
        priorities_note=note,
        changes=_changes(dashboard.section("trends"), str(dashboard.title)),
        comments=comments,
        comment_groups=_comment_groups(comments),
        appendix=appendix,
    )


def render_html(context: ExportContext) -> str:
    dashboard = context.dashboard
    footer = f"{dashboard.partnership_name} – {dashboard.title}"
    data: dict[str, Any] = {
        "dashboard": dashboard,
        "report": report(dashboard),
        "generated_at": context.generated_at,
        "language": context.language,
        "footer": css_string(footer),
        "page_label": css_string(_("Page")),
        "chance_note": _(CHANCE_NOTE).replace("%%", "%"),
    }
    return render_to_string("insights/report_pdf.html", data)


@register
class PdfExporter(Exporter):
    identifier = "pdf"
    label = gettext_lazy("Report for the governing body (PDF)")
    content_type = "application/pdf"
    extension = "pdf"
    prepared = True  # 2-3 s of CPU for a large partnership (bench/exports.py): in the background

    def render(self, context: ExportContext) -> bytes:
        # Imported here: WeasyPrint loads Pango and fonts, which only this exporter needs.
        from weasyprint import HTML

        return HTML(string=render_html(context)).write_pdf(pdf_variant="pdf/ua-1")
