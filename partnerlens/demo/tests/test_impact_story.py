"""The demo shows issue 13 end to end on the Tandridge partnership: a registered question and
its finished estimate, indicators evaluated, actions from findings with updates and evidence,
activities and benefits; the governors' summary adds them up. Built from the real 2016-19
files in demo/data, as ``load_demo`` builds it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from partnerlens.actions.models import Action, ActionUpdate, Activity, Benefit, EvidenceItem
from partnerlens.demo import impact_story
from partnerlens.demo.impact_story import ACTIVITIES, IMPACT_BUILT, build_impact_demo
from partnerlens.demo.models import DemoStep
from partnerlens.demo.outcomes import NAME, build_outcome_demo
from partnerlens.demo.partnerships import demo_lead
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import Partnership
from partnerlens.impact.models import Estimate, Registration
from partnerlens.triggers.models import Evaluation, Indicator, Trigger

FOLDER = Path(__file__).resolve().parents[3] / "demo" / "data"
FILES = sorted((FOLDER / "dfe_performance_2016-19_hampshire_surrey").glob("*.csv"))


@pytest.fixture
def tandridge(db):
    for path in FILES:
        assert import_file(path).ok
    build_outcome_demo()
    return Partnership.objects.get(name=NAME), build_impact_demo()


def test_the_step_builds_every_part_of_issue_13_through_the_services(tandridge):
    partnership, said = tandridge
    registration = Registration.objects.get(partnership=partnership)
    estimate = Estimate.objects.get(partnership=partnership)
    assert estimate.registration == registration
    assert estimate.status in (Estimate.Status.ESTIMATED, Estimate.Status.NOT_ENOUGH_DATA)
    assert estimate.job.status == "done" and estimate.group is not None
    assert Indicator.objects.filter(partnership=partnership).count() == 7
    assert Evaluation.objects.get(partnership=partnership).status == "done"
    # KS2 maths progress 2017-18 to 2018-19 in the real files fell by 5.5, 3.1 and 1.6
    # points in three schools (MATPROG): one trigger at each tier.
    maths = Trigger.objects.filter(partnership=partnership, measure="ks2.mat_progress")
    assert sorted(maths.values_list("tier", flat=True)) == ["intensive", "targeted", "universal"]
    assert sorted(round(t.severity, 1) for t in maths) == [1.6, 3.1, 5.5]
    actions = Action.objects.filter(partnership=partnership)
    assert actions.count() == 3 and actions.filter(source_kind="impact").count() == 1
    worst = maths.get(tier="intensive")
    assert actions.get(source_kind="trigger").source_id == worst.pk
    assert ActionUpdate.objects.filter(action__in=actions).count() == 2
    assert EvidenceItem.objects.filter(partnership=partnership, actions__in=actions).count() == 2
    assert Activity.objects.filter(partnership=partnership).count() == len(ACTIVITIES)
    assert Benefit.objects.filter(partnership=partnership).count() == 3
    assert DemoStep.detail_of(IMPACT_BUILT)["estimate"] == estimate.pk
    assert f"({estimate.status})" in said


def test_the_governors_summary_shows_the_demo(tandridge, client):
    partnership, _said = tandridge
    client.force_login(demo_lead())
    html = client.get(reverse("summary:page", args=[partnership.pk])).content.decode()
    hours = sum(Decimal(row[3]) for row in ACTIVITIES)
    cost = sum(Decimal(row[4]) for row in ACTIVITIES)
    assert f"{len(ACTIVITIES)} activities, taking {hours:.0f} people-hours" in html
    assert f"£{cost:,.2f}" in html
    estimate = Estimate.objects.get(partnership=partnership)
    assert f'id="outcome-{estimate.pk}"' in html
    if estimate.status == Estimate.Status.ESTIMATED:
        assert f"{estimate.result['effect']:.2f}" in html
    assert "was registered" in html or "registered" in html.lower()
    assert "The partnership's plan has 3 actions; 1 overdue" in html
    assert "3 triggers have been raised for member schools: 3 not yet resolved" in html


def test_without_the_tandridge_partnership_the_step_skips(db):
    assert "skipped" in build_impact_demo()
    assert DemoStep.has_run(impact_story.IMPACT_BUILT)


def test_the_welsh_demo_reads_welsh_in_the_plan_evidence_activities_and_benefits(tandridge, client):
    partnership, _said = tandridge
    actions = Action.objects.filter(partnership=partnership)
    assert not actions.filter(title_cy="").exists()
    assert not Activity.objects.filter(partnership=partnership, title_cy="").exists()
    assert not EvidenceItem.objects.filter(partnership=partnership, title_cy="").exists()
    assert not Benefit.objects.filter(partnership=partnership, description_cy="").exists()
    # The impact finding's name, snapshotted in both languages (the measure's Welsh name).
    from_impact = actions.get(source_kind="impact")
    assert from_impact.source_label_cy and from_impact.source_label_cy != from_impact.source_label
    client.force_login(demo_lead())
    with translation.override("cy"):
        plan = reverse("actions:plan", args=[partnership.pk])
        benefits = reverse("actions:benefits", args=[partnership.pk])
    html = client.get(plan).text
    assert "Rhannu’r dull o gymedroli darllen â phob tîm Blwyddyn 6" in html
    assert "Share the reading moderation approach" not in html
    assert (
        "Daeth cymedroli darllen ar y cyd yn lle tri chwrs ar wahân." in client.get(benefits).text
    )
