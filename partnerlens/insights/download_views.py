"""The downloads of a cycle's results: CSV, XLSX and the governors' PDF.

Each reads the latest release the person may see (never the answers). CSV and XLSX are
written while the person waits (under a second for the 5,000-respondent partnership,
bench/exports.py). The PDF is ``prepared``: made once per release and language by the task
worker (``exporters.prepared``); until it is ready, its address sends people to a page that
says how it is going, and links to the file when it is there.

Every response here is ``Cache-Control: no-store``: results must not stay in a shared
computer's cache or a proxy."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from partnerlens.audit.services import record_export
from partnerlens.insights.access import get_result_cycle_for_user
from partnerlens.insights.exporters import get_exporter, prepared
from partnerlens.insights.releases import LANGUAGES, visible_release


def _language() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in LANGUAGES else "en"


def _release_and_exporter(request, pk, identifier):
    """The cycle, the release the person may see and the exporter; the release without its
    download tables (``light``) when the file is prepared, not made here."""
    cycle, _access = get_result_cycle_for_user(request.user, pk)
    exporter = get_exporter(identifier)
    if exporter is None:
        raise Http404("No such download")
    release = visible_release(request.user, cycle, light=exporter.prepared)
    if release is None:
        raise Http404("No results have been released for this cycle yet")
    return cycle, release, exporter


@never_cache
@login_required
def download(request, pk, identifier):
    cycle, release, exporter = _release_and_exporter(request, pk, identifier)
    language = _language()
    if exporter.prepared:
        row = prepared.prepared_for(release, language, exporter)
        body = prepared.read(row)
        if body is None:  # not ready yet, failed, or lost by the storage: the status page
            return redirect("insights:download_status", cycle.pk, identifier)
        filename = row.filename
    else:
        context = prepared.export_context(release, language)
        body, filename = exporter.render(context), exporter.filename(context)
    response = HttpResponse(body, content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_export(
        request.user,
        cycle,
        export="results",
        fmt=identifier,
        partnership_id=cycle.partnership_id,
        release=release.pk,
        language=language,
    )
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def download_status(request, pk, identifier):
    """How the making of a prepared download is going, and its link once it is ready.
    POST: "Try again" after a failure."""
    cycle, release, exporter = _release_and_exporter(request, pk, identifier)
    if not exporter.prepared:
        raise Http404("This download is made at once")
    row = prepared.prepared_for(release, _language(), exporter, again=request.method == "POST")
    if request.method == "POST":
        return redirect("insights:download_status", cycle.pk, identifier)
    context = {"cycle": cycle, "release": release, "exporter": exporter, "download": row}
    return render(request, "insights/download_status.html", context)
