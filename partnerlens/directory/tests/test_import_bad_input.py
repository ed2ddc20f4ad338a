"""Bad input is reported row by row, and a refused file leaves the database as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from partnerlens.audit.models import AuditEvent
from partnerlens.directory.importers.runner import import_file
from partnerlens.directory.models import Organisation, OutcomeMeasure, Partnership

TEST_DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
DEMO = Path(__file__).resolve().parents[3] / "demo" / "data"


def snapshot() -> tuple:
    return (
        tuple(Organisation.objects.order_by("pk").values_list()),
        tuple(Partnership.objects.order_by("pk").values_list()),
        tuple(OutcomeMeasure.objects.order_by("pk").values_list()),
    )


def test_each_broken_group_row_is_reported_with_line_column_and_reason(db):
    report = import_file(TEST_DATA / "gias_groups_corrupted.csv")
    lines = report.rejection_lines()
    assert len(lines) == 4
    assert "line 3, column 'Group UID': is not a valid identifier" in lines[0]
    assert "'10O4'" in lines[0]
    assert "line 4, column 'Open date': is not a real date (value '31/02/2009')" in lines[1]
    assert "line 5: has 9 fields but the header has 21 (truncated row?)" in lines[2]
    assert "line 6, column 'Group Name': contains bytes that are not valid" in lines[3]


def test_the_valid_rows_of_a_partly_broken_file_are_still_applied(db):
    report = import_file(TEST_DATA / "gias_groups_corrupted.csv")
    assert report.ok
    assert report.counts["created"] == 2
    assert set(Partnership.objects.values_list("gias_group_uid", flat=True)) == {1000, 1020}


def test_bad_percentages_and_urns_are_rejected_but_a_percent_sign_is_fine(db):
    report = import_file(TEST_DATA / "trafford_corrupted.csv")
    lines = report.rejection_lines()
    assert any(
        "line 3, column 'percent_fsm': is a percentage outside 0-100 (value '146.9')" in line
        for line in lines
    )
    assert any(
        "line 4, column 'unique_reference_number': is not a valid identifier" in line
        for line in lines
    )
    assert any(
        "line 5, column 'percent_fsm': is not a percentage (value '6,5')" in line for line in lines
    )
    assert len(lines) == 3
    st_john = Organisation.objects.get(urn=106167)
    assert st_john.fsm_pct == 45.5  # written "45.5%" in this copy


def test_a_file_with_no_valid_row_is_refused_and_changes_nothing(db):
    import_file(DEMO / "wales_support_categories" / "support_categories_2019_special_gwe_erw.csv")
    before = snapshot()
    report = import_file(TEST_DATA / "census_all_rows_bad.csv")
    assert not report.ok
    assert "No valid rows were found (3 rejected)" in report.summary()
    lines = report.rejection_lines()
    assert "line 2, column 'URN': is not a valid identifier" in lines[0]
    assert "line 3, column 'NOR': is not a whole number (value 'seven hundred')" in lines[1]
    assert "line 4: has 10 fields but the header has 22 (truncated row?)" in lines[2]
    assert snapshot() == before


def test_the_command_exits_non_zero_when_nothing_valid_was_found(db, capsys):
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("import_data", str(TEST_DATA / "census_all_rows_bad.csv"))
    assert "seven hundred" in capsys.readouterr().err


def test_a_row_with_a_byte_from_another_encoding_is_rejected_alone(db):
    report = import_file(TEST_DATA / "wales_one_row_wrong_encoding.csv")
    assert report.encoding == "utf-8"
    lines = report.rejection_lines()
    assert len(lines) == 1
    assert "line 3, column 'local_authority': contains bytes that are not valid" in lines[0]
    assert report.counts["created"] == 4
    assert Organisation.objects.get(welsh_school_code="6604025").la_name == "Isle of Anglesey"
    assert not Organisation.objects.filter(welsh_school_code="6604026").exists()


def test_an_unknown_header_is_refused_with_the_formats_it_knows(db):
    report = import_file(TEST_DATA / "unknown_header.csv")
    assert not report.ok
    text = report.summary()
    assert "not one of the known formats" in text
    assert "It starts: school, score, year" in text
    assert "GIAS all group records (allgroupsdata)" in text
    assert "Welsh national school categorisation" in text
    assert Organisation.objects.count() == 0


def test_a_dry_run_reports_the_counts_and_writes_nothing(db):
    path = DEMO / "gias_groups" / "allgroupsdata20260217_sample25.csv"
    report = import_file(path, dry_run=True)
    assert report.counts["created"] == 1777
    assert "dry run, nothing saved" in report.summary()
    assert Partnership.objects.count() == 0
    assert not AuditEvent.objects.exists()


def test_the_dry_run_option_of_the_command_writes_nothing(db, capsys):
    call_command("import_data", "--dry-run", str(TEST_DATA / "trafford_corrupted.csv"))
    assert "dry run" in capsys.readouterr().out
    assert Organisation.objects.count() == 0


def test_a_repeated_key_in_one_file_is_rejected(db, tmp_path):
    source = DEMO / "wales_support_categories" / "support_categories_2019_special_gwe_erw.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    copy = tmp_path / "repeat.csv"
    copy.write_text("\n".join([*lines[:3], lines[1]]) + "\n", encoding="utf-8")
    report = import_file(copy)
    assert report.rejection_lines() == [f"{copy}: line 4: repeats the record on line 2"]


def test_an_empty_file_is_refused_plainly(db, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "Could not read it: the file is empty." in import_file(empty).summary()


def test_a_bad_period_option_is_refused(db):
    with pytest.raises(CommandError, match="not an academic year"):
        call_command("import_data", "--period", "2018", str(TEST_DATA / "unknown_header.csv"))


def test_a_value_too_long_for_its_column_rejects_the_row_not_the_file(db, tmp_path):
    source = DEMO / "gias_groups" / "allgroupsdata20260217_sample25.csv"
    lines = source.read_bytes().split(b"\r\n")
    long_id = b"X" * 61
    broken = lines[1].replace(b'"1000",""', b'"1000","' + long_id + b'"', 1)
    copy = tmp_path / "groups.csv"
    copy.write_bytes(b"\r\n".join([lines[0], broken, lines[2]]) + b"\r\n")
    report = import_file(copy)
    assert report.ok
    assert report.rejection_lines() == [
        f"{copy}: line 2, column 'gias_group_id': is longer than the 60 characters allowed "
        f"(value '{'X' * 61}')"
    ]
    assert list(Partnership.objects.values_list("gias_group_uid", flat=True)) == [1004]
