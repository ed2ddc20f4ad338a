"""``load_demo``, which ``make run`` calls every time it starts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from partnerlens.directory.management.commands import load_demo
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OutcomeMeasure,
    Partnership,
    PartnershipRole,
    Role,
)

DEMO = Path(__file__).resolve().parents[3] / "demo" / "data"


def run_demo(capsys) -> str:
    call_command("load_demo")
    return capsys.readouterr().out


@pytest.fixture
def small_demo(tmp_path, monkeypatch):
    """A demo folder with only the groups, Trafford and Wales files, to keep tests quick."""
    for folder in ("gias_groups", "trafford_schools", "wales_support_categories"):
        shutil.copytree(DEMO / folder, tmp_path / folder)
    monkeypatch.setattr(load_demo, "DEMO_DATA", tmp_path)
    return tmp_path


def test_the_demo_is_built_from_every_real_data_file(db, capsys):
    out = run_demo(capsys)
    assert "Demo data: imported 13 real data files" in out
    assert len(out.strip().splitlines()) == 2
    demo = authenticate(username="demo@partnerlens.example", password="partnerlens-demo")
    assert demo is not None and not demo.is_superuser and not demo.is_staff
    led = Partnership.objects.filter(roles__user=demo, roles__role=Role.PARTNERSHIP_LEAD).order_by(
        "kind"
    )
    kinds = {p.kind for p in led}
    assert kinds == {"mat", "cluster", "network"}
    trust = led.get(kind="mat")
    assert trust.gias_group_uid is not None
    assert trust.memberships.count() >= 2
    assert OutcomeMeasure.objects.filter(measure="wales.support_category").exists()
    others = PartnershipRole.objects.exclude(user=demo)
    assert {r.role for r in others} >= {Role.HEADTEACHER, Role.TEACHER, Role.GOVERNOR}


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
    assert "already set up (your changes are kept)" in second
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    assert not Partnership.objects.filter(name="Sale Primary Cluster").exists()


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
    from partnerlens.audit.models import AuditEvent

    AuditEvent.objects.filter(verb=load_demo.BUILT).delete()  # even if the demo is rebuilt
    run_demo(capsys)
    assert authenticate(username="demo@partnerlens.example", password="my-own-password-123")
