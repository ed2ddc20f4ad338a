"""Shared rendering: Altair spec -> accessible SVG, plus the data table that stands beside it.

Every chart returns ``ChartOutput(svg, table)``. The SVG carries ``role="img"``, a ``<title>``
and a ``<desc>`` (referenced by ``aria-labelledby``) so screen readers announce it; the table
is the accessible alternative and the place where hidden groups say "not enough responses to
show". Charts never rely on colour alone: series also differ by shape, dash or text label.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any, NamedTuple
from xml.etree import ElementTree

import altair as alt
import vl_convert

from ..analytics.text import SUPPRESSED, Translate, gettext_noop, identity

SVG_NS = "http://www.w3.org/2000/svg"
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke")
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4])
# A palette readable by people with the common colour-vision deficiencies (Okabe-Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
FONT = "Helvetica, Arial, sans-serif"
HIDDEN_NOTE = gettext_noop(
    "Groups with too few responses are left out of the chart; the table says which."
)
NO_DATA = gettext_noop("There is nothing to show yet.")
VALIDATE = False  # the chart tests set it to True


class ChartOutput(NamedTuple):
    svg: str
    table: dict[str, Any]


def data_table(
    caption: str, headers: list[str], rows: list[list[str]], notes: list[str] | None = None
) -> dict[str, Any]:
    return {"caption": caption, "headers": headers, "rows": rows, "notes": notes or []}


def fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return ""
    return f"{number:.{digits}f}"


def fmt_interval(low: Any, high: Any, translate: Translate = identity) -> str:
    if fmt(low) == "" or fmt(high) == "":
        return translate(gettext_noop("not available (too few answers)"))
    return translate(gettext_noop("%(low)s to %(high)s")) % {"low": fmt(low), "high": fmt(high)}


def suppressed_text(translate: Translate = identity) -> str:
    return translate(SUPPRESSED)


STAT_HEADERS = (gettext_noop("Responses"), gettext_noop("Mean"), gettext_noop("95% interval"))


def stat_cells(row: Any, translate: Translate = identity) -> list[str]:
    """One group's responses, mean and 95% interval as table cells; hidden groups say why."""
    if row.suppressed:
        return [suppressed_text(translate)] * len(STAT_HEADERS)
    return [fmt(row.n, 0), fmt(row.mean), fmt_interval(row.ci_low, row.ci_high, translate)]


def configure(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=260)
        .configure_legend(labelFontSize=12, titleFontSize=12, symbolSize=120)
        .configure_title(fontSize=14, anchor="start", subtitleFontSize=12)
        .configure_view(stroke=None)
    )


_ids = itertools.count(1)


def render(chart: alt.TopLevelMixin, title: str, description: str) -> str:
    """SVG text with an accessible name and description, checked to be well-formed XML."""
    # Not validated against the Vega-Lite schema on every page view (a third of a chart's
    # time): the specs are ours and fixed, and the chart tests render each kind validated.
    svg = vl_convert.vegalite_to_svg(configure(chart).to_dict(validate=VALIDATE))
    return accessible_svg(svg, title, description)


def accessible_svg(svg: str, title: str, description: str) -> str:
    ElementTree.register_namespace("", SVG_NS)
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    # The SVG comes from vl-convert rendering our own spec, not from users: safe to parse.
    root = ElementTree.fromstring(svg)  # noqa: S314
    ident = f"chart-{next(_ids)}"
    title_element = ElementTree.Element(f"{{{SVG_NS}}}title", {"id": f"{ident}-title"})
    title_element.text = title
    desc_element = ElementTree.Element(f"{{{SVG_NS}}}desc", {"id": f"{ident}-desc"})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    root.set("focusable", "false")
    return ElementTree.tostring(root, encoding="unicode")


def empty_chart(message: str) -> alt.Chart:
    return (
        alt.Chart(alt.Data(values=[{"text": message}]))
        .mark_text(align="left", fontSize=13)
        .encode(text="text:N")
        .properties(width=360, height=40)
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
