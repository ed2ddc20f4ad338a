"""Format-specific rules: group links, newer GIAS layouts, which snapshot wins, encodings."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import Membership, Organisation, OutcomeMeasure, Partnership

ROOT = Path(__file__).resolve().parents[3]
TEST_DATA = ROOT / "tests" / "data"
DEMO = ROOT / "demo" / "data"
GROUPS = DEMO / "gias_groups" / "allgroupsdata20260217_sample25.csv"
ESTABLISHMENTS = DEMO / "gias_establishments_sample" / "edubasealldata_sample.csv"
EDUBASE = DEMO / "edubase_2017_geocoded" / "schools_geocoded.csv"
TRAFFORD = DEMO / "trafford_schools" / "trafford_schools_and_colleges_2023-04-27.csv"
CENSUS = DEMO / "dfe_school_census" / "england_census_2018-19_london_northwest.csv"


def test_group_links_give_memberships_with_their_joining_dates(db):
    report = import_file(TEST_DATA / "alllinksdata_handbuilt.csv")
    assert report.ok
    assert report.format.name == "gias_group_links"
    assert report.counts["created"] == 4
    hamblin = Partnership.objects.get(gias_group_uid=15880)
    assert hamblin.kind == "mat"
    joined = dict(hamblin.memberships.values_list("organisation__urn", "joined"))
    assert joined == {136458: date(2011, 4, 1), 143104: date(2016, 9, 1)}  # dd/mm and dd-mm


def test_group_links_name_schools_not_yet_in_the_directory(db):
    import_file(TEST_DATA / "alllinksdata_handbuilt.csv")
    school = Organisation.objects.get(urn=147552)
    assert school.name == "St Hilda's CofE Primary School"
    assert school.phase == "primary"


def test_group_links_join_schools_and_trusts_already_loaded_and_reload_unchanged(db):
    import_file(GROUPS)
    import_file(TRAFFORD)
    partnerships, members = Partnership.objects.count(), Membership.objects.count()
    report = import_file(TEST_DATA / "alllinksdata_handbuilt.csv")
    # Trafford already linked these four schools to the same trusts: only dates are new.
    assert (report.counts["created"], report.counts["updated"]) == (0, 4)
    assert (Partnership.objects.count(), Membership.objects.count()) == (partnerships, members)
    again = import_file(TEST_DATA / "alllinksdata_handbuilt.csv")
    assert again.counts["unchanged"] == 4


def test_a_newer_gias_layout_loads_the_same_schools(db):
    newer = TEST_DATA / "edubasealldata_newer_layout.csv"
    report = import_file(newer)
    assert report.ok and report.format.name == "gias_establishments"
    assert report.counts["created"] == 5
    assert Organisation.objects.get(urn=100459).name == "St Aloysius RC College"
    assert Membership.objects.get(organisation__urn=100171).partnership.gias_group_uid == 16268
    assert import_file(ESTABLISHMENTS).counts["unchanged"] == 5


def test_a_gias_row_in_a_trust_makes_the_school_a_member_of_it(db, tmp_path):
    """A real sample row re-pointed at a real Trafford school and its real trust (GIAS 15880)."""
    text = ESTABLISHMENTS.read_bytes().decode("cp1252")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    row = next(reader)
    row.update(
        {
            "URN": "136458",
            "EstablishmentName": "Altrincham Grammar School for Boys",
            "TrustSchoolFlag (name)": "Supported by a multi-academy trust",
            "Trusts (code)": "15880",
            "Trusts (name)": "THE HAMBLIN EDUCATION TRUST",
        }
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, reader.fieldnames, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "edubasealldata_one.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    assert import_file(path).ok
    membership = Membership.objects.get(organisation__urn=136458)
    assert (membership.partnership.gias_group_uid, membership.partnership.kind) == (15880, "mat")
    import_file(GROUPS)
    assert Partnership.objects.filter(gias_group_uid=15880).count() == 1


def test_a_cp1252_name_with_an_accent_round_trips(db):
    import_file(ESTABLISHMENTS)
    name = Organisation.objects.get(urn=126416).name
    assert name == "St Thomas à Becket Church of England Aided Primary School"
    raw = ESTABLISHMENTS.read_bytes()
    assert name.encode("cp1252") in raw


def test_an_older_snapshot_only_fills_blanks(db):
    import_file(ESTABLISHMENTS)  # GIAS, about January 2019
    gias_name = Organisation.objects.get(urn=100459).name
    report = import_file(EDUBASE)  # EduBase, July 2017
    school = Organisation.objects.get(urn=100459)
    assert school.name == gias_name
    assert school.details_as_of > date(2018, 1, 1)
    assert report.ok


def test_a_newer_snapshot_replaces_what_an_older_one_said(db):
    import_file(EDUBASE)
    older = Organisation.objects.get(urn=106299)
    import_file(TRAFFORD)
    newer = Organisation.objects.get(urn=106299)
    assert newer.details_as_of == date(2023, 4, 27)
    assert older.details_as_of == date(2017, 7, 1)


def test_headline_pupils_follow_the_latest_census(db):
    import_file(ESTABLISHMENTS)  # its NumberOfPupils is from the January 2018 census
    school = Organisation.objects.get(urn=100492)
    assert school.pupils == 237
    import_file(CENSUS)  # January 2019
    school.refresh_from_db()
    census = OutcomeMeasure.objects.get(organisation=school, measure="census.pupils")
    assert (census.period, school.pupils) == ("2018-19", int(census.value))
    assert school.pupils != 237


def test_figures_for_an_unknown_urn_create_a_placeholder_that_a_register_later_names(db):
    import_file(CENSUS)
    placeholder = Organisation.objects.get(urn=100492)
    assert placeholder.name == "School with URN 100492"
    import_file(ESTABLISHMENTS)
    placeholder.refresh_from_db()
    assert placeholder.name == "St Thomas' CofE Primary School"


def test_a_period_can_be_given_for_files_that_do_not_say(db, tmp_path):
    copy = tmp_path / "england_abs.csv"
    copy.write_bytes(
        (DEMO / "dfe_performance_2018-19" / "england_abs_london_northwest.csv").read_bytes()
    )
    report = import_file(copy, period="2017-18")
    assert report.period == "2017-18"
    assert set(OutcomeMeasure.objects.values_list("period", flat=True)) == {"2017-18"}


def test_every_known_file_matches_exactly_one_most_specific_format():
    from partnerlens.directory.importers.reading import read_table
    from partnerlens.directory.importers.registry import FORMATS

    files = [*DEMO.glob("*/*.csv"), *TEST_DATA.glob("*.csv")]
    for path in files:
        columns = set(read_table(path).columns)
        matching = [f for f in FORMATS if f.matches(columns)]
        if path.name == "unknown_header.csv":
            assert matching == []
            continue
        widest = max(len(f.signature) for f in matching)
        assert [len(f.signature) for f in matching].count(widest) == 1, path
