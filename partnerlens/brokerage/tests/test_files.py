"""The open file format: what is accepted, and what each bad row is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnerlens.brokerage.engine import InputErrors, Phase, read_instance

SCHOOLS = (
    "school_id,name,phase,easting,northing,pupils,fsm_pct,capacity_total,max_km\n"
    "A1,Oak Primary,Primary,530000,180000,300,21.5,2,10\n"
    "B2,Elm Secondary,secondary,531000,181000,1100,30,,\n"
)
NEEDS = "school_id,area,severity\nA1,maths,3\n"
OFFERS = "school_id,area,strength,capacity\nB2,maths,2,1\n"


def files(tmp_path: Path, schools=SCHOOLS, needs=NEEDS, offers=OFFERS, encoding="utf-8"):
    paths = []
    for name, text in (("schools.csv", schools), ("needs.csv", needs), ("offers.csv", offers)):
        path = tmp_path / name
        path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
        paths.append(path)
    return paths


def problems(tmp_path, **texts) -> list[str]:
    with pytest.raises(InputErrors) as raised:
        read_instance(*files(tmp_path, **texts))
    return [str(problem) for problem in raised.value.problems]


def test_it_reads_a_good_instance_with_a_bom_and_extra_columns(tmp_path):
    schools = "\ufeff" + SCHOOLS.replace("max_km\n", "max_km,notes\n", 1)
    instance = read_instance(*files(tmp_path, schools=schools))
    oak, elm = instance.schools
    assert (oak.school_id, oak.phase, oak.capacity_total, oak.max_km) == (
        "A1",
        Phase.PRIMARY,
        2,
        10.0,
    )
    assert (elm.capacity_total, elm.max_km) == (None, None)
    assert instance.needs[0].severity == 3 and instance.offers[0].capacity == 1


@pytest.mark.parametrize(
    "written,phase",
    [
        ("All Through", Phase.ALL_THROUGH),
        ("all-through", Phase.ALL_THROUGH),
        ("Middle Deemed Primary", Phase.PRIMARY),
        ("Middle deemed secondary", Phase.SECONDARY),
        ("16 Plus", Phase.POST_16),
        ("POST-16", Phase.POST_16),
        ("Nursery", Phase.NURSERY),
        ("SPECIAL", Phase.SPECIAL),
    ],
)
def test_it_accepts_gias_phase_names_in_any_case(tmp_path, written, phase):
    schools = SCHOOLS.replace("Primary,530000", f"{written},530000")
    assert read_instance(*files(tmp_path, schools=schools)).schools[0].phase == phase


def test_it_reads_lat_lon_instead_of_grid_coordinates(tmp_path):
    # St Paul's Cathedral School: OpenCage lat/lon and its easting/northing in the EduBase file.
    schools = (
        "school_id,name,phase,lat,lon,pupils,fsm_pct\n"
        "100002,St Paul's Cathedral School,Primary,51.513834,-0.09682,250,5\n"
        "B2,Elm Secondary,secondary,51.52,-0.1,900,30\n"
    )
    needs = "school_id,area,severity\n100002,maths,3\n"
    school = read_instance(*files(tmp_path, schools=schools, needs=needs)).schools[0]
    assert abs(school.easting - 532160) < 2 and abs(school.northing - 181151) < 2


def test_it_names_file_line_column_and_reason_for_every_bad_row(tmp_path):
    schools = SCHOOLS + (
        "C3,Ash,Junior High,530000,180000,300,20\n"
        "D4,Birch,Not applicable,530000,180000,300,20\n"
        "E5,Cedar,primary,530000,,300,20\n"
        "F6,Pine,primary,530000,180000,lots,20\n"
        "G7,Yew,primary,530000,180000,300,120\n"
        "A1,Oak again,primary,530000,180000,300,20\n"
    )
    needs = NEEDS + "ZZ9,maths,2\nA1,finance,2\nB2,english,0\nA1,maths,2\n"
    offers = OFFERS + "B2,science,strong,1\nB2,english,2,1.5\n"
    found = problems(tmp_path, schools=schools, needs=needs, offers=offers)
    assert found == [
        "schools.csv, line 4, column phase: unknown phase 'Junior High' (use one of primary, "
        "secondary, all-through, special, nursery, post-16, or a GIAS phase name)",
        "schools.csv, line 5, column phase: phase 'Not applicable' is ambiguous: GIAS uses "
        "'Not applicable' for special schools, pupil referral units and many independent "
        "schools alike; write special, or the phase the school teaches",
        "schools.csv, line 6, column northing: value is missing",
        "schools.csv, line 7, column pupils: 'lots' is not a whole number",
        "schools.csv, line 8, column fsm_pct: 120 is outside 0 to 100",
        "schools.csv, line 9, column school_id: 'A1' already appears on line 2",
        "needs.csv, line 3, column school_id: unknown school_id 'ZZ9' (not in the schools file)",
        "needs.csv, line 4, column area: unknown area 'finance' (known areas: leadership, "
        "governance, curriculum, english, maths, science, send, early_years, "
        "behaviour_attendance, disadvantaged, assessment, transition)",
        "needs.csv, line 5, column severity: 0 is outside 1 to 3",
        "needs.csv, line 6, column area: 'A1' already has 'maths' on line 2",
        "offers.csv, line 3, column strength: 'strong' is not a whole number",
        "offers.csv, line 4, column capacity: '1.5' is not a whole number",
    ]


def test_a_school_with_a_bad_row_is_not_also_reported_unknown(tmp_path):
    schools = SCHOOLS.replace("Primary,530000", "Infant,530000")
    assert problems(tmp_path, schools=schools) == [
        "schools.csv, line 2, column phase: unknown phase 'Infant' (use one of primary, "
        "secondary, all-through, special, nursery, post-16, or a GIAS phase name)",
    ]


def test_it_reports_missing_columns_empty_files_and_wrong_encodings(tmp_path):
    found = problems(
        tmp_path,
        schools="school_id,name,phase,pupils,fsm_pct\n",
        needs="",
        offers="school_id,area,strength\nB2,maths,2\n",
    )
    assert found == [
        "schools.csv, line 1: needs easting,northing columns or lat,lon columns",
        "needs.csv: the file is empty; a header row is required",
        "offers.csv, line 1: missing column capacity (header: school_id, area, strength)",
    ]
    cp1252 = SCHOOLS.replace("Oak Primary", "Café Primary").encode("cp1252")
    assert problems(tmp_path, schools=cp1252) == [
        "schools.csv, line 2: the file is not UTF-8 (byte 0xe9); save it as UTF-8 "
        "(GIAS exports are Windows-1252)"
    ]


def test_a_missing_file_is_named(tmp_path):
    paths = files(tmp_path)
    paths[1].unlink()
    with pytest.raises(InputErrors) as raised:
        read_instance(*paths)
    assert str(raised.value) == "needs.csv: cannot open the file (No such file or directory)"


def test_a_custom_area_list_replaces_the_default(tmp_path):
    paths = files(tmp_path, needs="school_id,area,severity\nA1,Finance,2\n", offers=OFFERS)
    with pytest.raises(InputErrors) as raised:
        read_instance(*paths, areas=("finance",))
    assert [str(p) for p in raised.value.problems] == [
        "offers.csv, line 2, column area: unknown area 'maths' (known areas: finance)"
    ]
