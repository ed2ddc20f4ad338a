"""Charts that cannot break: random results, every chart drawn, every drawing checked.

Hypothesis draws a set of results (no theme, one, several; with and without targets; some or
all groups hidden; short names and long Welsh ones) and every chart must come out with a
finite size, every shown name written whole (wrapped, never cut short) and no two labels
on top of each other. The inputs are the frames the engine hands the charts, built here
directly so the test exercises the drawing, quickly.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnerlens.insights import charts
from partnerlens.insights.charts import base

from . import svgcheck
from .chartdata import (
    ALL_HIDDEN,
    EMPTY,
    LONG_WELSH,
    NO_TARGETS,
    ONE_THEME,
    ROLE_NAMES,
    ROLES,
    SHORT,
    WELSH,
    breakdown,
    plane,
    relationship_levels,
    strand_profile,
    trend_table,
)

names = st.one_of(st.sampled_from(WELSH), st.sampled_from(SHORT))


@st.composite
def results(draw):
    """A cycle's results: themes with names, scale, targets, groups shown or hidden."""
    count = draw(st.sampled_from([0, 1, 1, 2, 3, 5, 12]))
    labels = draw(st.lists(names, min_size=count, max_size=count, unique=True))
    scale_max = draw(st.sampled_from([4.0, 5.0]))
    no_targets = draw(st.booleans())
    all_hidden = draw(st.sampled_from([False, False, True]))
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=4, unique=True))
    themes = []
    for i, label in enumerate(labels):
        mean = draw(st.floats(1.0, scale_max))
        width = draw(st.floats(0.05, 1.5))
        target = math.nan if no_targets else draw(st.sampled_from([math.nan, 3.0, scale_max]))
        hidden = all_hidden or (draw(st.booleans().filter(lambda b: True)) and i % 3 == 2)
        themes.append((f"t{i}", label, mean, width, target, hidden))
    cycles = draw(
        st.lists(
            st.sampled_from(["2024", "Spring review 2025", "Adolygiad gwanwyn 2026", "Hydref"]),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    organisations = draw(st.lists(names, min_size=0, max_size=4, unique=True))
    return {
        "themes": themes,
        "scale_max": scale_max,
        "roles": roles,
        "all_hidden": all_hidden,
        "cycles": cycles,
        "organisations": organisations,
        "plane": draw(st.one_of(st.none(), st.tuples(st.floats(0, 1), st.floats(0, 1)))),
    }


def check(output, expected_labels):
    svg = output.svg
    width, height = svgcheck.size(svg)
    assert math.isfinite(width) and math.isfinite(height), (width, height)
    assert 0 < width < 5000 and 0 < height < 8000, (width, height)
    text = svgcheck.texts(svg)
    assert not any("…" in t for t in text), text  # nothing cut short
    for label in expected_labels:
        assert svgcheck.shows(svg, label), (label, text)
    assert not svgcheck.overlapping(svg), svgcheck.overlapping(svg)
    assert not svgcheck.outside(svg), svgcheck.outside(svg)
    assert all(len(row) == len(output.table["headers"]) for row in output.table["rows"])


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(results())
@example(EMPTY)
@example(ONE_THEME)
@example(NO_TARGETS)
@example(ALL_HIDDEN)
@example(LONG_WELSH)
def test_every_chart_of_random_results_is_whole_and_readable(drawn):
    base.VALIDATE = False  # the schema check is in test_charts; here the drawing is tested
    labels = {key: label for key, label, *_rest in drawn["themes"]}
    shown = [labels[key] for key, _l, _m, _w, _t, hidden in drawn["themes"] if not hidden]
    table = breakdown(drawn)

    check(charts.theme_bars(table, labels), shown)
    roles_shown = [] if drawn["all_hidden"] else shown
    check(charts.role_gap_dots(table, labels, ROLE_NAMES), roles_shown)
    check(charts.trend_lines(trend_table(drawn), labels), shown)
    check(charts.strand_bars(strand_profile(drawn), labels), shown)
    check(charts.deep_tight_scatter(plane(drawn)), [])
    organisations = dict(enumerate(drawn["organisations"], start=1))
    levels = relationship_levels(drawn)
    visible = levels[~levels["suppressed"]] if len(levels) else levels
    named = {
        organisations[o]
        for o in (*visible.get("organisation_a", []), *visible.get("organisation_b", []))
    }
    check(charts.continuum_grid(levels, organisations), named)
