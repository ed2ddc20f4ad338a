"""Invitee files are read as a stream and refused at the first bound they pass: rows of
people (while reading), a sheet's declared size, its unzipped size, its blank rows."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from partnerlens.enquiries import invitee_files
from partnerlens.enquiries.invitee_files import MAX_ROWS, InviteeFileError, read_file

HEADER = ["email", "name", "role"]


def workbook_bytes(rows, *, write_only: bool = True) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people(count: int):
    yield HEADER
    for n in range(count):
        yield [f"person{n}@example.org", f"Person {n}", "Teacher"]


def upload(data: bytes, name: str = "people.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return buffer.getvalue()


def test_a_workbook_at_the_row_limit_is_read():
    rows = read_file(upload(workbook_bytes(people(MAX_ROWS))))
    assert len(rows) == MAX_ROWS
    assert rows[-1] == (
        MAX_ROWS + 1,
        {
            "email": f"person{MAX_ROWS - 1}@example.org",
            "name": f"Person {MAX_ROWS - 1}",
            "role": "Teacher",
        },
    )


def test_a_workbook_over_the_row_limit_is_refused_naming_the_limit():
    with pytest.raises(InviteeFileError) as caught:
        read_file(upload(workbook_bytes(people(MAX_ROWS + 1))))
    assert f"more than {MAX_ROWS:,} rows of people" in str(caught.value)


def test_reading_stops_at_the_first_row_past_the_limit():
    """A row the reader cannot parse, placed after the limit, is never reached: the file is
    refused for its rows, not for the broken cell (a reader that loaded every row first
    would fail on it)."""
    broken = '<row r="9000"><c r="A9000" t="n"><v>not-a-number</v></c></row></sheetData>'
    data = with_sheet_xml(
        workbook_bytes(people(MAX_ROWS + 1)), lambda xml: xml.replace("</sheetData>", broken)
    )
    with pytest.raises(InviteeFileError, match="rows of people"):
        read_file(upload(data))
    # The same broken cell inside the limit is reported as an unreadable workbook.
    short = with_sheet_xml(
        workbook_bytes(people(3)), lambda xml: xml.replace("</sheetData>", broken)
    )
    with pytest.raises(InviteeFileError, match="could not be opened as an Excel workbook"):
        read_file(upload(short))


def test_a_csv_over_the_row_limit_is_refused_too():
    text = "\n".join(",".join(row) for row in people(MAX_ROWS + 1))
    with pytest.raises(InviteeFileError, match=f"more than {MAX_ROWS:,} rows"):
        read_file(upload(text.encode(), "people.csv"))


@pytest.mark.parametrize(
    "far_cell",
    [(invitee_files.MAX_SHEET_ROWS + 1, 1), (1, invitee_files.MAX_SHEET_COLUMNS + 1)],
    ids=["rows", "columns"],
)
def test_a_sheet_declaring_absurd_dimensions_is_refused(far_cell):
    workbook = Workbook()
    sheet = workbook.active
    for row in people(2):
        sheet.append(row)
    sheet.cell(*far_cell, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 20_000  # a small file
    with pytest.raises(InviteeFileError) as caught:
        read_file(upload(buffer.getvalue()))
    message = str(caught.value)
    assert f"at most {invitee_files.MAX_SHEET_ROWS:,} rows" in message
    assert f"{invitee_files.MAX_SHEET_COLUMNS:,} columns" in message


def test_a_sheet_without_a_declared_size_is_still_stopped_while_reading(monkeypatch):
    """Without a <dimension>, the reader counts rows as it goes, blank ones included (here
    each row's only cell is past the columns read, so every row is blank to us)."""
    monkeypatch.setattr(invitee_files, "MAX_SHEET_ROWS", 50)
    data = workbook_bytes([HEADER] + [[None] * 59 + ["x"]] * 60, write_only=False)
    undeclared = with_sheet_xml(data, lambda xml: re.sub(r"<dimension [^>]*/>", "", xml))
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(undeclared)).read(
        "xl/worksheets/sheet1.xml"
    )
    with pytest.raises(InviteeFileError, match="at most 50 rows"):
        read_file(upload(undeclared))


def test_a_workbook_that_unzips_too_large_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(invitee_files, "MAX_UNZIPPED_BYTES", 1_000_000)
    data = workbook_bytes([HEADER] + [["a" * 30_000] for _ in range(40)])
    assert len(data) < 100_000  # it compresses well, so it passes the 2 MB upload limit
    with pytest.raises(InviteeFileError, match="1 MB once unzipped"):
        read_file(upload(data))


def test_only_the_first_columns_of_a_row_are_read():
    row = ["ann@example.org", "Ann", "Teacher"] + [None] * 100 + ["far away"]
    data = workbook_bytes([HEADER, row])
    assert read_file(upload(data)) == [
        (2, {"email": "ann@example.org", "name": "Ann", "role": "Teacher"})
    ]
