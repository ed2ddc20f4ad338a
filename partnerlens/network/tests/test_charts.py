"""The picture's geometry and the profile's betweenness rule, without a database."""

from __future__ import annotations

import pytest

from partnerlens.network import charts
from partnerlens.network.models import Snapshot
from partnerlens.network.presenting import betweenness


def _org(id_, name, *, member=False, x=0.5, y=0.5, lat=None, lon=None, isolation="connected"):
    return {"id": id_, "name": name, "member": member, "x": x, "y": y, "lat": lat, "lon": lon,
            "isolation": isolation}  # fmt: skip


def test_members_come_first_then_the_rest_each_by_name():
    orgs = [
        _org(1, "Zed"),
        _org(2, "Beta", member=True),
        _org(3, "Alpha"),
        _org(4, "Ash", member=True),
    ]
    picture = charts.picture(orgs, [])
    assert [node["org"]["name"] for node in picture["nodes"]] == ["Ash", "Beta", "Alpha", "Zed"]


def test_the_layout_fills_the_box_without_stretching_it():
    orgs = [_org(1, "A", x=0.0, y=0.0), _org(2, "B", x=1.0, y=0.5)]
    nodes = {n["org"]["id"]: n for n in charts.picture(orgs, [])["nodes"]}
    assert nodes[1]["cx"] == charts.MARGIN and nodes[2]["cx"] == charts.WIDTH - charts.MARGIN
    # one scale for both axes: half the width's span down, centred in the height
    span = (charts.WIDTH - 2 * charts.MARGIN) / 2
    assert nodes[2]["cy"] - nodes[1]["cy"] == pytest.approx(span, abs=0.1)


def test_deeper_ties_are_thicker_and_shallow_ones_dashed_and_drawn_underneath():
    orgs = [_org(1, "A", x=0, y=0), _org(2, "B", x=1, y=1), _org(3, "C", x=0, y=1)]
    ties = [{"a": 1, "b": 2, "level": "collaboration"}, {"a": 1, "b": 3, "level": "networking"}]
    lines = charts.picture(orgs, ties)["lines"]
    assert [line["level"] for line in lines] == ["networking", "collaboration"]
    assert lines[1]["width"] > lines[0]["width"] and lines[0]["dash"] and not lines[1]["dash"]


def test_the_map_puts_north_at_the_top_and_leaves_out_organisations_without_a_place():
    orgs = [
        _org(1, "North", lat=53.6, lon=-2.2),
        _org(2, "South", lat=53.4, lon=-2.2),
        _org(3, "Nowhere"),
    ]
    picture = charts.picture(orgs, [{"a": 1, "b": 3, "level": "networking"}], charts.MAP)
    nodes = {n["org"]["name"]: n for n in picture["nodes"]}
    assert nodes["North"]["cy"] < nodes["South"]["cy"]
    assert [o["name"] for o in picture["unplaced"]] == ["Nowhere"]
    assert picture["lines"] == []  # a tie to an unplaced organisation is not drawn


def test_an_unknown_mode_draws_the_layout():
    assert charts.picture([_org(1, "A")], [], "sideways")["mode"] == charts.LAYOUT


def _snapshot(values, method="pivots"):
    orgs = [{"id": i, "betweenness": v, "betweenness_error": 2.0, "betweenness_method": method}
            for i, v in enumerate(values)]  # fmt: skip
    return Snapshot(organisations=orgs, ties=[], figures={}, areas=[], components=[])


def test_a_pivot_estimate_has_a_margin_in_the_top_tenth_and_is_low_outside_it():
    snapshot = _snapshot([100.0] + [float(v) for v in range(19)])
    top = betweenness(snapshot, snapshot.organisations[0])
    assert top == {"shown": "estimate", "value": 100.0, "margin": pytest.approx(3.92)}
    assert betweenness(snapshot, snapshot.organisations[5]) == {"shown": "low"}


def test_an_exact_figure_is_shown_as_it_is_and_a_missing_one_as_none():
    snapshot = _snapshot([3.0, None], method="exact")
    assert betweenness(snapshot, snapshot.organisations[0]) == {"shown": "exact", "value": 3.0}
    assert betweenness(snapshot, snapshot.organisations[1]) == {"shown": "none"}


def test_past_the_limit_shallow_ties_are_left_to_the_table_and_counted():
    orgs = [
        _org(i, f"School {i:02d}", member=True, x=i / 40, y=(i * 7 % 40) / 40) for i in range(40)
    ]
    shallow = [{"a": a, "b": b, "level": "networking"} for a in range(40) for b in range(a + 1, 40)]
    deep = [{"a": 0, "b": 1, "level": "collaboration"}]
    picture = charts.picture(orgs, shallow + deep)
    assert len(shallow) > charts.DRAWN_SHALLOW
    assert picture["shallow_left_out"] == len(shallow)
    assert [line["level"] for line in picture["lines"]] == ["collaboration"]
    few = charts.picture(orgs, shallow[:10] + deep)
    assert few["shallow_left_out"] == 0 and len(few["lines"]) == 11


def test_names_are_drawn_only_for_a_small_picture():
    small = [_org(i, f"S{i}", member=True) for i in range(charts.LABELLED)]
    large = [_org(i, f"S{i}", member=True) for i in range(charts.LABELLED + 1)]
    assert charts.picture(small, [])["labelled"]
    assert not charts.picture(large, [])["labelled"]
