"""Results come from the cycle's latest stored release, never from the answers: a cell the
release hides is hidden in the API too (no figure at all), a shown cell carries the release's
own figures, and a cycle whose results are withheld gives the reason code and no figures."""

from __future__ import annotations

import pytest

from partnerlens.api.services import create_token
from partnerlens.insights.analytics.suppression import CONCEALED_GROUPS
from partnerlens.insights.models import Release
from partnerlens.insights.releases import LEVELS
from partnerlens.insights.tests.helpers import SMALL_TEACHER_SCHOOL

FIGURES = ("n", "n_dont_know", "mean", "sd", "scale_min", "scale_max")


@pytest.fixture
def token(filled_cycle):
    a = filled_cycle.cycle.partnership
    return create_token(a, actor=filled_cycle.people["lead_a"], name="Results").secret


def key_of(level: str, record: dict) -> tuple:
    return (
        level,
        record.get("theme_key"),
        record.get("dimension"),
        record.get("group") or "",
        record.get("role"),
        record.get("role_group"),
        record.get("organisation_id"),
        record.get("source"),
    )


def results(api, cycle, token) -> dict:
    response = api.call("get", f"/cycles/{cycle.pk}/results", token)
    assert response.status_code == 200
    return response.json()


def test_hidden_cells_stay_hidden_and_a_withheld_release_gives_no_figures(api, filled_cycle, token):
    cycle = filled_cycle.cycle
    release = Release.objects.filter(cycle=cycle).latest()
    stored = {
        key_of(level, record): record
        for level in LEVELS
        for record in release.tables.get(level) or []
    }
    hidden = {key for key, record in stored.items() if record["suppressed"]}
    shown = set(stored) - hidden
    assert hidden and shown, "the filled cycle has groups too small to show and others shown"
    body = results(api, cycle, token)
    assert body["release"]["number"] == release.number
    cells = {key_of(cell["level"], cell): cell for cell in body["cells"]}
    concealed = {
        key
        for key in hidden
        if stored[key].get("concealed") or stored[key].get("group") in CONCEALED_GROUPS
    }
    assert set(cells) == set(stored) - concealed
    for key in hidden - concealed:
        assert cells[key]["shown"] is False
        # One code for every hidden cell: the release knows why each is hidden, no output says.
        assert cells[key]["reason"] == "hidden"
        assert {name: cells[key][name] for name in FIGURES} == dict.fromkeys(FIGURES)
    assert {stored[key].get("suppression_reason") for key in hidden} - {None, ""}, (
        "the release holds reasons, so the API's single code is a choice, not an accident"
    )
    for key in shown:
        assert cells[key]["shown"] is True
        assert {name: cells[key][name] for name in FIGURES} == {
            name: stored[key][name] for name in FIGURES
        }
    # Every count the API gives is one the release shows: no hidden group's size leaks.
    shown_counts = {
        (level, record.get("theme_key"), record.get("group"), record["n"])
        for level in LEVELS
        for record in release.tables.get(level) or []
        if not record["suppressed"]
    }
    for cell in body["cells"]:
        if cell["n"] is not None:
            assert (cell["level"], cell["theme_key"], cell["group"], cell["n"]) in shown_counts
    # Hilltop High: four people answered (two heads, two teachers), fewer than k = 5.
    hilltop = next(s for s in filled_cycle.schools if s.name == SMALL_TEACHER_SCHOOL)
    at_hilltop = [c for c in body["cells"] if c["organisation_id"] == hilltop.pk]
    assert at_hilltop
    assert all(not c["shown"] and c["n"] is None and c["mean"] is None for c in at_hilltop)

    # (In the same test: the filled cycle takes 20 s to build.) With its release withheld,
    # the cycle gives the reason code and no figures.
    Release.objects.filter(cycle=cycle).delete()  # as if every build had been refused
    body = results(api, cycle, token)
    assert body["release"] is None
    assert body["withheld"] == "no_release"
    assert body["cells"] == []
