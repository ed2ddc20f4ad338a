from __future__ import annotations

from xml.etree import ElementTree

import pandas as pd
import pytest

from partnerlens.insights import charts
from partnerlens.insights.analytics import maturity, scores, trends
from partnerlens.insights.charts import base

from . import svgcheck
from .helpers import answers, themes

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def validated_specs(monkeypatch):
    """Pages skip Vega-Lite's schema check for speed; here every chart spec is checked."""
    monkeypatch.setattr(base, "VALIDATE", True)


def _partnership():
    scale = themes(
        *(
            {
                "theme_key": f"strand-{i}",
                "dimension": f"dim-{i // 4}",
                "target_level": 3.0,
                "scale_min": 1,
                "scale_max": 4,
            }
            for i in range(12)
        )
    )
    rows, response = [], 1
    # The 2 governors are hidden; their partner in complementary suppression is the 5 support
    # staff (the smallest other role of "everyone else"), so teachers and both role groups show.
    for role, count in (("headteacher", 6), ("teacher", 12), ("governor", 2), ("support_staff", 5)):
        for _ in range(count):
            for i in range(12):
                rows.append(
                    {
                        "response_id": response,
                        "role": role,
                        "theme_key": f"strand-{i}",
                        "dimension": f"dim-{i // 4}",
                        "value": float(1 + (response + i) % 4),
                    }
                )
            response += 1
    frame = answers(rows, scale)
    return frame, scale, scores.breakdown(frame, scale, "theme")


def _check_accessible(output):
    root = ElementTree.fromstring(output.svg)  # noqa: S314 (our own output)
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert title is not None and title.text
    assert desc is not None and len(desc.text) > 40
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    table = output.table
    assert table["caption"] and table["headers"]
    assert all(len(row) == len(table["headers"]) for row in table["rows"])
    return root


def _texts(root):
    return {"".join(node.itertext()).strip() for node in root.iter(f"{SVG}text")}


def test_theme_bars_show_every_theme_with_interval_and_target():
    _, _, table = _partnership()
    output = charts.theme_bars(table, labels={"strand-0": "Joint practice"})
    root = _check_accessible(output)
    assert "Joint practice" in _texts(root)
    assert "Target level" in _texts(root)
    assert len(output.table["rows"]) == 12


def test_a_hidden_group_is_left_out_of_the_chart_and_named_in_the_table():
    _, _, table = _partnership()
    output = charts.role_gap_dots(
        table, role_labels={"governor": "Governors", "teacher": "Teachers"}
    )
    root = _check_accessible(output)
    governor_rows = [row for row in output.table["rows"] if row[1] == "Governors"]
    assert governor_rows and all(row[2] == "not enough responses to show" for row in governor_rows)
    assert "Governors" not in _texts(root)  # not in the legend: no governor marker drawn
    assert "Teachers" in _texts(root)
    assert output.table["notes"]


def test_strands_trend_plane_and_continuum_charts_render_accessibly():
    frame, scale, table = _partnership()
    _check_accessible(charts.strand_bars(maturity.strand_profile(table, scale)))
    cycles = pd.DataFrame({"cycle_id": [1], "order": [1], "label": ["2025"]})
    _check_accessible(charts.trend_lines(trends.trend(frame, scale, cycles)))
    plane = scale.assign(dimension=["deep"] * 6 + ["tight"] * 6)
    _check_accessible(charts.deep_tight_scatter(maturity.deep_tight_position(frame, plane)))
    relationships = []
    for response in range(1, 7):
        for own, other in ((1, 2), (2, 3)):
            relationships.append(
                {
                    "response_id": 100 + response * 10 + own,
                    "role": "headteacher",
                    "organisation_id": own,
                    "theme_key": "links",
                    "kind": "relationship",
                    "about_organisation_id": other,
                    "value": 3.0,
                }
            )
    levels = maturity.relationship_levels(answers(relationships))
    output = charts.continuum_grid(levels, {1: "Ash", 2: "Birch", 3: "Cedar"})
    root = _check_accessible(output)
    assert "Co-operation" in _texts(root)


@pytest.mark.parametrize("chart", ["theme_bars", "role_gap_dots"])
def test_charts_say_so_when_everything_is_hidden(chart):
    _, _, table = _partnership()
    hidden = table.assign(suppressed=True)
    output = getattr(charts, chart)(hidden)
    root = _check_accessible(output)
    assert "There is nothing to show yet." in _texts(root)


def test_chart_text_is_translated_by_the_callers_function():
    _, _, table = _partnership()
    output = charts.theme_bars(table, translate=lambda s: {"Theme": "Thema"}.get(s, s))
    assert output.table["headers"][0] == "Thema"


def test_theme_bars_of_a_cycle_without_targets_have_a_size_and_every_name():
    """Once drawn at a size of 1.8e308 with no theme names: an empty layer of targets."""
    _, _, table = _partnership()
    output = charts.theme_bars(table.assign(target_level=float("nan"), progress=None))
    width, height = svgcheck.size(output.svg)
    assert 0 < width < 2000 and 0 < height < 2000
    assert all(svgcheck.shows(output.svg, f"strand-{i}") for i in range(12))
    assert "Target level" not in _texts(_check_accessible(output))
    assert "Target" not in output.table["headers"] and len(output.table["headers"]) == 5


def test_a_chart_that_cannot_be_laid_out_says_so_instead_of_breaking():
    """The old "Scores by theme" of a cycle without targets: a layer whose every point is
    filtered out, with a legend. Vega lays it out at 1.8e308 pixels."""
    import altair as alt

    data = pd.DataFrame({"label": ["Trust"], "low": [1.0], "mean": [3.0]})
    data = data.assign(target=float("nan"), key="Target level")
    base_chart = alt.Chart(data).encode(y=alt.Y("label:N", sort=["Trust"], title=None))
    scale = alt.Scale(domain=[1, 5])
    bars = base_chart.mark_bar(height={"band": 0.6}).encode(
        x=alt.X("low:Q", scale=scale), x2="mean:Q"
    )
    targets = (
        base_chart.transform_filter("isValid(datum.target)")
        .mark_point(shape="diamond", filled=True, size=140)
        .encode(
            x=alt.X("target:Q", scale=scale),
            shape=alt.Shape("key:N", title=None, scale=alt.Scale(range=["diamond"])),
        )
    )
    raw = base.vl_convert.vegalite_to_svg(alt.layer(bars, targets).to_dict())
    assert not base.finite_size(raw)  # the failure this guards against still happens
    svg = base.render(alt.layer(bars, targets), "A chart", "What it shows, described at length.")
    assert base.finite_size(svg)
    assert "The chart could not be drawn" in " ".join(svgcheck.texts(svg))
