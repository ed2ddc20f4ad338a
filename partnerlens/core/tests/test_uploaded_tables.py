"""The one reader of uploaded tables: it reads under the caller's rules (columns, limits,
error class, words) and refuses a file with the caller's own sentence."""

from __future__ import annotations

import dataclasses
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from partnerlens.core import uploaded_tables
from partnerlens.core.uploaded_tables import RowError, TableRules


class FruitFileError(ValueError):
    pass


def fruit_columns(first):
    header = [str(cell or "").strip().lower() for cell in first]
    if "fruit" not in header:
        raise FruitFileError("no fruit column")
    return [name if name in ("fruit", "count") else "" for name in header]


RULES = TableRules(
    error=FruitFileError,
    columns=fruit_columns,
    too_large_file=lambda: "file too large",
    too_many_rows=lambda: "too many rows",
    too_large_workbook=lambda reason: f"workbook too large: {reason}",
    max_file_bytes=10_000,
    max_rows=3,
    max_unzipped_bytes=1_000_000,
    max_sheet_rows=10,
    max_sheet_columns=20,
    max_columns=5,
)


def xlsx(rows, far_cell=None) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    if far_cell:
        workbook.active.cell(*far_cell, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("fruit.xlsx", buffer.getvalue())


def test_it_keeps_the_callers_columns_numbers_rows_as_a_spreadsheet_and_skips_blank_ones():
    upload = SimpleUploadedFile("fruit.csv", b"Fruit,colour,count\napple,red,3\n,,\npear,,\n")
    assert uploaded_tables.read_file(upload, RULES) == [
        (2, {"fruit": "apple", "count": "3"}),
        (4, {"fruit": "pear", "count": ""}),
    ]


def test_a_cell_is_text_as_the_caller_asks():
    table = [["fruit", "count"], [" apple ", 2019.0], ["pear", 2.5]]
    assert uploaded_tables.rows_from_table(table, RULES) == [
        (2, {"fruit": "apple", "count": "2019.0"}),
        (3, {"fruit": "pear", "count": "2.5"}),
    ]
    whole = dataclasses.replace(RULES, cell=uploaded_tables.cell_text_whole_numbers)
    assert uploaded_tables.rows_from_table(table, whole) == [
        (2, {"fruit": "apple", "count": "2019"}),
        (3, {"fruit": "pear", "count": "2.5"}),
    ]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fruit.csv", b"x" * 10_001), "file too large"),
        (SimpleUploadedFile("fruit.csv", b""), "The file is empty."),
        (SimpleUploadedFile("fruit.csv", b"colour\nred\n"), "no fruit column"),
        (SimpleUploadedFile("fruit.csv", b"fruit\na\nb\nc\nd\n"), "too many rows"),
        (SimpleUploadedFile("fruit.csv", "fruit\n".encode("utf-16")), "not UTF-8"),
        (SimpleUploadedFile("fruit.pdf", b"%PDF"), "Upload a CSV"),
        (SimpleUploadedFile("fruit.xlsx", b"not a zip"), "could not be opened"),
    ],
    ids=["size", "empty", "header", "rows", "encoding", "type", "not-a-workbook"],
)
def test_a_file_is_refused_whole_with_the_callers_error(upload, message):
    with pytest.raises(FruitFileError, match=message):
        uploaded_tables.read_file(upload, RULES)


def test_a_sheet_declaring_more_columns_is_refused_before_reading():
    with pytest.raises(FruitFileError, match="workbook too large: sheet_columns"):
        uploaded_tables.read_file(xlsx([["fruit"], ["apple"]], far_cell=(1, 21)), RULES)


def test_declared_rows_are_checked_only_when_the_caller_asks():
    rows = [["fruit"], ["apple"]]
    with pytest.raises(FruitFileError, match="workbook too large: sheet_rows"):
        uploaded_tables.read_file(xlsx(rows, far_cell=(11, 1)), RULES)
    # Not checked up front, the same sheet is still stopped while reading, at its 11th row.
    unchecked = dataclasses.replace(RULES, check_declared_rows=False)
    with pytest.raises(FruitFileError, match="workbook too large: sheet_rows"):
        uploaded_tables.read_file(xlsx(rows, far_cell=(11, 1)), unchecked)
    assert uploaded_tables.read_file(xlsx(rows, far_cell=(10, 1)), unchecked) == [
        (2, {"fruit": "apple"}),
        (10, {"fruit": "x"}),
    ]


def test_a_workbook_that_unzips_too_large_is_refused():
    small = dataclasses.replace(RULES, max_unzipped_bytes=1000)
    with pytest.raises(FruitFileError, match="workbook too large: unzipped"):
        uploaded_tables.read_file(xlsx([["fruit"], ["apple"]]), small)


def test_a_row_error_names_row_column_and_reason_in_the_active_language():
    error = RowError(7, "fruit", "is blank")
    assert str(error) == "Row 7, column “fruit”: is blank"
    with translation.override("cy"):
        assert str(error).startswith("Rhes 7")
