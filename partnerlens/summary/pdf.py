"""The summary as an accessible A4 PDF (WeasyPrint), made while the person waits.

Why not in the background like the results report (``insights.exporters.prepared``): that
file is made once per release and never changes, while this page is a summary of live
records, and it is small (no charts; a few short tables): about 0.3 s of CPU on this machine
(docs/decisions.md, "The governors' impact and value summary"). Tagged PDF/UA-1 with the
document language, headings in order and tables with header cells, like the results report.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from partnerlens.core import bilingual
from partnerlens.insights.exporters.pdf import css_string
from partnerlens.summary.services import Summary


def render_html(summary: Summary, language: str) -> str:
    """The PDF's HTML, in the active language (``language`` names it for the document)."""
    name = bilingual.localised(summary.partnership, "name")
    return render_to_string(
        "summary/summary_pdf.html",
        {
            "summary": summary,
            "name": name,
            "language": language,
            "generated_at": timezone.localtime(),
            "footer": css_string(f"{name} – {_('Impact and value summary')}"),
            "page_label": css_string(_("Page")),
        },
    )


def render(summary: Summary, language: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML

    return HTML(string=render_html(summary, language)).write_pdf(pdf_variant="pdf/ua-1")


def filename(summary: Summary) -> str:
    stem = slugify(summary.partnership.name) or "partnership"
    return f"{stem}-impact-and-value-{summary.on.isoformat()}.pdf"
