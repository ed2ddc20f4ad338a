"""The governing body's report: A4 PDF rendered by WeasyPrint from an HTML template.

The template (``insights/report_pdf.html``) embeds the same inline SVG charts as the page,
so the report and the dashboard show the same pictures; each chart is followed by its data
table, and hidden groups read "not enough responses to show" as they do everywhere else.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from partnerlens.insights.exporters import ExportContext, Exporter, register


@register
class PdfExporter(Exporter):
    identifier = "pdf"
    label = _("Report for the governing body (PDF)")
    content_type = "application/pdf"
    extension = "pdf"

    def render(self, context: ExportContext) -> bytes:
        # Imported here: WeasyPrint loads Pango and fonts, which only this exporter needs.
        from weasyprint import HTML

        html = render_to_string(
            "insights/report_pdf.html",
            {
                "dashboard": context.dashboard,
                "generated_at": context.generated_at,
                "language": context.language,
                "method_url": context.method_url,
            },
        )
        return HTML(string=html).write_pdf()
