"""The panel page's table: each member school's figures by year, marking the years that came
through a predecessor school (academy conversion, amalgamation)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from partnerlens.directory.models import EstablishmentLink, Organisation
from partnerlens.impact import panel as panels


@dataclass
class Cell:
    value: float | None = None
    cohort: int | None = None
    via: list[str] = field(default_factory=list)  # predecessor schools, "Name (URN 123)"

    @property
    def shown(self) -> str:
        """The figure as published: at most 2 decimals, no trailing zeros (3.2, 71, 46.53)."""
        if self.value is None:
            return ""
        text = f"{self.value:.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text


@dataclass
class SchoolRow:
    organisation: Organisation
    cells: list[Cell]


@dataclass
class SchoolYears:
    years: list[int]
    rows: list[SchoolRow]
    predecessors: list[str]  # every predecessor named in the table, for the note under it

    @property
    def year_labels(self) -> list[str]:
        return [f"{y}-{(y + 1) % 100:02d}" for y in self.years]


def _names(urns: set[int]) -> dict[int, str]:
    """A predecessor's name: the directory's, else the one its GIAS link gives."""
    names = dict(Organisation.objects.filter(urn__in=urns).values_list("urn", "name"))
    missing = urns - set(names)
    if missing:
        for urn, name in EstablishmentLink.objects.filter(link_urn__in=missing).values_list(
            "link_urn", "link_name"
        ):
            names.setdefault(urn, name)
    return names


def school_years(partnership, measure: str) -> SchoolYears:
    members = list(
        Organisation.objects.filter(pk__in=panels.member_ids(partnership)).order_by("name")
    )
    frame = panels.outcome_panel(measure, [m.pk for m in members], partnership=partnership)
    years = sorted(int(y) for y in frame["year"].unique())
    via_urns = {int(u) for text in frame["via"] for u in str(text).split()}
    names = _names(via_urns)

    def shown(urn: int) -> str:
        return f"{names.get(urn, '')} (URN {urn})".strip()

    by_school: dict[int, dict[int, Cell]] = {}
    for school, year, value, cohort, via in frame.itertuples(index=False):
        by_school.setdefault(int(school), {})[int(year)] = Cell(
            value=float(value),
            cohort=None if math.isnan(cohort) else int(cohort),
            via=[shown(int(u)) for u in str(via).split()],
        )
    rows = [SchoolRow(m, [by_school.get(m.pk, {}).get(y, Cell()) for y in years]) for m in members]
    return SchoolYears(years, rows, sorted({shown(u) for u in via_urns}))
