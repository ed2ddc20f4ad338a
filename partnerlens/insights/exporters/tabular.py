"""CSV and XLSX downloads of the dashboard's (already suppressed) tables.

Every text cell goes through the one formula neutraliser (``core.spreadsheets.neutralise``,
here ``escape``): a comment such as ``=HYPERLINK(...)`` gets a leading apostrophe, so no
spreadsheet runs it when a governor opens the file; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext_lazy as _

from partnerlens.core.spreadsheets import neutralise as escape
from partnerlens.insights.exporters import ExportContext, Exporter, register, xlsx

SHEET_TITLE_LIMIT = 31  # Excel's limit on a worksheet name


def _header(context: ExportContext) -> list[list]:
    dashboard = context.dashboard
    return [
        [escape(str(_("Partnership"))), escape(dashboard.partnership_name)],
        [escape(str(_("Cycle"))), escape(dashboard.title)],
        [
            escape(str(_("Minimum group size"))),
            dashboard.k,
            escape(str(_("for parents"))),
            dashboard.parent_k,
        ],
        [
            escape(
                str(
                    _(
                        'Groups with fewer responses than the minimum are shown as "not enough '
                        'responses to show", never as 0.'
                    )
                )
            )
        ],
    ]


@register
class CsvExporter(Exporter):
    identifier = "csv"
    label = _("Tables (CSV)")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def render(self, context: ExportContext) -> bytes:
        """All tables in one file: each starts with its title row, then its header row, and
        ends with an empty row."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in _header(context):
            writer.writerow(row)
        writer.writerow([])
        for table in context.dashboard.exports:
            writer.writerow([escape(table.title)])
            writer.writerow([escape(h) for h in table.headers])
            for row in table.rows:
                writer.writerow(["" if v is None else escape(v) for v in row])
            writer.writerow([])
        # A byte-order mark lets Excel read the file as UTF-8 (Welsh letters, dashes).
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@register
class XlsxExporter(Exporter):
    identifier = "xlsx"
    label = _("Tables (Excel)")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"

    def render(self, context: ExportContext) -> bytes:
        """One worksheet per table (plus "About"), header row in bold and frozen, text
        always written as text (``exporters.xlsx``: streamed XML, linear in the rows)."""
        about = xlsx.Sheet(str(_("About"))[:SHEET_TITLE_LIMIT], freeze_header=False)
        for row in _header(context):
            about.append([escape(v) for v in row])
        sheets, used = [about], {about.title}
        for table in context.dashboard.exports:
            sheet = xlsx.Sheet(_sheet_title(table.title, used), freeze_header=True)
            sheet.append([escape(h) for h in table.headers], bold=True)
            for row in table.rows:
                sheet.append([escape(v) for v in row])
            sheets.append(sheet)
        return xlsx.workbook(sheets)


def _sheet_title(title: str, used: set[str]) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")[:SHEET_TITLE_LIMIT] or "Table"
    candidate, number = cleaned, 2
    while candidate in used:
        suffix = f" {number}"
        candidate = cleaned[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(candidate)
    return candidate
