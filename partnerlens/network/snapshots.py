"""The engine's results for one loaded network, as the snapshot's JSON (models.Snapshot).

Codes and numbers only; a float the engine could not give (NaN) is stored as null.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from partnerlens.network.analytics import organisations as org_measures
from partnerlens.network.analytics import partnerships as partnership_measures
from partnerlens.network.analytics.betweenness import betweenness
from partnerlens.network.analytics.graph import (
    LEVEL_CODES,
    MEMBERSHIP,
    SOURCE_CODES,
    weighted_pairs,
)
from partnerlens.network.analytics.structural_holes import structural_holes
from partnerlens.network.analytics.system import components, isolated_schools_by_area
from partnerlens.network.layout import force_layout
from partnerlens.network.loaders import KIND_CODES, Loaded

DIGITS = 6  # stored precision: far beyond what a page shows, and keeps the JSON small


TOP_SHARE = 0.1  # betweenness margins are honest for the top tenth only (docs/methods.md)


def top_betweenness(values) -> float | None:
    """The least betweenness among the top tenth of organisations (None when none has one),
    kept with the figures so that a profile need not read every organisation for it."""
    known = sorted((v for v in values if v is not None and np.isfinite(v)), reverse=True)
    if not known:
        return None
    return known[max(1, math.ceil(len(known) * TOP_SHARE)) - 1]


def _number(value) -> float | None:
    value = float(value)
    return round(value, DIGITS) if np.isfinite(value) else None


def _date(value: np.datetime64) -> str | None:
    return None if np.isnat(value) else str(value.astype("datetime64[D]"))


def _kind(loaded: Loaded, p: int) -> str | None:
    code = int(loaded.network.partnership_type[p])
    return KIND_CODES[code] if code >= 0 else None


def _ties(loaded: Loaded, now) -> list[dict]:
    """One row per pair of organisations (a < b by id), from the ties active on the day
    (``now``: the network on that day); ``mismatched`` marks the pairs the engine's
    ``mismatched_pairs`` finds (two sides' answers two or more levels apart)."""
    ids, ties = loaded.network.node_ids, now.ties
    wide = {
        (int(ids[a]), int(ids[b])) for a, b, *_levels in partnership_measures.mismatched_pairs(now)
    }
    pairs: dict[tuple[int, int], dict] = {}
    for k in range(len(ties)):
        s, d = int(ids[ties.src[k]]), int(ids[ties.dst[k]])
        if s == d:
            continue
        a, b = min(s, d), max(s, d)
        row = pairs.get((a, b))
        if row is None:
            row = pairs[(a, b)] = {
                "a": a, "b": b, "level": 0, "sources": set(), "partnership_kinds": set(),
                "a_says": None, "b_says": None, "starts": [],
            }  # fmt: skip
        level = int(ties.level[k])
        row["level"] = max(row["level"], level)
        row["sources"].add(SOURCE_CODES[ties.source[k]])
        if ties.source[k] == MEMBERSHIP and ties.partnership[k] >= 0:
            kind = _kind(loaded, int(ties.partnership[k]))
            if kind:
                row["partnership_kinds"].add(kind)
        if ties.answered[k]:
            side = "a_says" if s == a else "b_says"
            row[side] = max(row[side] if row[side] is not None else -1, level)
        row["starts"].append(ties.start[k])
    found = []
    for row in pairs.values():
        starts = row.pop("starts")
        # A level given by one side only is not shown: the other side's group is too small.
        if row["a_says"] is None or row["b_says"] is None:
            row["a_says"] = row["b_says"] = None
        else:
            row["a_says"] = LEVEL_CODES[row["a_says"]]
            row["b_says"] = LEVEL_CODES[row["b_says"]]
        row["level"] = LEVEL_CODES[row["level"]]
        row["mismatched"] = (min(row["a"], row["b"]), max(row["a"], row["b"])) in wide
        row["sources"] = [code for code in SOURCE_CODES if code in row["sources"]]
        row["partnership_kinds"] = sorted(row["partnership_kinds"])
        known = [s for s in starts if not np.isnat(s)]
        row["start"] = None if len(known) < len(starts) else _date(min(known))
        found.append(row)
    return sorted(found, key=lambda row: (row["a"], row["b"]))


def _figures(loaded: Loaded, measured, n_ties: int) -> dict:
    ids = loaded.network.node_ids
    mine = next((m for m in measured if m.partnership == loaded.partnership), None)
    if mine is None:
        return {
            "members": 0, "asked": 0, "answered": 0, "response_rate": None, "density": None,
            "ties_returned": None, "depth": {code: 0 for code in LEVEL_CODES}, "core": [],
            "core_fit": None, "core_method": None, "nodes": len(ids), "ties": n_ties,
        }  # fmt: skip
    cp = mine.core_periphery
    return {
        "members": len(mine.members),
        "asked": mine.asked,
        "answered": mine.answered,
        "response_rate": _number(mine.response_rate),
        "density": _number(mine.density),
        "ties_returned": _number(mine.ties_returned),
        "depth": {code: int(mine.depth[i]) for i, code in enumerate(LEVEL_CODES)},
        "core": sorted(int(ids[node]) for node in mine.members[cp.core]),
        "core_fit": _number(cp.fit),
        "core_method": cp.method,
        "nodes": len(ids),
        "ties": n_ties,
    }


def build(loaded: Loaded) -> dict:
    """The snapshot's fields: organisations, ties, figures, areas, components."""
    network, on = loaded.network, loaded.on
    n = network.n_nodes
    now = network.at(on)
    u, v, w = weighted_pairs(n, now.ties)
    measured = org_measures.measures(network, on)
    holes = structural_holes(n, u, v, w)
    between = betweenness(n, u, v)
    x, y = force_layout(n, u, v, w)

    kinds_of: dict[int, set[str]] = defaultdict(set)
    for p, node in zip(now.memberships.partnership, now.memberships.node, strict=True):
        kind = _kind(loaded, int(p))
        if kind:
            kinds_of[int(node)].add(kind)

    organisations = []
    for i, base in enumerate(loaded.organisations):
        strongest = int(measured.strongest_level[i])
        days = measured.isolated_days[i]
        organisations.append(
            {
                **base,
                "name_cy": "",  # organisations have one name, as the register gives it
                "x": _number(x[i]),
                "y": _number(y[i]),
                "partnerships": int(measured.partnerships[i]),
                "partners": int(measured.partners[i]),
                "types": int(measured.partnership_types[i]),
                "type_codes": sorted(kinds_of[i]),
                "strongest": LEVEL_CODES[strongest] if strongest >= 0 else None,
                "isolation": org_measures.ISOLATION_CODES[measured.isolation[i]],
                "isolated_since": _date(measured.isolated_since[i]),
                "isolated_days": None if np.isnan(days) else int(days),
                "constraint": _number(holes.constraint[i]),
                "effective_size": _number(holes.effective_size[i]),
                "betweenness": _number(between.estimate[i]),
                "betweenness_error": _number(between.error[i]),
                "betweenness_method": between.method,
                "trust_given": _number(measured.trust.given[i]),
                "trust_received": _number(measured.trust.received[i]),
                "value_given": _number(measured.value.given[i]),
                "value_received": _number(measured.value.received[i]),
            }
        )
    ties = _ties(loaded, now)
    by_area = isolated_schools_by_area(network.area, network.kind, measured.isolation)
    areas = []
    for code, schools, no_tie, no_deep in zip(
        by_area.area, by_area.schools, by_area.no_tie, by_area.no_deep_tie, strict=True
    ):
        if code < 0:
            continue  # schools without a local authority on record
        la_code = loaded.area_codes[int(code)]
        areas.append(
            {
                "la_code": la_code,
                "la_name": loaded.area_names.get(la_code, ""),
                "schools": int(schools),
                "no_tie": int(no_tie),
                "no_deep_tie": int(no_deep),
            }
        )
    figures = _figures(loaded, partnership_measures.measures(network, on), len(ties))
    figures["betweenness_top"] = top_betweenness(row["betweenness"] for row in organisations)
    return {
        "organisations": organisations,
        "ties": ties,
        "figures": figures,
        "areas": areas,
        "components": [int(size) for size in components(n, u, v).sizes],
    }
