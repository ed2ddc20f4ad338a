"""The register of triggers, the heatmap, a trigger's page and the lead's indicators.

Every view fetches through ``access`` (404 outside the partnership, 403 for a member
without a leader's role) and calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnerlens.triggers import access
from partnerlens.triggers.emails import deliveries
from partnerlens.triggers.forms import IndicatorForm, StatusForm
from partnerlens.triggers.links import action_link
from partnerlens.triggers.models import Evaluation, Status
from partnerlens.triggers.services import indicators as indicator_services
from partnerlens.triggers.services import register as listing
from partnerlens.triggers.services.evaluating import request_evaluation


@login_required
def register(request, pk):
    seen = access.get_partnership_for_viewer(request.user, pk)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    context = listing.register(seen.partnership, status=status)
    return render(
        request,
        "triggers/register.html",
        {**context, "partnership": seen.partnership, "status": status, "access": seen,
         "statuses": Status.choices},
    )  # fmt: skip


@login_required
def heatmap(request, pk):
    seen = access.get_partnership_for_viewer(request.user, pk)
    context = listing.heatmap(seen.partnership)
    context.update(partnership=seen.partnership, can_manage=seen.can_manage)
    return render(request, "triggers/heatmap.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk, trigger_pk):
    seen = access.get_partnership_for_viewer(request.user, pk)
    trigger = access.get_trigger(seen, trigger_pk)
    may_change = access.can_change_status(seen, trigger)
    form = StatusForm(request.POST or None, initial={"status": trigger.status})
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("Only the lead or the school's leaders may change this")
        if form.is_valid():
            indicator_services.set_status(trigger, form.cleaned_data["status"], actor=request.user)
            messages.success(request, _("The trigger’s status is saved."))
            return redirect("triggers:detail", pk=pk, trigger_pk=trigger.pk)
    context = {
        "partnership": seen.partnership,
        "trigger": trigger,
        "overdue": trigger.is_overdue(),
        "can_manage": seen.can_manage,
        "deliveries": deliveries(trigger) if seen.can_manage else [],
        "form": form if may_change else None,
        "action_url": action_link(trigger),
    }
    return render(request, "triggers/detail.html", context)


@login_required
def indicators(request, pk):
    lead = access.get_partnership_for_lead(request.user, pk)
    partnership = lead.partnership
    context = {
        "partnership": partnership,
        "indicators": partnership.trigger_indicators.order_by("kind", "pk"),
        "evaluation": Evaluation.objects.filter(partnership=partnership).first(),
    }
    return render(request, "triggers/indicators.html", context)


@login_required
@require_POST
def recommended(request, pk):
    lead = access.get_partnership_for_lead(request.user, pk)
    made = indicator_services.add_recommended(lead.partnership, actor=request.user)
    if made:
        messages.success(request, _("The recommended indicators are set up."))
    return redirect("triggers:indicators", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request, pk):
    return _indicator_form(request, access.get_partnership_for_lead(request.user, pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk, indicator_pk):
    lead = access.get_partnership_for_lead(request.user, pk)
    return _indicator_form(request, lead, access.get_indicator(lead, indicator_pk))


def _indicator_form(request, lead, indicator):
    partnership = lead.partnership
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        partnership=partnership,
        initial=None if indicator else {"notify_roles": ["partnership_lead"], "kind": ""},
    )
    if request.method == "POST" and form.is_valid():
        indicator_services.save_indicator(form, actor=request.user)
        messages.success(request, _("The indicator is saved."))
        return redirect("triggers:indicators", pk=partnership.pk)
    context = {"partnership": partnership, "form": form, "indicator": indicator}
    return render(request, "triggers/indicator_form.html", context)


@login_required
@require_POST
def evaluate(request, pk):
    lead = access.get_partnership_for_lead(request.user, pk)
    request_evaluation(lead.partnership)
    messages.success(request, _("The indicators will be evaluated in the background."))
    return redirect("triggers:indicators", pk=pk)
