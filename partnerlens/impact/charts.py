"""The event-study chart's geometry (pure: no Django; the template draws the SVG and words it).

Each year relative to the start is a point with its 95% interval as a vertical bar; years
before the start are hollow circles, the start and after filled squares (shape, not only
colour); a horizontal line marks no difference and a dashed vertical line the start. The
SVG scales to its container (viewBox), and the page gives the same numbers as a table.
"""

from __future__ import annotations

import math

WIDTH, HEIGHT = 480, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 24, 52


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _ticks(low: float, high: float) -> list[float]:
    step = _nice_step(high - low)
    value = math.floor(low / step) * step
    ticks = [round(value, 10)]
    while ticks[-1] < high - step * 1e-9:  # the last tick at or above the highest value
        value += step
        ticks.append(round(value, 10))
    return ticks


def _finite(*values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(float(v))]


def event_study(rows: list[dict]) -> dict | None:
    """Geometry for rows of ``relative_year, coef, low, high`` (None when there is nothing
    to draw). Coordinates are in a WIDTH by HEIGHT box."""
    rows = [r for r in rows if _finite(r.get("coef"))]
    if not rows:
        return None
    rows = sorted(rows, key=lambda r: r["relative_year"])
    values = [0.0]
    for r in rows:
        values += _finite(r.get("coef"), r.get("low"), r.get("high"))
    ticks = _ticks(min(values), max(values))
    y_low, y_high = ticks[0], ticks[-1]
    if y_high == y_low:
        y_low, y_high = y_low - 1, y_high + 1
        ticks = [y_low, (y_low + y_high) / 2, y_high]
    years = [r["relative_year"] for r in rows]
    first, last = min(years), max(years)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slots = max(last - first, 1)

    pad = plot_w / (2 * (slots + 1))  # half a year's width inside each end: no point is cut

    def x(year: float) -> float:
        share = (year - first) / slots if last > first else 0.5
        return round(LEFT + pad + (plot_w - 2 * pad) * share, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (y_high - value) / (y_high - y_low), 1)

    points = []
    for r in rows:
        low, high = _finite(r.get("low")), _finite(r.get("high"))
        points.append(
            {
                "relative_year": r["relative_year"],
                "before": r["relative_year"] < 0,
                "x": x(r["relative_year"]),
                "y": y(float(r["coef"])),
                "y_low": y(low[0]) if low else None,
                "y_high": y(high[0]) if high else None,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "zero_y": y(0.0),
        "start_x": round((x(-1) + x(0)) / 2, 1) if first < 0 <= last else None,
        "y_ticks": [{"value": t, "y": y(t)} for t in ticks],
        "x_ticks": [{"value": p["relative_year"], "x": p["x"]} for p in points],
        "points": points,
    }
