"""The cell-level rules of the importers, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from partnerlens.directory.importers import mapping, values
from partnerlens.directory.importers.reading import detect_encoding


@pytest.mark.parametrize("raw", ["46.9%", "46.9", " 46.9 % ", "46.90"])
def test_a_percentage_reads_the_same_with_or_without_its_sign(raw):
    assert values.percentage(raw) == 46.9


@pytest.mark.parametrize(
    "raw", ["NA", "..", "x", "SUPP", "NE", "", "  ", "LOWCOV", "Not applicable", "n/a"]
)
def test_publishers_markers_for_no_value_read_as_missing(raw):
    assert values.percentage(raw) is None
    assert values.number(raw) is None
    assert values.integer(raw) is None


def test_a_percentage_above_100_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="outside 0-100"):
        values.percentage("146.9")


def test_a_decimal_comma_is_not_taken_for_a_number():
    with pytest.raises(ValueError, match="not a percentage"):
        values.percentage("6,5x")


@pytest.mark.parametrize("raw", ["31/08/2010", "31-08-2010", "2010-08-31", "31/8/2010"])
def test_dates_read_in_every_published_spelling(raw):
    assert values.day(raw) == date(2010, 8, 31)


def test_an_impossible_date_is_refused():
    with pytest.raises(ValueError, match="not a real date"):
        values.day("31/02/2009")


def test_a_date_in_american_order_is_refused_when_it_cannot_be_a_day():
    with pytest.raises(ValueError, match="not a real date"):
        values.day("08/31/2010")


@pytest.mark.parametrize("raw", ["10O4", "-100000", "0", "12.5"])
def test_identifiers_must_be_positive_whole_numbers(raw):
    with pytest.raises(ValueError, match="not a valid identifier"):
        values.positive_id(raw)


def test_an_identifier_may_not_be_blank():
    with pytest.raises(ValueError, match="blank but is required"):
        values.positive_id("")


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("england_census_2018-19_london_northwest.csv", "2018-19"),
        ("dfe_performance_2018-19", "2018-19"),
        ("ks4_2019_20.csv", "2019-20"),
        ("census_201920.csv", "2019-20"),
        ("links_edubasealldata20240129.csv", None),
        ("support_categories_2019_special.csv", None),
    ],
)
def test_an_academic_year_is_found_in_a_file_name_only_when_its_years_follow_on(name, year):
    assert values.academic_year_in(name) == year


def test_a_day_belongs_to_the_academic_year_starting_in_september():
    assert values.academic_year_of(date(2019, 1, 17)) == "2018-19"
    assert values.academic_year_of(date(2019, 9, 1)) == "2019-20"


def test_postcodes_are_written_the_usual_way():
    assert values.postcode("w105ef") == "W10 5EF"
    assert values.postcode(" M33 3NH ") == "M33 3NH"
    with pytest.raises(ValueError):
        values.postcode("not a postcode")


def test_a_byte_order_mark_means_utf8():
    assert detect_encoding("\ufeffURN,name\n1,Môn\n".encode()) == "utf-8-sig"


def test_windows_1252_is_recognised_from_an_accented_byte():
    assert detect_encoding("URN,name\n1,St Thomas à Becket\n".encode("cp1252")) == "cp1252"


def test_a_utf8_file_with_one_stray_byte_stays_utf8():
    data = "a,b\n1,Môn\n2,Môn\n3,Môn\n".encode() + b"4,M\xf4n\n"
    assert detect_encoding(data) == "utf-8"


@pytest.mark.parametrize(
    ("label", "school_type", "low", "high", "phase"),
    [
        ("Primary", "Voluntary aided school", 3, 11, "primary"),
        ("Middle Deemed Secondary", "Community School", 9, 13, "middle_secondary"),
        ("All Through", "Academy Converter", 4, 18, "all_through"),
        ("16 Plus", "Free Schools - 16-19", 16, 19, "post_16"),
        ("Not applicable", "Community Special School", 2, 19, "special"),
        ("", "Local authority maintained schools", 3, 11, "primary"),
        ("", "Academies", 11, 18, "secondary"),
        ("", "Special schools", 5, 19, "special"),
    ],
)
def test_phases_map_from_the_label_then_the_type_then_the_ages(
    label, school_type, low, high, phase
):
    assert mapping.phase(label, school_type, low, high) == phase


@pytest.mark.parametrize(
    ("group_type", "kind"),
    [
        ("Multi-academy trust", "mat"),
        ("Single-academy trust", "sat"),
        ("Federation", "federation"),
        ("School sponsor", "other"),
        ("Children's Centres Group", "other"),
    ],
)
def test_gias_group_types_map_to_partnership_kinds(group_type, kind):
    assert mapping.partnership_kind(group_type) == kind


def test_dfe_sub_regions_become_english_regions():
    assert mapping.region("London East") == "London"
    assert mapping.region("North West B") == "North West"
    assert mapping.region("South and West Yorkshire") == "Yorkshire and the Humber"
