"""What the network pages show, read from a stored snapshot (``models.Snapshot``).

The snapshot holds codes and numbers; these functions pick and order them for a page and
attach the words for codes (``labels``). Nothing here queries the database but
``profile``, which reads the partners' entries in one query, and ``history``, which reads
the organisation's entries across the stored snapshots in one query.
"""

from __future__ import annotations

import math
from datetime import date

from django.core.paginator import Paginator

from partnerlens.network import charts, labels
from partnerlens.network.models import Snapshot, SnapshotEntry
from partnerlens.network.snapshots import top_betweenness

TIES_PER_PAGE = 200  # rows of the table of ties on one page


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


def neighbourhood(snapshot: Snapshot) -> tuple[set[int], list[dict]]:
    """The members, the organisations tied to a member, and the ties among them.

    A scope can hold thousands of schools (every open school in the members' local
    authorities); the picture and its table draw only this neighbourhood, so both stay
    readable and quick. The rest are counted on the page and listed on the isolated page."""
    members = {row["id"] for row in snapshot.organisations if row.get("member")}
    near = set(members)
    for tie in snapshot.ties:
        if tie["a"] in members:
            near.add(tie["b"])
        elif tie["b"] in members:
            near.add(tie["a"])
    return near, [tie for tie in snapshot.ties if tie["a"] in near and tie["b"] in near]


def home(snapshot: Snapshot, mode: str, page=None) -> dict:
    near, near_ties = neighbourhood(snapshot)
    by_id = {row["id"]: Row(row) for row in snapshot.organisations if row["id"] in near}
    for org in by_id.values():
        org["strongest_label"] = labels.level(org.get("strongest"))
    figures = snapshot.figures or {}
    depth = figures.get("depth") or {}
    core = [by_id[i] for i in figures.get("core") or () if i in by_id]
    core_ids = {org["id"] for org in core}
    members = sorted((o for o in by_id.values() if o.get("member")), key=lambda o: o["name"])
    # Sorted on the stored codes and names, then only the page shown is worded.
    ordered = sorted(
        near_ties,
        key=lambda t: (
            -labels.DEPTH.get(t["level"], 0),
            by_id[t["a"]]["name"],
            by_id[t["b"]]["name"],
        ),
    )
    ties_page = Paginator(ordered, TIES_PER_PAGE).get_page(page)
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
        "picture": charts.picture(list(by_id.values()), near_ties, mode),
        "legend": [{**item, "label": labels.LEVELS[item["level"]]} for item in charts.legend()],
        "tie_rows": tie_rows(snapshot, by_id, ties_page.object_list),
        "ties_page": ties_page,
        "members": members,
        "drawn": len(by_id),
        "in_scope": len(snapshot.organisations),
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
    figures = snapshot.figures or {}
    if "betweenness_top" in figures:
        top = _number(figures["betweenness_top"])
    else:  # a snapshot stored before the figure was kept
        top = top_betweenness(row.get("betweenness") for row in snapshot.organisations)
    if value > 0 and top is not None and value >= top:
        error = _number(org.get("betweenness_error")) or 0.0
        return {"shown": "estimate", "value": value, "margin": 1.96 * error}
    return {"shown": "low"}


def profile(snapshot: Snapshot, entry: SnapshotEntry) -> dict:
    """One organisation's page, from its entry and its partners' entries (one query)."""
    org_id = entry.organisation_id
    partner_ids = {tie["a"] if tie["b"] == org_id else tie["b"] for tie in entry.ties}
    by_id = {
        found: Row(row)
        for found, row in SnapshotEntry.objects.filter(
            snapshot=snapshot, organisation_id__in=partner_ids
        ).values_list("organisation_id", "row")
    }
    org = by_id[org_id] = Row(entry.row)
    ties = []
    for tie in tie_rows(snapshot, by_id, entry.ties):
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
    """The organisation in each stored snapshot of the partnership, newest first: its
    entries only, in one query, never the snapshots' whole lists."""
    found = (
        SnapshotEntry.objects.filter(snapshot__partnership=partnership, organisation_id=org_id)
        .order_by("-snapshot__on", "-snapshot__computed_at", "-snapshot_id")
        .values_list("snapshot__on", "row")
    )
    return [
        {
            "on": on,
            "partners": org.get("partners"),
            "strongest": labels.level(org.get("strongest")),
            "isolation": labels.isolation(org.get("isolation")),
        }
        for on, org in found
    ]


def mismatched(snapshot: Snapshot) -> list[dict]:
    """Ties whose two sides' answers are two or more levels apart (the engine's
    ``mismatched_pairs``, marked when the snapshot was built), widest gap first."""
    by_id = organisations(snapshot)
    wide = [tie for tie in snapshot.ties if tie.get("mismatched")]
    rows = tie_rows(snapshot, by_id, wide)
    for row in rows:
        row["gap"] = abs(labels.DEPTH.get(row["a_says"], 0) - labels.DEPTH.get(row["b_says"], 0))
    return sorted(rows, key=lambda r: (-r["gap"], r["first"]["name"], r["second"]["name"]))
