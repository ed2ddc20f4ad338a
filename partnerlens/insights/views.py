"""Insights pages: results of a cycle, their downloads, and the lead's settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerlens.directory.access import can_manage, get_partnership_for_user
from partnerlens.enquiries.models import Cycle
from partnerlens.insights import dashboard as dashboards
from partnerlens.insights.access import get_result_cycle_for_user
from partnerlens.insights.data import load_cycle, result_cycle_states
from partnerlens.insights.exporters import ExportContext, exporters, get_exporter
from partnerlens.insights.forms import InsightSettingsForm
from partnerlens.insights.models import InsightSettings
from partnerlens.insights.services import update_insight_settings


def _build(request, cycle: Cycle) -> dashboards.Dashboard:
    return dashboards.build(load_cycle(cycle, result_cycle_states(request.user, cycle)))


@login_required
def cycle_list(request, partnership_pk):
    partnership = get_partnership_for_user(request.user, partnership_pk)
    states = result_cycle_states(request.user, Cycle(partnership=partnership))
    cycles = Cycle.objects.for_partnership(partnership).filter(state__in=states)
    return render(
        request,
        "insights/cycle_list.html",
        {
            "partnership": partnership,
            "cycles": cycles,
            "can_manage": can_manage(request.user, partnership),
        },
    )


@login_required
def dashboard(request, pk):
    cycle = get_result_cycle_for_user(request.user, pk)
    return render(
        request,
        "insights/dashboard.html",
        {
            "cycle": cycle,
            "dashboard": _build(request, cycle),
            "exporters": exporters(),
            "can_manage": can_manage(request.user, cycle.partnership),
        },
    )


@login_required
def download(request, pk, identifier):
    cycle = get_result_cycle_for_user(request.user, pk)
    exporter = get_exporter(identifier)
    if exporter is None:
        raise Http404("No such download")
    context = ExportContext(
        dashboard=_build(request, cycle),
        generated_at=timezone.localtime(),
        language=translation.get_language() or "en",
    )
    response = HttpResponse(exporter.render(context), content_type=exporter.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(context)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def settings(request, partnership_pk):
    partnership = get_partnership_for_user(request.user, partnership_pk, manage=True)
    current = InsightSettings.for_partnership(partnership)
    form = InsightSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_valid():
        update_insight_settings(partnership, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Insight settings saved."))
        return redirect("insights:cycle_list", partnership.pk)
    return render(request, "insights/settings.html", {"partnership": partnership, "form": form})
