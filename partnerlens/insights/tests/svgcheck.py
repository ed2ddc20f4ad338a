"""Reading a chart's SVG as a reader would see it: its size, its words and where they sit.

Text boxes are measured with DejaVu Sans (the font the PDF draws charts with here, and wider
than the renderer's own): each line of text becomes a box from its cap height to its
baseline, placed through every ``transform`` above it. Two boxes from different texts that
share more than ``TOLERANCE`` pixels both ways are overlapping labels.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from xml.etree import ElementTree

from PIL import ImageFont

SVG = "{http://www.w3.org/2000/svg}"
TOLERANCE = 1.0
Matrix = tuple[float, float, float, float, float, float]  # a b c d e f, as in SVG
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


@dataclass(frozen=True)
class Box:
    text: str
    owner: int  # which <text> element it belongs to
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width > TOLERANCE and height > TOLERANCE


@cache
def _font(bold: bool, size: float) -> ImageFont.FreeTypeFont:
    name = "DejaVu Sans:bold" if bold else "DejaVu Sans"
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", name], capture_output=True, text=True, check=True
    ).stdout
    return ImageFont.truetype(path, size=round(size))


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _parse(transform: str | None) -> Matrix:
    matrix = IDENTITY
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", transform or ""):
        values = [float(v) for v in re.split(r"[\s,]+", args.strip()) if v]
        if name == "translate":
            step: Matrix = (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
        elif name == "rotate":
            angle = math.radians(values[0])
            step = (math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), 0, 0)
        elif name == "scale":
            step = (values[0], 0, 0, values[-1], 0, 0)
        elif name == "matrix":
            step = tuple(values)  # type: ignore[assignment]
        else:
            raise AssertionError(f"unexpected transform {name}")
        matrix = _multiply(matrix, step)
    return matrix


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def root(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def size(svg: str) -> tuple[float, float]:
    element = root(svg)
    return float(element.get("width")), float(element.get("height"))


def _lines(element: ElementTree.Element) -> list[tuple[str, float]]:
    """(line, y offset of its baseline) for a <text>, one per <tspan> if it has any."""
    spans = element.findall(f"{SVG}tspan")
    if not spans:
        return [("".join(element.itertext()), 0.0)]
    lines, y = [], 0.0
    for span in spans:
        y += float(span.get("dy", 0) or 0)
        lines.append(("".join(span.itertext()), y))
    return lines


def texts(svg: str) -> list[str]:
    """Every <text>, its lines joined with spaces."""
    return [" ".join(line for line, _y in _lines(e)).strip() for e in root(svg).iter(f"{SVG}text")]


def boxes(svg: str) -> list[Box]:
    found: list[Box] = []

    def walk(element: ElementTree.Element, matrix: Matrix) -> None:
        matrix = _multiply(matrix, _parse(element.get("transform")))
        if element.tag == f"{SVG}text":
            font_size = float(re.sub(r"px$", "", element.get("font-size", "10")))
            font = _font(element.get("font-weight") == "bold", font_size)
            anchor = element.get("text-anchor", "start")
            for line, y in _lines(element):
                if not line.strip():
                    continue
                width = font.getlength(line)
                left = {"start": 0, "middle": -width / 2, "end": -width}[anchor]
                corners = [
                    _apply(matrix, x, y + dy)
                    for x in (left, left + width)
                    for dy in (-0.72 * font_size, 0)
                ]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                found.append(Box(line, id(element), min(xs), min(ys), max(xs), max(ys)))
            return
        for child in element:
            walk(child, matrix)

    walk(root(svg), IDENTITY)
    return found


def overlapping(svg: str) -> list[tuple[str, str]]:
    """Pairs of lines from different texts whose boxes overlap."""
    found = boxes(svg)
    pairs = []
    for i, one in enumerate(found):
        for other in found[i + 1 :]:
            if one.owner != other.owner and one.overlaps(other):
                pairs.append((one.text, other.text))
    return pairs


def outside(svg: str) -> list[str]:
    """Lines drawn (partly) outside the picture, where they would be cut off."""
    element = root(svg)
    x, y, width, height = (float(v) for v in element.get("viewBox").split())
    return [
        box.text
        for box in boxes(svg)
        if box.left < x - TOLERANCE
        or box.top < y - TOLERANCE
        or box.right > x + width + TOLERANCE
        or box.bottom > y + height + TOLERANCE
    ]


def squashed(text: str) -> str:
    return "".join(str(text).split())


def shows(svg: str, label: str) -> bool:
    """Whether ``label`` is drawn whole in one text (wrapped lines count as one)."""
    wanted = squashed(label)
    return any(wanted in squashed(t) for t in texts(svg))
