"""Insights pages: results of a cycle, their downloads, and the lead's settings.

The results page and every download (``download_views``) read the cycle's latest stored
release (``insights.releases``); nothing is computed from the answers per request. Results
pages are sent with ``Cache-Control: no-store`` (``never_cache``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from partnerlens.directory.access import get_partnership_for_user
from partnerlens.enquiries.models import Cycle
from partnerlens.insights.access import get_result_cycle_for_user, withheld
from partnerlens.insights.dashboard import codec
from partnerlens.insights.data import result_cycle_states
from partnerlens.insights.exporters import exporters
from partnerlens.insights.forms import InsightSettingsForm, k_only_up_message
from partnerlens.insights.jobs import job_for, retry
from partnerlens.insights.models import InsightSettings
from partnerlens.insights.releases import LANGUAGES, visible_release
from partnerlens.insights.services import SettingsRefused, update_insight_settings


def _language() -> str:
    language = (translation.get_language() or "en").split("-")[0]
    return language if language in LANGUAGES else "en"


@never_cache
@login_required
def cycle_list(request, partnership_pk):
    access = get_partnership_for_user(request.user, partnership_pk)
    partnership = access.partnership
    states = result_cycle_states(access)
    cycles = Cycle.objects.for_partnership(partnership).filter(state__in=states)
    return render(
        request,
        "insights/cycle_list.html",
        {
            "partnership": partnership,
            "cycles": cycles,
            "can_manage": access.can_manage,
        },
    )


@never_cache
@login_required
def dashboard(request, pk):
    cycle, access = get_result_cycle_for_user(request.user, pk)
    release = visible_release(request.user, cycle)
    manage = access.can_manage
    job = job_for(cycle)
    busy = job is not None and (job.pending or job.failed)  # the status says why, not withheld
    return render(
        request,
        "insights/dashboard.html",
        {
            "cycle": cycle,
            "release": release,
            "job": job,
            "dashboard": codec.decode(release.page[_language()]) if release else None,
            "withheld": withheld(cycle, release, job) if manage and not busy else None,
            "exporters": exporters(),
            "can_manage": manage,
        },
    )


@login_required
@require_POST
def release_retry(request, pk):
    """A lead asks again for a release whose build failed ("Try again")."""
    cycle, access = get_result_cycle_for_user(request.user, pk)
    if not access.can_manage:
        raise PermissionDenied("Only the partnership's leads can prepare results")
    job = job_for(cycle)
    if job is not None and job.failed:
        retry(job, actor=request.user)
    if request.POST.get("back") == "cycle":
        return redirect("enquiries:cycle", cycle.pk)
    return redirect("insights:dashboard", cycle.pk)


def release_status_note(cycle, access, request) -> str:
    """The release status on the cycle's page (registered with enquiries' cycle links)."""
    job = job_for(cycle)
    if job is None or not (job.pending or job.failed):
        return ""
    context = {
        "job": job,
        "can_manage": access.can_manage,
        "back": "cycle",
        "refresh_url": reverse("enquiries:cycle", args=[cycle.pk]),
        "release": visible_release(request.user, cycle) if request else None,
    }
    return render_to_string("insights/_release_status.html", context, request=request)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request, partnership_pk):
    partnership = get_partnership_for_user(request.user, partnership_pk, manage=True).partnership
    current = InsightSettings.for_partnership(partnership)
    form = InsightSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_valid():
        try:
            update_insight_settings(partnership, actor=request.user, **form.cleaned_data)
        except SettingsRefused as refused:
            form.add_error(refused.field, k_only_up_message(refused.current))
        else:
            messages.success(request, _("Insight settings saved."))
            return redirect("insights:cycle_list", partnership.pk)
    return render(request, "insights/settings.html", {"partnership": partnership, "form": form})
