"""Evaluating a partnership: the triggers raised from imported figures, each once, with
their tier, figures, periods and deadline, and the email to the named people over SMTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.directory.models import Membership, OutcomeMeasure
from partnerlens.triggers.models import Evaluation, Indicator, Status, Trigger
from partnerlens.triggers.services.evaluating import evaluate_partnership, request_evaluation
from partnerlens.triggers.services.indicators import add_recommended, set_status
from partnerlens.triggers.tests.conftest import import_years

pytestmark = pytest.mark.django_db


def test_an_imported_fall_in_attendance_raises_a_targeted_trigger(camden, smtp_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    made = evaluate_partnership(camden["a"])
    fitzjohns = camden["schools"][100010]
    assert sorted((t.organisation_id, t.indicator.kind, t.tier) for t in made) == [
        (fitzjohns.pk, "attendance_fall", "targeted"),
        (fitzjohns.pk, "persistent_rise", "targeted"),
    ]
    attendance = next(t for t in made if t.indicator.kind == "attendance_fall")
    assert (attendance.period_before, attendance.period_now) == ("2018-19", "2019-20")
    assert (attendance.value_before, attendance.value_now) == (4.3, 6.1)
    assert attendance.severity == pytest.approx(1.8)
    assert attendance.measure == "absence.overall_pct"
    assert attendance.deadline == timezone.localdate() + timedelta(days=15)
    assert attendance.status == Status.OPEN


def test_the_same_figures_never_raise_the_same_trigger_twice(camden, smtp_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    first = evaluate_partnership(camden["a"])
    sent = len(smtp_server.messages)
    assert first and sent
    assert evaluate_partnership(camden["a"]) == []
    import_years("england_abs_2019-20.csv")  # re-imported: the same data
    assert evaluate_partnership(camden["a"]) == []
    assert Trigger.objects.count() == len(first)
    assert len(smtp_server.messages) == sent  # nobody told twice


def test_the_lead_and_the_schools_own_head_are_told_and_no_one_else(camden, smtp_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    made = evaluate_partnership(camden["a"])
    told = sorted(m["To"] for m in smtp_server.messages)
    assert told == sorted(["lead_a@example.org", "head_fitzjohns@example.org"] * len(made))
    message = smtp_server.to("head_fitzjohns@example.org")[0]
    body = smtp_server.body(message)
    subject = smtp_server.subject(message)  # encoded: the Welsh has ’
    assert "Fitzjohn's Primary" in subject
    assert "Rhybudd cynnar" in subject  # both languages, English first in England
    assert body.index("Hello") < body.index("Helo")
    assert "4.3" in body and "6.1" in body and "2019-20" in body
    trigger = made[0]
    assert f"/triggers/partnerships/{camden['a'].pk}/{trigger.pk}/" in body


def test_another_partnerships_school_is_not_evaluated(camden, smtp_server):
    b = camden["b"]
    Membership.objects.create(partnership=b, organisation=camden["schools"][100010])
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    assert evaluate_partnership(b) == []  # B has no indicators
    add_recommended(b, actor=camden["lead_b"])
    made = evaluate_partnership(b)
    assert {t.partnership_id for t in made} == {b.pk}
    assert not smtp_server.to("lead_a@example.org")  # A's lead hears nothing of B's


def test_a_school_that_left_is_not_evaluated(camden, smtp_server):
    Membership.objects.filter(organisation=camden["schools"][100010]).update(
        left=timezone.localdate() - timedelta(days=1)
    )
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    assert evaluate_partnership(camden["a"]) == []


def test_an_inactive_indicator_raises_nothing(camden, smtp_server):
    Indicator.objects.filter(partnership=camden["a"]).update(active=False)
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    assert evaluate_partnership(camden["a"]) == []


def test_a_red_welsh_category_raises_an_intensive_trigger(camden, smtp_server):
    school = camden["schools"][100012]
    for period, text in (("2018-19", "Yellow"), ("2019-20", "Red")):
        OutcomeMeasure.objects.create(
            organisation=school, measure="wales.support_category", period=period, value_text=text
        )
    made = evaluate_partnership(camden["a"])
    assert [(t.organisation_id, t.tier, t.text_before, t.text_now) for t in made] == [
        (school.pk, "intensive", "Yellow", "Red")
    ]


def test_a_requested_evaluation_runs_on_the_queue_and_records_what_it_raised(camden, smtp_server):
    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    request_evaluation(camden["a"])  # tests run tasks at once
    evaluation = Evaluation.objects.get(partnership=camden["a"])
    assert (evaluation.status, evaluation.raised) == ("done", 2)
    assert Trigger.objects.filter(partnership=camden["a"]).count() == 2


def test_an_import_asks_for_an_evaluation_once_it_commits(
    camden, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    assert Trigger.objects.filter(partnership=camden["a"]).count() == 2


def test_a_dry_run_import_asks_for_nothing(camden, smtp_server, django_capture_on_commit_callbacks):
    from partnerlens.directory.importers.runner import import_file
    from partnerlens.triggers.tests.conftest import DATA

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_file(DATA / "england_abs_2018-19.csv", dry_run=True)
    assert callbacks == []
    assert not Evaluation.objects.exists()


def test_a_status_change_is_kept_and_audited(camden, smtp_server):
    from partnerlens.audit.models import AuditEvent

    import_years("england_abs_2018-19.csv", "england_abs_2019-20.csv")
    trigger = evaluate_partnership(camden["a"])[0]
    assert set_status(trigger, Status.ACKNOWLEDGED, actor=camden["lead_a"])
    assert not set_status(trigger, Status.ACKNOWLEDGED, actor=camden["lead_a"])
    trigger.refresh_from_db()
    assert trigger.status == Status.ACKNOWLEDGED and trigger.status_changed_by == camden["lead_a"]
    assert (
        AuditEvent.objects.filter(verb="triggers.status_changed", object_id=str(trigger.pk)).count()
        == 1
    )


def test_recommended_indicators_are_added_once(camden):
    assert add_recommended(camden["a"], actor=camden["lead_a"]) == []
    assert (
        Indicator.objects.filter(partnership=camden["a"]).count() == len(camden["indicators"]) == 6
    )
