"""Every real file in demo/data imports with the counts a plain CSV reading predicts.

Expected numbers are counted here with the csv module from the files themselves, not
copied from the importer's output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command

from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import (
    EstablishmentLink,
    Membership,
    Organisation,
    OutcomeMeasure,
    Partnership,
)

DATA = Path(__file__).resolve().parents[3] / "demo" / "data"
GROUPS = DATA / "gias_groups" / "allgroupsdata20260217_sample25.csv"
ESTABLISHMENTS = DATA / "gias_establishments_sample" / "edubasealldata_sample.csv"
LINKS = DATA / "gias_establishment_links" / "links_edubasealldata20240129.csv"
CENSUS = DATA / "dfe_school_census" / "england_census_2018-19_london_northwest.csv"
PERFORMANCE = DATA / "dfe_performance_2018-19"
KS4 = PERFORMANCE / "england_ks4provisional_london_northwest.csv"
DESTINATIONS = PERFORMANCE / "england_ks4-pupdest_london_northwest.csv"
ABSENCE = PERFORMANCE / "england_abs_london_northwest.csv"
LA_CODES = PERFORMANCE / "la_and_region_codes_meta.csv"
TRAFFORD = DATA / "trafford_schools" / "trafford_schools_and_colleges_2023-04-27.csv"
WALES = DATA / "wales_support_categories"
EDUBASE = DATA / "edubase_2017_geocoded" / "schools_geocoded.csv"
POSTCODES = DATA / "edubase_2017_geocoded" / "postcode_lookup.csv"

MISSING = {"", "NA", "NE", "SUPP", "LOWCOV", "SP", "LA", "NP"}


def rows(path: Path, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def counts(report) -> tuple[int, int, int, int]:
    c = report.counts
    return c["created"], c["updated"], c["unchanged"], len(report.rejections)


@pytest.fixture
def imported(db):
    def run(path: Path, **options):
        report = import_file(path, **options)
        assert report.ok, report.summary()
        return report

    return run


def test_gias_groups_load_every_group_as_a_partnership_by_uid(imported):
    expected = rows(GROUPS, "cp1252")
    report = imported(GROUPS)
    assert counts(report) == (len(expected), 0, 0, 0)
    assert Partnership.objects.count() == len(expected)
    mats = sum(1 for r in expected if r["Group Type"] == "Multi-academy trust")
    assert Partnership.objects.filter(kind="mat").count() == mats
    hamblin = Partnership.objects.get(gias_group_uid=15880)
    assert hamblin.gias_group_id == "TR00061"
    assert hamblin.start_date.isoformat() == "2011-01-06"  # "Incorporated on" 06/01/2011


def test_a_second_import_of_the_groups_changes_nothing(imported):
    imported(GROUPS)
    again = imported(GROUPS)
    assert counts(again) == (0, 0, len(rows(GROUPS, "cp1252")), 0)


def test_the_gias_establishment_sample_loads_five_schools_and_a_federation(imported):
    expected = rows(ESTABLISHMENTS, "cp1252")
    report = imported(ESTABLISHMENTS)
    assert counts(report) == (len(expected), 0, 0, 0)
    becket = Organisation.objects.get(urn=126416)
    assert becket.name == "St Thomas à Becket Church of England Aided Primary School"
    membership = Membership.objects.get(organisation__urn=100171)
    assert membership.partnership.gias_group_uid == 16268
    assert membership.partnership.kind == "federation"
    assert membership.source == "gias"
    assert Organisation.objects.get(urn=100492).phase == "primary"


def test_the_32_thousand_establishment_links_load_and_reload_unchanged(imported):
    expected = rows(LINKS, "cp1252")
    assert counts(imported(LINKS)) == (len(expected), 0, 0, 0)
    assert EstablishmentLink.objects.count() == len(expected)
    assert counts(imported(LINKS)) == (0, 0, len(expected), 0)


def test_census_rows_with_any_figure_load_and_all_blank_rows_are_skipped(imported):
    expected = rows(CENSUS)
    figures = [c for c in expected[0] if c not in ("URN", "LA", "ESTAB", "SCHOOLTYPE")]
    with_data = [r for r in expected if any(r[c] not in MISSING for c in figures)]
    report = imported(CENSUS)
    assert counts(report) == (len(with_data), 0, 0, 0)
    assert sum(report.skips.values()) == len(expected) - len(with_data)
    assert report.period == "2018-19"
    first = expected[0]
    school = Organisation.objects.get(urn=int(first["URN"]))
    assert school.pupils == int(first["NOR"])
    assert school.measures.get(measure="census.fsm_ever_pct").value == float(first["PNUMFSMEVER"])
    assert school.fsm_pct == round(100 * int(first["NUMFSM"]) / int(first["NOR"]), 1)


def test_ks4_loads_only_school_lines_that_have_figures(imported):
    expected = rows(KS4)
    figures = list(expected[0])[list(expected[0]).index("TPUP") :]
    schools = [r for r in expected if r["RECTYPE"] in ("1", "2")]
    with_data = [r for r in schools if any(r[c] not in MISSING for c in figures)]
    report = imported(KS4)
    assert counts(report) == (len(with_data), 0, 0, 0)
    assert sum(report.skips.values()) == len(expected) - len(with_data)
    sample = next(r for r in with_data if r["P8MEA"] not in MISSING)
    stored = OutcomeMeasure.objects.get(
        organisation__urn=int(sample["URN"]), measure="ks4.p8", period="2018-19"
    )
    assert stored.value == float(sample["P8MEA"])


def test_destinations_and_absence_load_each_school_line(imported):
    destinations = [r for r in rows(DESTINATIONS) if r["RECTYPE"] in ("1", "2")]
    assert counts(imported(DESTINATIONS)) == (len(destinations), 0, 0, 0)
    absence = rows(ABSENCE)
    assert counts(imported(ABSENCE)) == (len(absence), 0, 0, 0)
    first = destinations[0]
    stored = OutcomeMeasure.objects.get(
        organisation__urn=int(first["URN"]), measure="dest.overall_pct"
    )
    assert stored.value == float(first["OVERALL_DESTPER"].rstrip("%"))


def test_local_authorities_become_partner_organisations_and_name_schools(imported):
    expected = rows(LA_CODES)
    imported(ABSENCE)
    report = imported(LA_CODES)
    assert counts(report) == (len(expected), 0, 0, 0)
    assert Organisation.objects.filter(kind="local_authority").count() == len(expected)
    camden = next(r for r in expected if r["LA Name"] == "Camden")
    school = Organisation.objects.filter(la_code=camden["LEA"], kind="school").first()
    assert school.la_name == "Camden"
    assert school.region == "London"


def test_trafford_schools_load_with_their_trusts(imported):
    expected = rows(TRAFFORD)
    report = imported(TRAFFORD)
    assert counts(report) == (len(expected), 0, 0, 0)
    in_trust = [r for r in expected if r["sponsoring_trust"] != "NA"]
    assert Membership.objects.filter(source="trafford").count() == len(in_trust)
    trusts = {r["sponsoring_trust"].casefold() for r in in_trust}
    assert Partnership.objects.count() == len(trusts)


def test_trafford_trusts_join_the_gias_trust_of_the_same_name(imported):
    imported(GROUPS)
    imported(TRAFFORD)
    hamblin = Partnership.objects.get(gias_group_uid=15880)
    members = {m.organisation.name for m in hamblin.memberships.all()}
    assert members == {"Altrincham Grammar School for Boys", "North Cestrian School"}


@pytest.mark.parametrize(
    "name",
    [
        "support_categories_2019_secondary_gwe_erw.csv",
        "support_categories_2019_special_gwe_erw.csv",
    ],
)
def test_welsh_support_categories_load_as_welsh_schools(imported, name):
    expected = rows(WALES / name)
    report = imported(WALES / name)
    assert counts(report) == (len(expected), 0, 0, 0)
    first = expected[0]
    school = Organisation.objects.get(welsh_school_code=first["school_code"])
    assert school.nation == "wales"
    assert school.la_name == "Isle of Anglesey"
    category = school.measures.get(measure="wales.support_category")
    assert category.value_text == first["support_category"].split("/")[0]
    assert category.period == "2019-20"


def test_edubase_2017_schools_load_with_coordinates(imported):
    expected = rows(EDUBASE)
    assert counts(imported(EDUBASE)) == (len(expected), 0, 0, 0)
    first = expected[0]
    school = Organisation.objects.get(urn=int(first["urn"]))
    assert (school.easting, school.northing) == (int(first["easting"]), int(first["northing"]))
    assert school.latitude == float(first["lat"])


def test_the_postcode_lookup_fills_coordinates_of_schools_without_them(imported):
    imported(TRAFFORD)
    lookup = {r["postcode"] for r in rows(POSTCODES)}
    fillable = {r["postcode"] for r in rows(TRAFFORD)} & lookup
    report = imported(POSTCODES)
    assert counts(report) == (0, len(fillable), len(lookup) - len(fillable), 0)
    assert Organisation.objects.filter(easting__isnull=False).count() == sum(
        1 for r in rows(TRAFFORD) if r["postcode"] in lookup
    )


def test_the_command_imports_several_files_and_reports_each(db, capsys):
    call_command(
        "import_data", str(GROUPS), str(WALES / "support_categories_2019_special_gwe_erw.csv")
    )
    out = capsys.readouterr().out
    assert "1777 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert "19 created, 0 updated, 0 unchanged, 0 rejected" in out
