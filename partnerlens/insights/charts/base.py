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
import textwrap
from typing import Any, NamedTuple
from xml.etree import ElementTree

import altair as alt
import vl_convert

from .text import SUPPRESSED, Translate, gettext_noop, identity

SVG_NS = "http://www.w3.org/2000/svg"
SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "stroke")
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4])
# A palette readable by people with the common colour-vision deficiencies (Okabe-Ito).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
# DejaVu Sans first: the PDF draws with it, and the renderer then measures labels with the
# same font, so the chart is laid out for its real width (other fonts are narrower).
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
HIDDEN_NOTE = gettext_noop(
    "Groups with too few responses are left out of the chart; the table says which."
)
NO_DATA = gettext_noop("There is nothing to show yet.")
NOT_DRAWN = gettext_noop("The chart could not be drawn; the table gives the figures.")
VALIDATE = False  # the chart tests set it to True
# Labels are wrapped, never cut short: a name wider than this many pixels goes onto more
# lines. Widths are estimated for DejaVu Sans (the widest font the PDF may use).
LABEL_WIDTH = 230
CHAR_EM = 0.62  # DejaVu Sans averages about 0.6 em per character; round up
LINE_HEIGHT = 1.25  # line height of wrapped labels, in ems
LABEL_SIZE = 12


class ChartOutput(NamedTuple):
    svg: str
    table: dict[str, Any]


def visible(rows: Any) -> Any:
    """The rows not hidden (``suppressed`` false), also for an empty or untyped frame."""
    if not len(rows):
        return rows.iloc[0:0]
    return rows[~rows["suppressed"].fillna(True).astype(bool)]


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
    """SVG text with an accessible name and description, checked to be well-formed XML and
    to have a finite size; a chart that cannot be laid out becomes a short message (the
    table beside it still gives every figure)."""
    # Not validated against the Vega-Lite schema on every page view (a third of a chart's
    # time): the specs are ours and fixed, and the chart tests render each kind validated.
    svg = vl_convert.vegalite_to_svg(configure(chart).to_dict(validate=VALIDATE))
    if not finite_size(svg):
        fallback = empty_chart(NOT_DRAWN).properties(title=title)
        svg = vl_convert.vegalite_to_svg(configure(fallback).to_dict(validate=VALIDATE))
    return accessible_svg(svg, title, description)


_SIZE = re.compile(r'<svg[^>]*?\swidth="([^"]+)"[^>]*?\sheight="([^"]+)"')


def finite_size(svg: str) -> bool:
    """Whether the SVG's width and height are finite, positive and of a sane size (a layer
    with nothing to lay out makes Vega report 1.8e308)."""
    match = _SIZE.search(svg)
    if not match:
        return False
    try:
        width, height = float(match.group(1)), float(match.group(2))
    except ValueError:
        return False
    return 0 < width < 20000 and 0 < height < 20000


def wrap(text: str, width: float = LABEL_WIDTH, size: float = LABEL_SIZE) -> list[str]:
    """``text`` as lines at most ``width`` pixels wide (estimated), breaking at spaces and,
    for a word longer than a line, inside it. Never empty."""
    chars = max(4, int(width / (size * CHAR_EM)))
    lines = textwrap.wrap(str(text), chars, break_long_words=True, break_on_hyphens=True)
    return lines or [str(text)]


def wrapped(text: str, width: float = LABEL_WIDTH, size: float = LABEL_SIZE) -> str:
    """``wrap`` joined with newlines: the form a data value takes to be drawn on several lines
    by an axis with ``multiline_axis``."""
    return "\n".join(wrap(text, width, size))


def wrapped_labels(
    texts: Any, width: float = LABEL_WIDTH, size: float = LABEL_SIZE
) -> tuple[dict[str, str], int]:
    """Each distinct text wrapped and padded with blank lines to the same number of lines
    (so one ``labelOffset`` centres them all on their band), and that number of lines."""
    lines = {str(t): wrap(t, width, size) for t in dict.fromkeys(texts)}
    count = max((len(v) for v in lines.values()), default=1)
    padded = {}
    for text, parts in lines.items():
        before = (count - len(parts)) // 2
        after = count - len(parts) - before
        padded[text] = "\n".join([" "] * before + parts + [" "] * after)
    return padded, count


def multiline_axis(lines: int, size: float = LABEL_SIZE, **kwargs: Any) -> alt.Axis:
    """An axis drawing newline-separated labels as centred blocks of ``lines`` lines."""
    height = size * LINE_HEIGHT
    return alt.Axis(
        labelExpr="split(datum.label, '\\n')",
        labelLineHeight=height,
        labelOffset=-(lines - 1) * height / 2,
        labelFontSize=size,
        labelLimit=0,
        **kwargs,
    )


def score_axis(low: float, high: float, title: str | None = None, **kwargs: Any) -> alt.Axis:
    """A score axis with a tick at every half point (every point on a long scale), so its
    numbers never crowd together whatever font draws them."""
    step = 0.5 if high - low <= 6 else 1.0
    count = round((high - low) / step) + 1 if math.isfinite(high - low) else 0
    values = [low + i * step for i in range(max(0, min(count, 41)))]
    return alt.Axis(values=values, format=".1f", title=title, **kwargs)


def band_step(lines: int, size: float = LABEL_SIZE, minimum: float = 28) -> float:
    """A band tall enough for a label of ``lines`` lines, with a little room between."""
    return max(minimum, lines * size * LINE_HEIGHT + 8)


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


def titled(chart: alt.TopLevelMixin, title: str, notes: list[str], width: float = 420) -> Any:
    """The chart with its title and notes (as subtitle) wrapped to its width."""
    subtitle = [line for note in notes for line in wrap(note, width, 12)]
    return chart.properties(title=alt.TitleParams(wrap(title, width, 14), subtitle=subtitle or ""))


def empty_chart(message: str) -> alt.Chart:
    lines = wrap(message, 360, 13)
    return (
        alt.Chart(alt.Data(values=[{"text": lines}]))
        .mark_text(align="left", baseline="top", fontSize=13, lineHeight=16, x=0, y=4)
        .encode(text="text:N")
        .properties(width=360, height=16 * len(lines) + 8)
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
