"""Geometry for the review page's map-like plot: grid coordinates to SVG coordinates.

Pure (no Django). Straight-line grid positions are enough for a broker to see who is near
whom; it is not a map (no coastline or roads), and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 640, 420, 24


@dataclass(frozen=True)
class Point:
    key: int
    label: str
    role: str  # "need", "support" or "both"
    x: float
    y: float


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    decision: str
    label: str


@dataclass(frozen=True)
class Plot:
    width: int
    height: int
    points: list[Point]
    lines: list[Line]
    span_km: float  # width of the plotted area, for the scale note


def layout(
    schools: Iterable[tuple[int, str, str, float, float]],
    pairs: Iterable[tuple[int, int, str, str]],
) -> Plot | None:
    """Fit schools (key, label, role, easting, northing) into the SVG box, north up.

    `pairs` are (need key, support key, decision, label). Returns None with no schools.
    """
    schools = list(schools)
    if not schools:
        return None
    xs = [s[3] for s in schools]
    ys = [s[4] for s in schools]
    span_x, span_y = max(max(xs) - min(xs), 1000.0), max(max(ys) - min(ys), 1000.0)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    # Centre the drawing in the box whichever side limits the scale.
    offset_x = (WIDTH - scale * (max(xs) - min(xs))) / 2
    offset_y = (HEIGHT - scale * (max(ys) - min(ys))) / 2

    def at(easting: float, northing: float) -> tuple[float, float]:
        x = offset_x + (easting - min(xs)) * scale
        y = HEIGHT - (offset_y + (northing - min(ys)) * scale)
        return round(x, 1), round(y, 1)

    points = []
    where = {}
    for key, label, role, easting, northing in schools:
        x, y = at(easting, northing)
        where[key] = (x, y)
        points.append(Point(key, label, role, x, y))
    lines = [
        Line(*where[support], *where[need], decision, label)
        for need, support, decision, label in pairs
        if need in where and support in where
    ]
    return Plot(WIDTH, HEIGHT, points, lines, round(span_x / 1000, 1))
