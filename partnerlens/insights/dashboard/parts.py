"""What a dashboard is made of: sections with charts and printed tables, typed export tables,
and the ``Context`` every section builder reads (the cycle's frames and its protected theme
table, worked out once per build)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.charts.base import fmt
from partnerlens.insights.dashboard import labels
from partnerlens.insights.data import CycleFrames

Cell = str | int | float | None


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


ExportPart = Callable[[], list[ExportTable]]


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
    export_parts: list[ExportPart] = field(default_factory=list, repr=False)
    # The protected breakdowns behind the figures (level -> frame), kept by a fresh build
    # for the release's audit; never stored in a release's page (see ``codec``).
    protected: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @cached_property
    def exports(self) -> list[ExportTable]:
        """The download tables, in order, worked out on first use (within the same request,
        so in the same language as the page)."""
        return [table for part in self.export_parts for table in part()]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass
class Context:
    """What every section builder reads: the cycle's frames, its validated themes and their
    labels, the anonymity policy, and the protected theme-level breakdown."""

    frames: CycleFrames
    themes: pd.DataFrame
    labels: dict[str, str]
    policy: SuppressionPolicy
    theme_table: pd.DataFrame
    # Names already translated in this build: the downloads print the same few role,
    # organisation and group names on tens of thousands of rows.
    _names: dict[tuple[str, Any], str] = field(default_factory=dict, repr=False)

    def label(self, theme_key: str) -> str:
        return self.labels.get(theme_key, theme_key)

    def _name(self, kind: str, value: Any, name: Callable[[Any], str]) -> str:
        try:
            return self._names[kind, value]
        except KeyError:
            found = self._names[kind, value] = name(value)
            return found
        except TypeError:  # unhashable (never expected): name it every time
            return name(value)

    def role(self, role: str | None) -> str:
        return self._name("role", role, labels.role_label)

    def organisation(self, organisation_id: Any) -> str:
        return self._name(
            "organisation",
            organisation_id,
            lambda o: labels.organisation_label(self.frames, o),
        )

    def source(self, source: str) -> str:
        return self._name("source", source, labels.source_label)

    def group(self, group: str) -> str:
        return self._name("group", group, labels.group_name)

    def open_link_respondents(self) -> int:
        """How many of this cycle's respondents came through the open link (declared their
        own role and organisation): figures that may count them are shown only when they
        hold at least k people besides them (docs/anonymity.md)."""
        answers = self.frames.answers
        if "channel" not in answers:
            return 0
        return int(answers.loc[answers["channel"] == "open_link", "response_id"].nunique())

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
