"""Migration 0002 turns the English sentences stored before codes into codes and values."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from partnerlens.core.messages import Message

BEFORE = ("brokerage", "0001_initial")
AFTER = ("brokerage", "0002_codes_not_sentences")


def state_at(executor, target):
    leaves = [n for n in executor.loader.graph.leaf_nodes() if n[0] != "brokerage"]
    return executor.loader.project_state([*leaves, target]).apps


@pytest.mark.django_db(transaction=True)
def test_stored_sentences_become_codes_and_pages_word_them(make_school, make_partnership):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = state_at(executor, BEFORE)
    school, helper = make_school("Ash Primary"), make_school("Cedar Primary")
    partnership = make_partnership("Trafford hub")
    Assessment = old.get_model("brokerage", "AreaAssessment")
    Assessment.objects.create(
        partnership_id=partnership.pk,
        organisation_id=school.pk,
        area="curriculum",
        need_level=3,
        sources=[
            {
                "source": "outcome_data",
                "date": "2018-19",
                "need": 3,
                "expertise": 0,
                "detail": "Progress 8 -0.62 (95% CI -0.80 to -0.44): well below average, below "
                "the floor standard",
            },
            {
                "source": "broker",
                "date": "2025-01-10",
                "need": 3,
                "expertise": 0,
                "detail": "Local authority review",
            },
        ],
    )
    Scenario = old.get_model("brokerage", "Scenario")
    run = old.get_model("brokerage", "ScenarioRun").objects.create(
        scenario=Scenario.objects.create(partnership_id=partnership.pk, name="Spring"),
        skipped=[{"school": "Birch Primary", "reason": "no location"}],
    )
    old.get_model("brokerage", "UnmetNeed").objects.create(
        run=run,
        school_id=school.pk,
        area="maths",
        severity=2,
        reason="out_of_range",
        detail="no school offering maths is within reach (limit 25 km or the supporter's own "
        "max_km); the nearest is 31.4 km away",
    )
    old.get_model("brokerage", "ProposedMatch").objects.create(
        run=run,
        need_school_id=school.pk,
        support_school_id=helper.pk,
        area="curriculum",
        severity=3,
        strength=2,
        distance_km=1.0,
        score=800,
        summary="curriculum need ...",
        explanation={
            "need": {"severity_label": "urgent"},
            "evidence": {
                "need_sources": [
                    {"source": "broker", "date": "2025-01-10", "detail": "Local authority review"}
                ]
            },
        },
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # every app back at its latest
    from partnerlens.brokerage.models import AreaAssessment, ProposedMatch, ScenarioRun, UnmetNeed

    sources = AreaAssessment.objects.get().sources
    assert [s["code"] for s in sources] == ["evidence.p8_well_below", "evidence.note"]
    assert all("detail" not in s for s in sources)
    assert str(Message.of(sources[0])).startswith("Progress 8 of -0.62 (95% confidence interval")
    unmet = UnmetNeed.objects.get()
    assert unmet.params == {"limit_km": 25.0, "nearest_km": 31.4}
    assert str(unmet.explanation).startswith("No school offering Mathematics is within reach")
    assert ScenarioRun.objects.get().skipped == [
        {"school": "Birch Primary", "code": "skipped.no_location", "params": {}}
    ]
    explanation = ProposedMatch.objects.get().explanation
    assert explanation["evidence"]["need_sources"][0]["code"] == "evidence.note"
    assert "severity_label" not in explanation["need"]
