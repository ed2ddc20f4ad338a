"""A minimal streaming XLSX writer: the workbook's XML written row by row into a zip.

Why not openpyxl: its ordinary sheets made the download quadratic (asking for the last row
after each append), and even its write-only mode builds a Python object per cell, which
took several seconds for the 5,000-respondent partnership's tens of thousands of rows. The
downloads need only text and numbers, a bold header row and a frozen first row, so the XML
is short to write by hand (ECMA-376, SpreadsheetML):

- text is always an inline string (``t="inlineStr"``): never a formula, whatever it starts
  with (the caller still adds the apostrophe, for anyone who retypes the cell);
- numbers are written as numbers; missing values and non-finite numbers as empty cells;
- characters XML 1.0 forbids (control characters other than tab and line breaks) are
  dropped, so a comment can never corrupt the file.
"""

from __future__ import annotations

import functools
import io
import math
import numbers
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cell(reference: str, value, style: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, numbers.Integral):  # bool and numpy integers too
        return f'<c r="{reference}"{style}><v>{int(value)}</v></c>'
    if isinstance(value, numbers.Real):
        number = float(value)
        if not math.isfinite(number):
            return ""
        return f'<c r="{reference}"{style}><v>{number!r}</v></c>'
    return f'<c r="{reference}"{style} t="inlineStr"><is>{_text(str(value))}</is></c>'


@functools.lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """A text element (the same few names recur on thousands of rows: cached)."""
    text = escape(ILLEGAL.sub("", value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<t{space}>{text}</t>"


class Sheet:
    def __init__(self, title: str, freeze_header: bool):
        self.title = title
        self.freeze_header = freeze_header
        self.rows: list[str] = []
        self.letters: list[str] = []

    def append(self, values: Sequence, *, bold: bool = False) -> None:
        while len(self.letters) < len(values):
            self.letters.append(column_letter(len(self.letters)))
        number = len(self.rows) + 1
        style = ' s="1"' if bold else ""
        cells = "".join(
            _cell(f"{self.letters[i]}{number}", value, style) for i, value in enumerate(values)
        )
        self.rows.append(f'<row r="{number}">{cells}</row>')

    def xml(self) -> str:
        view = (
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            if self.freeze_header
            else ""
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            f"{view}<sheetData>{''.join(self.rows)}</sheetData></worksheet>"
        )


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The .xlsx file of ``sheets`` (titles already valid and distinct)."""
    sheets = list(sheets)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
            for i in range(1, len(sheets) + 1)
        )
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        entries = "".join(
            f'<sheet name={quoteattr(sheet.title)} sheetId="{i}" r:id="rId{i}"/>'
            for i, sheet in enumerate(sheets, start=1)
        )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{entries}</sheets></workbook>',
        )
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        styles_id = len(sheets) + 1
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{PACKAGE_RELS}">{links}<Relationship Id="rId{styles_id}" '
            f'Type="{RELS}/styles" Target="styles.xml"/></Relationships>',
        )
        book.writestr("xl/styles.xml", STYLES)
        for i, sheet in enumerate(sheets, start=1):
            book.writestr(f"xl/worksheets/sheet{i}.xml", sheet.xml())
    return out.getvalue()
