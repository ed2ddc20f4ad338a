"""``load_demo``, which ``make run`` calls every time it starts: importing, and keeping what
the user changed. The whole demo, built once from every file, is tested in test_story.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from partnerlens.audit.models import AuditEvent
from partnerlens.audit.testing import empty_the_log
from partnerlens.demo import builder, relationships
from partnerlens.demo.management.commands import load_demo
from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import demo_partnerships
from partnerlens.directory.models import Membership, Organisation, Partnership, PartnershipRole
from partnerlens.enquiries.models import Cycle
from partnerlens.frameworks.models import Framework

DEMO = Path(__file__).resolve().parents[3] / "demo" / "data"


def run_demo(capsys) -> str:
    call_command("load_demo")
    return capsys.readouterr().out


@pytest.fixture
def small_demo(db, tmp_path, monkeypatch):
    """A demo folder with only the groups, Trafford and Wales files, to keep tests quick.

    The enquiry cycles and Trafford's relationship cycle (most of a first run's time) are
    marked as built already, which also shows that a step with its marker is skipped.
    """
    for folder in ("gias_groups", "trafford_schools", "wales_support_categories"):
        shutil.copytree(DEMO / folder, tmp_path / folder)
    monkeypatch.setattr(load_demo, "DEMO_DATA", tmp_path)
    DemoStep.mark(builder.ENQUIRIES_BUILT)
    DemoStep.mark(relationships.RELATIONSHIPS_BUILT)
    return tmp_path


def test_a_second_run_loads_nothing_again_and_keeps_the_users_changes(db, capsys, small_demo):
    first = run_demo(capsys)
    assert "imported 4 real data files" in first
    cluster = Partnership.objects.get(name="Sale Primary Cluster")
    cluster.name = "Sale Learning Partnership"
    cluster.save(update_fields=["name"])
    Membership.objects.filter(partnership=cluster).first().delete()
    counts = (Organisation.objects.count(), Membership.objects.count())

    second = run_demo(capsys)

    assert "Demo data: already loaded." in second
    assert (
        "Demo partnerships, frameworks, enquiries, brokerage, relationships, network, outcomes, "
        "impact: already set up (your changes are kept)." in second
    )
    assert len(second.strip().splitlines()) == 2
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    assert not Partnership.objects.filter(name="Sale Primary Cluster").exists()
    assert not Cycle.objects.exists()


def test_a_changed_data_file_is_imported_again(db, capsys, small_demo):
    run_demo(capsys)
    special = (
        small_demo / "wales_support_categories" / "support_categories_2019_special_gwe_erw.csv"
    )
    special.write_text(
        special.read_text(encoding="utf-8").replace("Ysgol Pendalar", "Ysgol Pendalar (renamed)"),
        encoding="utf-8",
    )
    out = run_demo(capsys)
    assert "imported 1 real data file " in out
    assert Organisation.objects.get(welsh_school_code="6617002").name == "Ysgol Pendalar (renamed)"


def signed_in(username: str, password: str):
    """Who the sign-in lets in (through the throttle, which counts by the request)."""
    return authenticate(RequestFactory().post("/"), username=username, password=password)


def test_the_demo_password_is_not_reset_when_the_user_changed_it(db, capsys, small_demo):
    run_demo(capsys)
    demo = signed_in("demo@partnerlens.example", "partnerlens-demo")
    demo.set_password("my-own-password-123")
    demo.save()
    DemoStep.objects.filter(name=load_demo.BUILT).delete()  # even if the demo is rebuilt
    run_demo(capsys)
    assert signed_in("demo@partnerlens.example", "my-own-password-123")


def test_a_step_run_again_without_its_marker_makes_no_second_copy(db, capsys, small_demo):
    run_demo(capsys)
    DemoStep.objects.filter(name=builder.FRAMEWORKS_BUILT).delete()
    out = run_demo(capsys)
    assert "Demo frameworks: 4 built-in frameworks." in out  # nothing flexed this time
    cluster = Partnership.objects.get(name="Sale Primary Cluster")
    assert Framework.objects.filter(owner=cluster).count() == 1


def test_the_demo_keeps_its_state_in_its_own_marker_not_in_the_audit_log(db, capsys, small_demo):
    run_demo(capsys)
    assert set(DemoStep.objects.values_list("name", flat=True)) >= {
        "partnerships",
        "frameworks",
        "enquiries",
        "brokerage",
    }
    assert DemoStep.objects.filter(name__startswith="data:").count() == 4
    empty_the_log()  # the audit log is not the demo's state
    out = run_demo(capsys)
    assert "Demo data: already loaded." in out
    assert not AuditEvent.objects.exists()


def test_the_demo_writes_through_the_directory_services_with_audit_entries(db, capsys, small_demo):
    run_demo(capsys)
    cluster = demo_partnerships()["cluster"]
    members = Membership.objects.filter(partnership=cluster).count()
    lead = get_user_model().objects.get(username="demo@partnerlens.example")
    audited = AuditEvent.objects.filter(partnership_id=cluster.pk)
    assert audited.filter(verb="partnership.created", actor=lead).count() == 1
    assert audited.filter(verb="membership.added", actor=lead).count() == members > 0
    # Colleagues join by accepting the lead's role invitation, as a person would.
    priya = get_user_model().objects.get(username="priya.shah@partnerlens.example")
    assert audited.filter(verb="invitation.sent", actor=lead).count() == 2
    assert audited.filter(verb="invitation.accepted", actor=priya).count() == 1
    assert PartnershipRole.objects.get(partnership=cluster, user=priya).role == "headteacher"
    assert signed_in(priya.username, "partnerlens-demo") == priya


def test_a_second_run_reads_no_unchanged_data_file(db, capsys, small_demo, monkeypatch):
    run_demo(capsys)

    def read(*args, **kwargs):
        raise AssertionError("an unchanged data file was read again")

    monkeypatch.setattr(load_demo, "read_table", read)
    monkeypatch.setattr(load_demo, "data_step", read)
    assert "Demo data: already loaded." in run_demo(capsys)


def test_migrate_option_applies_nothing_on_an_up_to_date_database(db, capsys, small_demo):
    call_command("load_demo", "--migrate")
    out = capsys.readouterr().out
    assert "Demo migrate" not in out  # the test database is migrated already
    assert "imported 4 real data files" in out
    assert load_demo.migrate_if_needed() is False


def test_counting_in_one_batch_puts_the_insights_receiver_back_even_after_an_error(db):
    from partnerlens.demo.cycles import COUNTING, counted_in_one_batch
    from partnerlens.enquiries.signals import response_submitted

    def counting() -> bool:
        return any(key[0] == COUNTING for key, *_ in response_submitted.receivers)

    assert counting()
    with pytest.raises(RuntimeError), counted_in_one_batch():
        assert not counting()
        raise RuntimeError("a respondent's submission failed")
    assert counting()
