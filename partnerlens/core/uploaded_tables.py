"""Reading an uploaded table (CSV, or the first sheet of an XLSX workbook) into numbered rows,
the one reader behind every upload a person fixes row by row (invitee lists, a partnership's
own measures).

Each caller states its own rules (``TableRules``): its error class, how its header row names
its columns, its limits and the sentences it refuses a file with; the reading is here. Rows
come back as ``(row number as the spreadsheet shows it, {column: text})``, blank rows left
out; checking the values is the caller's, and it reports problems as ``RowError``.

Files are read as a stream and refused at the first bound they pass, so a small upload cannot
take a large amount of memory: the upload's size, the rows of data (counted while reading:
the reader stops at the first row past the limit), and for a workbook its unzipped size, the
rows and columns its sheet declares, the rows met while reading (blank ones included) and the
columns read from each row (a stray cell far to the right would otherwise widen every row).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Why a workbook is too large: the code passed to ``TableRules.too_large_workbook``.
UNZIPPED = "unzipped"
SHEET_ROWS = "sheet_rows"
SHEET_COLUMNS = "sheet_columns"

_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError)


@dataclass(frozen=True)
class RowError:
    """One problem in one cell, said so that a person can find it in their spreadsheet."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


def cell_text(value) -> str:
    return str(value).strip()


def cell_text_whole_numbers(value) -> str:
    """A cell as text; a whole number from a workbook (2019.0) loses its ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class TableRules:
    """How one kind of upload is read. The message callables are called only when a file is
    refused, so they speak the language active at that moment."""

    error: type[Exception]  # raised, with one sentence, when the file as a whole is refused
    columns: Callable[[Sequence], list[str]]  # header row -> column per cell ("" = ignored)
    too_large_file: Callable[[], str]
    too_many_rows: Callable[[], str]
    too_large_workbook: Callable[[str], str]  # given UNZIPPED, SHEET_ROWS or SHEET_COLUMNS
    max_file_bytes: int
    max_rows: int  # rows of data, blank ones not counted
    max_unzipped_bytes: int
    max_sheet_rows: int  # rows met while reading a sheet, blank ones counted
    max_sheet_columns: int  # columns a sheet may declare
    max_columns: int  # columns read from each row
    check_declared_rows: bool = True  # refuse a sheet declaring more than max_sheet_rows
    cell: Callable[[object], str] = cell_text


def rows_from_table(table: Iterable[Sequence], rules: TableRules) -> list[tuple[int, dict]]:
    """Rows as dicts keyed by the caller's columns; the first row must be the header. Read
    one at a time, stopping at the first row of data past ``rules.max_rows``."""
    rows_in = iter(table)
    first = next(rows_in, None)
    if first is None:
        raise rules.error(_("The file is empty."))
    header = rules.columns(first)
    rows = []
    for number, cells in enumerate(rows_in, start=2):
        found = {
            name: "" if i >= len(cells) or cells[i] is None else rules.cell(cells[i])
            for i, name in enumerate(header)
            if name
        }
        if any(found.values()):
            rows.append((number, found))
            if len(rows) > rules.max_rows:
                raise rules.error(rules.too_many_rows())
    return rows


def read_file(upload, rules: TableRules) -> list[tuple[int, dict]]:
    """Rows from an uploaded CSV or XLSX file (a Django ``UploadedFile``), numbered as the
    spreadsheet numbers them."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > rules.max_file_bytes:
        raise rules.error(rules.too_large_file())
    data = upload.read()
    if name.endswith(".xlsx"):
        with closing(_xlsx_table(data, rules)) as rows:
            return rows_from_table(rows, rules)
    if name.endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise rules.error(
                _("The file is not UTF-8 text. In your spreadsheet choose “CSV UTF-8” when saving.")
            ) from None
        return rows_from_table(csv.reader(io.StringIO(text)), rules)
    raise rules.error(_("Upload a CSV (.csv) or Excel (.xlsx) file."))


def _not_a_workbook(rules: TableRules) -> Exception:
    return rules.error(
        _("The file could not be opened as an Excel workbook. Save it as .xlsx and try again.")
    )


def _xlsx_table(data: bytes, rules: TableRules) -> Iterator[Sequence]:
    """The first sheet's rows, one at a time (openpyxl's read-only mode streams the sheet),
    the workbook closed when the reading stops, whether it ends or is refused."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except _UNREADABLE:
        raise _not_a_workbook(rules) from None
    if unzipped > rules.max_unzipped_bytes:
        raise rules.error(rules.too_large_workbook(UNZIPPED))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _UNREADABLE:
        raise _not_a_workbook(rules) from None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_column or 0) > rules.max_sheet_columns:
            raise rules.error(rules.too_large_workbook(SHEET_COLUMNS))
        if rules.check_declared_rows and (sheet.max_row or 0) > rules.max_sheet_rows:
            raise rules.error(rules.too_large_workbook(SHEET_ROWS))
        rows = sheet.iter_rows(max_col=rules.max_columns, values_only=True)
        for count, row in enumerate(rows, start=1):
            if count > rules.max_sheet_rows:
                raise rules.error(rules.too_large_workbook(SHEET_ROWS))
            yield row
    except _UNREADABLE as error:
        if isinstance(error, rules.error):
            raise
        raise _not_a_workbook(rules) from None
    finally:
        workbook.close()
