"""``load_demo``, which ``make run`` calls every time it starts: importing, and keeping what
the user changed. The whole demo, built once from every file, is tested in test_story.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from partnerlens.audit.models import AuditEvent
from partnerlens.audit.services import record
from partnerlens.demo import builder
from partnerlens.demo.management.commands import load_demo
from partnerlens.demo.partnerships import demo_partnerships
from partnerlens.directory.models import Membership, Organisation, Partnership
from partnerlens.enquiries.models import Cycle
from partnerlens.frameworks.models import Framework

DEMO = Path(__file__).resolve().parents[3] / "demo" / "data"


def run_demo(capsys) -> str:
    call_command("load_demo")
    return capsys.readouterr().out


@pytest.fixture
def small_demo(db, tmp_path, monkeypatch):
    """A demo folder with only the groups, Trafford and Wales files, to keep tests quick.

    The enquiry cycles (most of a first run's time) are marked as built already, which also
    shows that a step with its marker is skipped.
    """
    for folder in ("gias_groups", "trafford_schools", "wales_support_categories"):
        shutil.copytree(DEMO / folder, tmp_path / folder)
    monkeypatch.setattr(load_demo, "DEMO_DATA", tmp_path)
    record(None, builder.ENQUIRIES_BUILT, None)
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
        "Demo partnerships, frameworks, enquiries, brokerage: already set up "
        "(your changes are kept)." in second
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


def test_the_demo_password_is_not_reset_when_the_user_changed_it(db, capsys, small_demo):
    run_demo(capsys)
    demo = authenticate(username="demo@partnerlens.example", password="partnerlens-demo")
    demo.set_password("my-own-password-123")
    demo.save()
    AuditEvent.objects.filter(verb=load_demo.BUILT).delete()  # even if the demo is rebuilt
    run_demo(capsys)
    assert authenticate(username="demo@partnerlens.example", password="my-own-password-123")


def test_a_step_run_again_without_its_marker_makes_no_second_copy(db, capsys, small_demo):
    run_demo(capsys)
    AuditEvent.objects.filter(verb=builder.FRAMEWORKS_BUILT).delete()
    out = run_demo(capsys)
    assert "Demo frameworks: 4 built-in frameworks." in out  # nothing flexed this time
    cluster = Partnership.objects.get(name="Sale Primary Cluster")
    assert Framework.objects.filter(owner=cluster).count() == 1


def test_partnerships_of_a_demo_built_before_keys_were_kept_are_found_by_name(
    db, capsys, small_demo
):
    run_demo(capsys)
    marker = AuditEvent.objects.get(verb=load_demo.BUILT)
    marker.detail = {"partnerships": marker.detail["partnerships"]}
    marker.save(update_fields=["detail"])
    found = demo_partnerships()
    assert found["cluster"].name == "Sale Primary Cluster"
    assert found["wales"].name == "Ynys Môn Secondary Network"
