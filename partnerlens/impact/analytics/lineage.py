"""A school's series across academy conversion and amalgamation (pure: no Django, no pandas).

GIAS links URNs in both directions ("Predecessor" on the successor's row, "Successor" on the
predecessor's). ``predecessor_map`` reads both into one map: URN -> the URNs it replaced.
Only links that carry a school's pupils on are followed (``CONTINUING``); split schools,
sixth-form links, expansions, closures and "Other" are not, because their pupils went to
more than one place or the link says nothing about who the pupils are.

``continued`` builds one school's series (see docs/methods.md, "The outcome panel"):

1. A year the school itself has a value is its own: predecessors never overwrite it
   (a conversion year published under both URNs keeps the successor's figure).
2. A year it has none takes its predecessors' value for that year. Each predecessor's value
   is itself continued first, so chains (LA school -> academy -> re-brokered academy) follow.
3. When two or more predecessors have a value in the same year (an amalgamation), the value
   is their cohort-weighted mean and the cohort their sum; if any cohort is unknown, the plain
   mean and an unknown cohort.
4. Cycles in the links (they occur in GIAS) and chains deeper than ``MAX_DEPTH`` stop.

Each point says where it came from: ``via`` is () for the school's own figure, or the URNs of
the predecessor schools whose figures were used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PREDECESSOR_TYPES = frozenset({"predecessor", "predecessor - merged", "predecessor - amalgamated"})
SUCCESSOR_TYPES = frozenset({"successor", "successor - merged", "successor - amalgamated"})
MAX_DEPTH = 6


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    cohort: float  # NaN when unknown
    via: tuple[int, ...] = ()  # predecessor URNs the figure came through; () = own

    @property
    def own(self) -> bool:
        return not self.via


def link_direction(link_type: str) -> str:
    """What a link says ``link_urn`` is to ``urn``: "predecessor", "successor" or "" (neither)."""
    kind = " ".join(link_type.split()).casefold()
    if kind in PREDECESSOR_TYPES:
        return "predecessor"
    if kind in SUCCESSOR_TYPES:
        return "successor"
    return ""


def predecessor_map(links: Iterable[tuple[int, int, str]]) -> dict[int, frozenset[int]]:
    """URN -> URNs it continues, from GIAS rows (urn, link_urn, link_type).

    A row ``(A, B, "Predecessor")`` says B is A's predecessor; ``(A, B, "Successor")`` says B
    is A's successor, i.e. A is B's predecessor. Both spellings of one link agree.
    """
    found: dict[int, set[int]] = {}
    for urn, link_urn, link_type in links:
        if urn == link_urn:
            continue
        direction = link_direction(link_type)
        if direction == "predecessor":
            found.setdefault(urn, set()).add(link_urn)
        elif direction == "successor":
            found.setdefault(link_urn, set()).add(urn)
    return {urn: frozenset(preds) for urn, preds in found.items()}


def lineage(urn: int, predecessors: Mapping[int, frozenset[int]]) -> set[int]:
    """Every URN whose figures may continue ``urn``'s series (itself included)."""
    seen = {urn}
    frontier = [(urn, 0)]
    while frontier:
        current, depth = frontier.pop()
        if depth >= MAX_DEPTH:
            continue
        for pred in predecessors.get(current, ()):
            if pred not in seen:
                seen.add(pred)
                frontier.append((pred, depth + 1))
    return seen


def combine(values: list[tuple[float, float]]) -> tuple[float, float]:
    """(value, cohort) of several schools in one year: cohort-weighted mean and summed cohort.

    With any cohort unknown (NaN) or zero in total, the plain mean and an unknown cohort.
    """
    if len(values) == 1:
        return values[0]
    cohorts = [c for _, c in values]
    if any(math.isnan(c) for c in cohorts) or sum(cohorts) <= 0:
        return sum(v for v, _ in values) / len(values), math.nan
    total = sum(cohorts)
    return sum(v * c for v, c in values) / total, float(total)


def continued(
    urn: int,
    observed: Mapping[int, Mapping[int, tuple[float, float]]],
    predecessors: Mapping[int, frozenset[int]],
) -> list[Point]:
    """``urn``'s series, years ascending: its own figures, then its predecessors' for the rest.

    ``observed`` maps URN -> {year: (value, cohort)} for the figures that were published.
    """
    return sorted(_continued(urn, observed, predecessors, {urn}, 0).values(), key=_year)


def _year(point: Point) -> int:
    return point.year


def _continued(urn, observed, predecessors, visiting: set[int], depth: int) -> dict[int, Point]:
    series = {
        year: Point(year, float(value), float(cohort))
        for year, (value, cohort) in observed.get(urn, {}).items()
    }
    if depth >= MAX_DEPTH:
        return series
    inherited: dict[int, list[tuple[int, Point]]] = {}
    for pred in sorted(predecessors.get(urn, ())):
        if pred in visiting:
            continue
        for year, point in _continued(
            pred, observed, predecessors, visiting | {pred}, depth + 1
        ).items():
            if year not in series:
                inherited.setdefault(year, []).append((pred, point))
    for year, points in inherited.items():
        value, cohort = combine([(p.value, p.cohort) for _, p in points])
        via = tuple(sorted({u for pred, p in points for u in (p.via or (pred,))}))
        series[year] = Point(year, value, cohort, via)
    return series
