"""The network picture's geometry (pure: no Django; the template draws the SVG and words it).

Organisations are placed by the stored force layout (``x``, ``y`` in 0..1) or, "by map",
by latitude and longitude (an equirectangular projection, east–west shrunk by the cosine of
the mean latitude so that distances look right in England and Wales). Members are squares,
other organisations circles; an organisation with no tie at all is hollow. Tie lines differ
in thickness and dash by level, so the picture does not rely on colour. Nodes come out in
keyboard order (members first, then the rest, each by name), which is the order the
template writes their links, so Tab walks the picture in an order a reader can predict.
"""

from __future__ import annotations

import math

WIDTH, HEIGHT = 640, 480
MARGIN = 24
LABELLED = 20  # more organisations than this: names only on hover and focus, not drawn
SHALLOW = ("networking", "none")
DRAWN_SHALLOW = 300  # more ties than this: the shallow ones are left to the table
LAYOUT, MAP = "layout", "map"
MODES = (LAYOUT, MAP)

# Level code -> (stroke width, dash pattern or ""), deepest first: thicker and solid for
# deeper ties, dashed and dotted for the shallow ones.
STROKES = {
    "collaboration": (6.0, ""),
    "cooperation": (4.0, ""),
    "coordination": (2.5, ""),
    "networking": (1.5, "6 4"),
    "none": (1.5, "2 3"),
}


def _finite(value) -> bool:
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


def _map_positions(organisations: list[dict]) -> dict[int, tuple[float, float]]:
    placed = [o for o in organisations if _finite(o.get("lat")) and _finite(o.get("lon"))]
    if not placed:
        return {}
    mean_lat = sum(o["lat"] for o in placed) / len(placed)
    shrink = math.cos(math.radians(mean_lat))
    xs = {o["id"]: o["lon"] * shrink for o in placed}
    ys = {o["id"]: -o["lat"] for o in placed}  # north at the top
    return _fit(xs, ys)


def _layout_positions(organisations: list[dict]) -> dict[int, tuple[float, float]]:
    placed = [o for o in organisations if _finite(o.get("x")) and _finite(o.get("y"))]
    return _fit({o["id"]: o["x"] for o in placed}, {o["id"]: o["y"] for o in placed})


def _fit(xs: dict, ys: dict) -> dict[int, tuple[float, float]]:
    """Scale both axes by one factor into the box (keeping the shape), centred."""
    if not xs:
        return {}
    low_x, high_x = min(xs.values()), max(xs.values())
    low_y, high_y = min(ys.values()), max(ys.values())
    span_x, span_y = high_x - low_x, high_y - low_y
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    scale = min(
        inner_w / span_x if span_x > 0 else math.inf,
        inner_h / span_y if span_y > 0 else math.inf,
    )
    scale = 0.0 if math.isinf(scale) else scale
    pad_x = (inner_w - span_x * scale) / 2 + MARGIN
    pad_y = (inner_h - span_y * scale) / 2 + MARGIN
    return {
        key: (
            round(pad_x + (xs[key] - low_x) * scale, 1),
            round(pad_y + (ys[key] - low_y) * scale, 1),
        )
        for key in xs
    }


def picture(organisations: list[dict], ties: list[dict], mode: str = LAYOUT) -> dict:
    """Geometry for one snapshot's organisations and ties in a WIDTH by HEIGHT box.

    Returns ``nodes`` (each organisation's row with ``cx``, ``cy``, ``member``, ``hollow``,
    in keyboard order), ``lines`` (tie rows with end points, ``width`` and ``dash``,
    shallowest first so deep ties are drawn on top), ``paths`` (the same lines joined into
    one path per level, shallowest first, for drawing; past DRAWN_SHALLOW ties the shallow
    ones are left out and counted in ``shallow_left_out``), ``labelled`` (whether names are
    drawn: up to LABELLED organisations) and ``unplaced`` (organisations without a position
    in this mode, e.g. no coordinates on the map)."""
    mode = mode if mode in MODES else LAYOUT
    where = _map_positions(organisations) if mode == MAP else _layout_positions(organisations)
    ordered = sorted(
        organisations, key=lambda o: (not o.get("member"), o.get("name") or "", o["id"])
    )
    nodes = []
    for org in ordered:
        if org["id"] not in where:
            continue
        cx, cy = where[org["id"]]
        nodes.append(
            {
                "org": org,
                "cx": cx,
                "cy": cy,
                "corner_x": round(cx - 7, 1),  # a member's square, 14 across
                "corner_y": round(cy - 7, 1),
                # a label on the right half reads leftwards, so it stays inside the box
                "label_x": round(cx + 10 if cx < WIDTH / 2 else cx - 10, 1),
                "anchor": "start" if cx < WIDTH / 2 else "end",
                "label_y": round(cy - 10, 1),
                "member": bool(org.get("member")),
                "hollow": org.get("isolation") == "no_tie",
            }
        )
    depth = list(reversed(list(STROKES)))
    # Many shallow ties (every pair of a local authority's partnership is one) would hide
    # the deep ones under a grey mass: past DRAWN_SHALLOW ties, only co-ordination and
    # deeper are drawn; the page says how many were left to the table.
    placed = [t for t in ties if t["a"] in where and t["b"] in where]
    thin = len(placed) > DRAWN_SHALLOW
    left_out = sum(1 for t in placed if t["level"] in SHALLOW) if thin else 0
    lines = []
    for tie in sorted(placed, key=lambda t: depth.index(t["level"]) if t["level"] in depth else 0):
        if thin and tie["level"] in SHALLOW:
            continue
        width, dash = STROKES.get(tie["level"], STROKES["none"])
        (x1, y1), (x2, y2) = where[tie["a"]], where[tie["b"]]
        lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "width": width, "dash": dash,
                      "level": tie["level"]})  # fmt: skip
    # One path per level instead of one element per line: a neighbourhood can hold
    # thousands of ties, and the page must stay small enough for a phone.
    paths = []
    for level in depth:
        drawn = [line for line in lines if line["level"] == level]
        if drawn:
            width, dash = STROKES[level]
            d = " ".join(f"M{ln['x1']} {ln['y1']}L{ln['x2']} {ln['y2']}" for ln in drawn)
            paths.append({"level": level, "width": width, "dash": dash, "d": d})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "mode": mode,
        "nodes": nodes,
        "labelled": len(nodes) <= LABELLED,
        "lines": lines,
        "paths": paths,
        "shallow_left_out": left_out,
        "unplaced": [o for o in ordered if o["id"] not in where],
    }


def legend() -> list[dict]:
    """One short line per level for the key, drawn with the same strokes as the picture."""
    return [{"level": code, "width": w, "dash": dash} for code, (w, dash) in STROKES.items()]
