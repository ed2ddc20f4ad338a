"""The governors' impact and value summary: the page and its PDF, for those who see impact
(``impact.access.SEE``: the partnership's leaders, governors, external advisers and
brokers); 404 outside the partnership, 403 inside it without the role. Both are sent with
``Cache-Control: no-store``, as results are: outcomes must not stay in a shared computer's
cache."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from partnerlens.audit.services import record_export
from partnerlens.impact.access import get_partnership_for_impact
from partnerlens.summary import pdf as summary_pdf
from partnerlens.summary.services import build_summary


def _language() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in ("en", "cy") else "en"


@never_cache
@login_required
@require_safe
def page(request, pk):
    access = get_partnership_for_impact(request.user, pk)
    summary = build_summary(access.partnership)
    context = {"partnership": access.partnership, "summary": summary}
    return render(request, "summary/page.html", context)


@never_cache
@login_required
@require_safe
def download(request, pk):
    access = get_partnership_for_impact(request.user, pk)
    summary = build_summary(access.partnership)
    language = _language()
    body = summary_pdf.render(summary, language)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary_pdf.filename(summary)}"'
    record_export(
        request.user,
        access.partnership,
        export="impact_summary",
        fmt="pdf",
        partnership_id=access.partnership.pk,
        language=language,
    )
    return response
