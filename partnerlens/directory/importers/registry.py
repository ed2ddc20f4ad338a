"""Every supported file format, and recognising one from a file's header."""

from __future__ import annotations

from partnerlens.directory.importers import (
    dfe_absence,
    dfe_census,
    dfe_destinations,
    dfe_ks2,
    dfe_ks4,
    edubase2017,
    gias_establishments,
    gias_group_links,
    gias_groups,
    gias_links,
    la_codes,
    postcodes,
    trafford,
    wales_categories,
)
from partnerlens.directory.importers.base import Format

# The order load_demo imports in: registers first, then figures (which may add placeholder
# schools), then the lookups that fill in what the others left blank.
FORMATS: tuple[Format, ...] = (
    gias_groups.FORMAT,
    edubase2017.FORMAT,
    gias_establishments.FORMAT,
    gias_group_links.FORMAT,
    gias_links.FORMAT,
    trafford.FORMAT,
    wales_categories.FORMAT,
    dfe_census.FORMAT,
    dfe_ks2.FORMAT,
    dfe_ks4.FORMAT,
    dfe_destinations.FORMAT,
    dfe_absence.FORMAT,
    la_codes.FORMAT,
    postcodes.FORMAT,
)


def recognise(columns: set[str]) -> Format | None:
    """The format whose signature columns the header holds; the most specific if several."""
    matching = [f for f in FORMATS if f.matches(columns)]
    return max(matching, key=lambda f: len(f.signature), default=None)


def describe_known() -> str:
    return "\n".join(f"  - {f.label}: columns {', '.join(f.signature)}" for f in FORMATS)


def load_order(name: str) -> int:
    return next(i for i, f in enumerate(FORMATS) if f.name == name)
