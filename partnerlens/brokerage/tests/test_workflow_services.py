"""The broker workflow end to end through services: scenario, run, decisions, re-run, support."""

from __future__ import annotations

import datetime

import pytest

from partnerlens.audit.models import AuditEvent
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import (
    Decision,
    ProposedMatch,
    ScenarioExclusion,
    ScenarioPin,
    SupportRelationship,
    SupportStatus,
)
from partnerlens.brokerage.services.matches import (
    accept_match,
    exclude_pair,
    pin_match,
    reject_match,
)
from partnerlens.brokerage.services.profiles import adjust_assessment, derive_assessments
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.brokerage.services.support import end_support, record_progress


def pairs(run):
    return sorted(
        (m.support_school.name, m.need_school.name, m.area)
        for m in run.matches.select_related("need_school", "support_school")
    )


def proposal(run, need_school):
    return run.matches.get(need_school=need_school)


def test_a_run_proposes_the_optimal_pairs_with_explanations(cluster, scenario):
    run = run_scenario(scenario, actor=cluster["broker"])
    # Cedar (1 km from Ash) takes the urgent need; Damson (3 km from Birch) the other.
    assert pairs(run) == [
        ("Cedar Primary", "Ash Primary", "maths"),
        ("Damson Primary", "Birch Primary", "maths"),
    ]
    ash = proposal(run, cluster["ash"])
    assert (ash.severity, ash.strength, ash.distance_km) == (3, 3, 1.0)
    assert ash.explanation["score"]["total"] == ash.score
    assert ash.explanation["evidence"]["need_sources"][0]["code"] == "evidence.note"
    assert ash.explanation["evidence"]["need_sources"][0]["params"]["note"].startswith("Local")
    assert ash.explanation["evidence"]["expertise_level"] == 3
    assert ash.explanation["need"]["school_name"] == "Ash Primary"
    assert run.totals["needs_met"] == 2
    # Northside Primary (the persona school) has no grid position, so it is listed as left out.
    assert run.skipped == [
        {"school": "Northside Primary", "code": "skipped.no_location", "params": {}}
    ]
    assert AuditEvent.objects.filter(verb="brokerage.scenario_run").count() == 1


def test_rerun_honours_pins_and_exclusions(cluster, scenario):
    broker = cluster["broker"]
    first = run_scenario(scenario, actor=broker)
    # Pin Damson to Ash (not the engine's first choice) and exclude Cedar from Birch.
    swapped = first.matches.get(need_school=cluster["birch"])
    exclude_pair(swapped, actor=broker)  # Damson and Birch never again, any area
    ash = proposal(first, cluster["ash"])
    reject_match(ash, actor=broker)  # not Cedar for Ash in maths
    second = run_scenario(scenario, actor=broker)
    assert pairs(second) == [
        ("Cedar Primary", "Birch Primary", "maths"),
        ("Damson Primary", "Ash Primary", "maths"),
    ]
    pin_match(proposal(second, cluster["birch"]), actor=broker)
    third = run_scenario(scenario, actor=broker)
    birch = proposal(third, cluster["birch"])
    assert birch.pinned and birch.decision == Decision.PINNED
    assert third.settings["pins"] == 1 and third.settings["exclusions"] == 2


def test_a_pin_the_rules_no_longer_allow_is_reported_by_school_name(cluster, scenario):
    broker = cluster["broker"]
    run = run_scenario(scenario, actor=broker)
    pin_match(proposal(run, cluster["ash"]), actor=broker)
    scenario.max_km = 0.5  # Cedar is 1 km from Ash
    scenario.save(update_fields=["max_km"])
    with pytest.raises(BrokerageError) as error:
        run_scenario(scenario, actor=broker)
    assert "The pin of Cedar Primary supporting Ash Primary (Mathematics)" in str(error.value)
    assert "breaks a rule" in str(error.value)


def test_accepting_starts_support_that_later_runs_respect(cluster, scenario):
    broker = cluster["broker"]
    run = run_scenario(scenario, actor=broker)
    ash = proposal(run, cluster["ash"])
    pin_match(ash, actor=broker)
    relationship = accept_match(ash, actor=broker, started_on=datetime.date(2025, 1, 6))
    assert (relationship.supporter, relationship.supported, relationship.area) == (
        cluster["cedar"],
        cluster["ash"],
        "maths",
    )
    assert relationship.status == SupportStatus.ACTIVE
    assert relationship.started_on == datetime.date(2025, 1, 6)
    assert ProposedMatch.objects.get(pk=ash.pk).relationship == relationship
    assert not ScenarioPin.objects.exists()  # the accepted pin is done with
    # Ash's need is now met, and Cedar's one place in maths is taken.
    again = run_scenario(scenario, actor=broker)
    assert pairs(again) == [("Damson Primary", "Birch Primary", "maths")]
    assert again.settings["needs"] == 1
    assert again.settings["relationships"] == 1


def test_decisions_on_an_earlier_run_are_refused(cluster, scenario):
    broker = cluster["broker"]
    old = run_scenario(scenario, actor=broker)
    run_scenario(scenario, actor=broker)
    with pytest.raises(BrokerageError, match="earlier run"):
        accept_match(proposal(old, cluster["ash"]), actor=broker)
    assert not SupportRelationship.objects.exists()


def test_a_decided_proposal_cannot_be_decided_again(cluster, scenario):
    broker = cluster["broker"]
    run = run_scenario(scenario, actor=broker)
    reject_match(proposal(run, cluster["ash"]), actor=broker)
    with pytest.raises(BrokerageError, match="already rejected"):
        accept_match(proposal(run, cluster["ash"]), actor=broker)
    assert ScenarioExclusion.objects.get().area == "maths"


def test_progress_is_recorded_and_support_ended_early_excludes_the_pair(cluster, scenario):
    broker = cluster["broker"]
    run = run_scenario(scenario, actor=broker)
    relationship = accept_match(proposal(run, cluster["ash"]), actor=broker)
    note = record_progress(relationship, text="First visit: lesson study", actor=broker)
    assert relationship.notes.get() == note
    with pytest.raises(BrokerageError, match="why the support is ending"):
        end_support(relationship, status=SupportStatus.ENDED_EARLY, actor=broker)
    with pytest.raises(BrokerageError, match="why the support is ending"):
        end_support(relationship, status=SupportStatus.COMPLETED, reason="  ", actor=broker)
    end_support(
        relationship, status=SupportStatus.ENDED_EARLY, reason="Leadership changes", actor=broker
    )
    relationship.refresh_from_db()
    assert relationship.status == SupportStatus.ENDED_EARLY
    assert relationship.ended_on is not None
    with pytest.raises(BrokerageError, match="already ended"):
        end_support(relationship, status=SupportStatus.COMPLETED, reason="Done", actor=broker)
    # Ash's need is open again, but Cedar (a failed pairing) is not proposed for it.
    again = run_scenario(scenario, actor=broker)
    assert ("Cedar Primary", "Ash Primary", "maths") not in pairs(again)
    assert ("Damson Primary", "Ash Primary", "maths") in pairs(again)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"brokerage.match_accepted", "brokerage.progress_recorded"} <= verbs
    assert "brokerage.support_ended" in verbs


def test_a_broker_adjustment_is_kept_when_profiles_are_derived_again(cluster):
    a, broker = cluster["a"], cluster["broker"]
    derive_assessments(a, actor=broker)
    row = cluster["ash"].area_assessments.get(area="maths")
    assert (row.need_level, row.derived_need) == (3, 0)  # no outcome data; broker said 3
    assert row.sources[-1]["source"] == "broker"
    event = AuditEvent.objects.get(verb="brokerage.assessment_adjusted", object_id=str(row.pk))
    assert event.detail["reason"] == "Local authority review, spring term"


def test_an_adjustment_needs_a_reason(cluster):
    with pytest.raises(BrokerageError, match="reason"):
        adjust_assessment(
            cluster["a"],
            cluster["ash"],
            "maths",
            need_level=1,
            expertise_level=0,
            reason="  ",
            actor=cluster["broker"],
        )


def test_offer_strength_counts_only_as_far_as_expertise_is_shown(cluster, scenario):
    from partnerlens.brokerage.models import AreaAssessment

    AreaAssessment.objects.filter(organisation=cluster["cedar"]).delete()
    run = run_scenario(scenario, actor=cluster["broker"])
    cedar_rows = run.matches.filter(support_school=cluster["cedar"])
    assert [m.strength for m in cedar_rows] == [1]
    assert cedar_rows[0].explanation["evidence"]["declared_strength"] == 3
