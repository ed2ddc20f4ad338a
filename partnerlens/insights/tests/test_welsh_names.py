"""Each language's dashboard and downloads name the cycle and the partnership in that
language, from the Welsh typed beside the English (English when there is none)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pandas as pd
import pytest
from django.utils import translation

from partnerlens.insights import dashboard
from partnerlens.insights.dashboard import trends
from partnerlens.insights.exporters import get_exporter
from partnerlens.insights.tests.test_exporters import context_for, frames_from

GROUPS = [("teacher", 1, 8, 4), ("headteacher", 2, 6, 5)]


def built(language: str, **welsh):
    frames = dataclasses.replace(frames_from(GROUPS, 3, 10, 1), **welsh)
    with translation.override(language):
        return dashboard.build(frames)


def test_the_welsh_dashboard_and_its_downloads_use_the_welsh_names():
    welsh = built("cy", cycle_title_cy="Adolygiad y gwanwyn", partnership_name_cy="Clwstwr Cymru")
    assert (welsh.title, welsh.partnership_name) == ("Adolygiad y gwanwyn", "Clwstwr Cymru")
    with translation.override("cy"):
        download = get_exporter("csv").render(context_for(welsh)).decode("utf-8-sig")
    assert "Adolygiad y gwanwyn" in download and "Clwstwr Cymru" in download
    assert "Generated partnership" not in download


@pytest.mark.parametrize(
    ("language", "welsh"),
    [("en", {"cycle_title_cy": "Adolygiad y gwanwyn"}), ("cy", {})],
)
def test_english_names_where_english_is_read_or_no_welsh_was_typed(language, welsh):
    page = built(language, **welsh)
    assert (page.title, page.partnership_name) == ("Generated", "Generated partnership")


def test_trends_name_each_earlier_cycle_in_the_page_language():
    cycles = pd.DataFrame(
        {
            "cycle_id": [1, 2],
            "order": [0, 1],
            "label": ["Spring review", "Autumn review"],
            "label_cy": ["Adolygiad y gwanwyn", ""],
        }
    )
    context = SimpleNamespace(frames=SimpleNamespace(cycles=cycles))
    with translation.override("cy"):
        assert trends._labels(context) == {1: "Adolygiad y gwanwyn", 2: "Autumn review"}
    with translation.override("en"):
        assert trends._labels(context) == {1: "Spring review", 2: "Autumn review"}
