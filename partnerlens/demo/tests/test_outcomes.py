"""The real 2016-19 KS2 and KS4 files in demo/data import idempotently, and the demo's
Tandridge partnership shows them on its panel page, its academies' series continued."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from partnerlens.demo.outcomes import NAME, URNS, build_outcome_demo
from partnerlens.demo.partnerships import demo_lead
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import EstablishmentLink, OutcomeMeasure, Partnership

FOLDER = Path(__file__).resolve().parents[3] / "demo" / "data"
FILES = sorted((FOLDER / "dfe_performance_2016-19_hampshire_surrey").glob("*.csv"))


@pytest.fixture
def imported(db):
    assert len(FILES) == 11
    return [import_file(path) for path in FILES]


def test_the_real_files_import_and_a_second_run_changes_nothing(imported):
    assert all(report.ok and not report.rejections for report in imported), [
        r.summary() for r in imported if r.rejections or not r.ok
    ]
    counts = OutcomeMeasure.objects.count(), EstablishmentLink.objects.count()
    again = [import_file(path) for path in reversed(FILES)]
    assert [(r.counts["created"], r.counts["updated"]) for r in again] == [(0, 0)] * len(FILES)
    assert (OutcomeMeasure.objects.count(), EstablishmentLink.objects.count()) == counts


def test_the_demo_partnership_shows_three_years_for_every_school(imported, client):
    build_outcome_demo()
    partnership = Partnership.objects.get(name=NAME)
    assert partnership.memberships.count() == len(URNS)
    client.force_login(demo_lead())
    response = client.get(reverse("impact:panel", args=[partnership.pk]))
    assert response.status_code == 200
    table = response.context["table"]
    assert table.year_labels == ["2016-17", "2017-18", "2018-19"]
    assert all(cell.value is not None for row in table.rows for cell in row.cells)
    # The four 2017 academies take 2016-17 from their LA predecessors, as the file says.
    with (FOLDER / "dfe_performance_2016-19_hampshire_surrey" / "2016-2017_936_ks2final.csv").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        converted = {
            int(r["URN_AC"]): r
            for r in csv.DictReader(handle)
            if r["URN_AC"].strip() not in {"", "0"}
        }
    marked = 0
    for row in table.rows:
        first = row.cells[0]
        if row.organisation.urn in converted:
            before = converted[row.organisation.urn]
            assert first.value == pytest.approx(float(before["PTRWM_EXP"].rstrip("%")))
            assert first.via == [f"{before['SCHNAME']} (URN {before['URN']})"]
            marked += 1
        else:
            assert first.via == []
    assert marked == 4
    page = response.content.decode()
    assert page.count('<sup aria-hidden="true">*</sup>') == 4
