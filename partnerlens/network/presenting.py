"""What the network pages show, read from a stored snapshot (``models.Snapshot``).

The snapshot holds codes and numbers; these functions pick and order them for a page and
attach the words for codes (``labels``). Nothing here queries the database but
``history``, which reads the partnership's stored snapshots in one query.
"""

from __future__ import annotations

import math
from datetime import date

from partnerlens.network import charts, labels
from partnerlens.network.models import Snapshot

TOP_SHARE = 0.1  # betweenness margins are honest for the top tenth only (docs/methods.md)


class Row(dict):
    """An organisation's stored row, readable as attributes too (``bilingual`` reads
    ``name`` and ``name_cy`` with getattr)."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _number(value) -> float | None:
    return value if isinstance(value, int | float) and math.isfinite(value) else None


def _day(text) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except (TypeError, ValueError):
        return None


def organisations(snapshot: Snapshot) -> dict[int, Row]:
    return {row["id"]: Row(row) for row in snapshot.organisations}


def tie_rows(snapshot: Snapshot, by_id: dict[int, Row], ties=None) -> list[dict]:
    """Every tie (or those given) with both organisations, worded level and sources."""
    rows = []
    for tie in snapshot.ties if ties is None else ties:
        a, b = by_id.get(tie["a"]), by_id.get(tie["b"])
        if a is None or b is None:
            continue
        rows.append(
            {
                **tie,
                "first": a,
                "second": b,
                "since": _day(tie.get("start")),
                "level_label": labels.level(tie["level"]),
                "depth": labels.DEPTH.get(tie["level"], 0),
                "sources_label": labels.sources(tie.get("sources")),
                "kinds_label": labels.kinds(tie.get("partnership_kinds")),
                "a_says_label": labels.level(tie.get("a_says")),
                "b_says_label": labels.level(tie.get("b_says")),
            }
        )
    return rows


def home(snapshot: Snapshot, mode: str) -> dict:
    by_id = organisations(snapshot)
    for org in by_id.values():
        org["strongest_label"] = labels.level(org.get("strongest"))
    figures = snapshot.figures or {}
    depth = figures.get("depth") or {}
    core = [by_id[i] for i in figures.get("core") or () if i in by_id]
    core_ids = {org["id"] for org in core}
    members = sorted((o for o in by_id.values() if o.get("member")), key=lambda o: o["name"])
    ties = sorted(
        tie_rows(snapshot, by_id),
        key=lambda t: (-t["depth"], t["first"]["name"], t["second"]["name"]),
    )
    rate = _number(figures.get("response_rate"))
    return {
        "figures": figures,
        "response_pct": round(rate * 100) if rate is not None else None,
        "depth_rows": [
            {"level": code, "label": labels.LEVELS[code], "count": depth.get(code, 0)}
            for code in labels.LEVEL_ORDER
        ],
        "core": core,
        "periphery": [o for o in members if o["id"] not in core_ids] if core else [],
        "picture": charts.picture(list(by_id.values()), snapshot.ties, mode),
        "legend": [{**item, "label": labels.LEVELS[item["level"]]} for item in charts.legend()],
        "tie_rows": ties,
        "members": members,
    }


def isolated(snapshot: Snapshot, la_code: str) -> dict:
    """The areas of the snapshot, and the chosen one's isolated schools, members apart."""
    areas = sorted(snapshot.areas, key=lambda area: area.get("la_name") or area["la_code"])
    chosen = next((area for area in areas if area["la_code"] == la_code), None)
    schools = []
    if chosen:
        schools = sorted(
            (
                Row(row)
                for row in snapshot.organisations
                if row.get("kind") == "school"
                and row.get("la_code") == la_code
                and row.get("isolation") in ("no_tie", "no_deep_tie")
            ),
            key=lambda o: (o["isolation"] != "no_tie", o["name"]),
        )
    for school in schools:
        school["isolation_label"] = labels.isolation(school["isolation"])
        school["since"] = _day(school.get("isolated_since"))
    return {
        "areas": areas,
        "area": chosen,
        "members": [s for s in schools if s.get("member")],
        "others": [s for s in schools if not s.get("member")],
    }


def betweenness(snapshot: Snapshot, org: dict) -> dict:
    """The figure to show: exact, an estimate with its 95% margin (top tenth), or "low"."""
    value = _number(org.get("betweenness"))
    if value is None:
        return {"shown": "none"}
    if org.get("betweenness_method") != "pivots":
        return {"shown": "exact", "value": value}
    values = sorted(
        (v for row in snapshot.organisations if (v := _number(row.get("betweenness"))) is not None),
        reverse=True,
    )
    top = values[: max(1, math.ceil(len(values) * TOP_SHARE))]
    if value > 0 and value >= top[-1]:
        error = _number(org.get("betweenness_error")) or 0.0
        return {"shown": "estimate", "value": value, "margin": 1.96 * error}
    return {"shown": "low"}


def profile(snapshot: Snapshot, org_id: int) -> dict:
    by_id = organisations(snapshot)
    org = by_id[org_id]
    ties = []
    for tie in tie_rows(snapshot, by_id, snapshot.ties_of(org_id)):
        mine_first = tie["a"] == org_id
        tie["partner"] = tie["second"] if mine_first else tie["first"]
        tie["they_say"] = tie["b_says_label"] if mine_first else tie["a_says_label"]
        tie["we_say"] = tie["a_says_label"] if mine_first else tie["b_says_label"]
        ties.append(tie)
    org["isolation_label"] = labels.isolation(org.get("isolation"))
    org["since"] = _day(org.get("isolated_since"))
    org["strongest_label"] = labels.level(org.get("strongest"))
    org["kinds_label"] = labels.kinds(org.get("type_codes"))
    return {
        "org": org,
        "ties": ties,
        "betweenness": betweenness(snapshot, org),
        "constraint": _number(org.get("constraint")),
        "effective_size": _number(org.get("effective_size")),
    }


def history(partnership, org_id: int) -> list[dict]:
    """The organisation in each stored snapshot of the partnership, newest first."""
    rows = []
    for snapshot in Snapshot.objects.filter(partnership=partnership).only(
        "on", "computed_at", "organisations"
    ):
        org = snapshot.organisation(org_id)
        if org is None:
            continue
        rows.append(
            {
                "on": snapshot.on,
                "partners": org.get("partners"),
                "strongest": labels.level(org.get("strongest")),
                "isolation": labels.isolation(org.get("isolation")),
            }
        )
    return rows


def mismatched(snapshot: Snapshot) -> list[dict]:
    """Ties whose two sides' answers are two or more levels apart, widest gap first."""
    by_id = organisations(snapshot)
    wide = [
        tie
        for tie in snapshot.ties
        if tie.get("a_says") and tie.get("b_says")
        and abs(labels.DEPTH.get(tie["a_says"], 0) - labels.DEPTH.get(tie["b_says"], 0)) >= 2
    ]  # fmt: skip
    rows = tie_rows(snapshot, by_id, wide)
    for row in rows:
        row["gap"] = abs(labels.DEPTH.get(row["a_says"], 0) - labels.DEPTH.get(row["b_says"], 0))
    return sorted(rows, key=lambda r: (-r["gap"], r["first"]["name"], r["second"]["name"]))
