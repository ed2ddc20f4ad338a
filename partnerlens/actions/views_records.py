"""Activities (time and money invested, with totals) and the benefits register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnerlens.actions.forms import ActivityForm, BenefitForm
from partnerlens.actions.models import Activity
from partnerlens.actions.services.records import (
    activity_totals,
    record_activity,
    record_benefit,
    register_rows,
)
from partnerlens.directory.access import get_partnership_for_user


@login_required
@require_GET
def activity_list(request, pk):
    access = get_partnership_for_user(request.user, pk)
    activities = Activity.objects.filter(partnership=access.partnership)
    context = {
        "partnership": access.partnership,
        "activities": activities.prefetch_related("schools"),
        "totals": activity_totals(activities),
        "can_manage": access.can_manage,
    }
    return render(request, "actions/activity_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    form = ActivityForm(request.POST or None, partnership=access.partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        record_activity(access.partnership, actor=request.user, **data)
        messages.success(request, _("Activity recorded."))
        return redirect("actions:activity_list", pk=pk)
    return render(
        request, "actions/activity_form.html", {"partnership": access.partnership, "form": form}
    )


@login_required
@require_GET
def benefits(request, pk):
    access = get_partnership_for_user(request.user, pk)
    context = {
        "partnership": access.partnership,
        "rows": register_rows(access.partnership),
        "can_manage": access.can_manage,
    }
    return render(request, "actions/benefits.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def benefit_add(request, pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    form = BenefitForm(
        request.POST or None, partnership=access.partnership, initial=request.GET.dict()
    )
    if request.method == "POST" and form.is_valid():
        record_benefit(access.partnership, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Benefit recorded."))
        return redirect("actions:benefits", pk=pk)
    return render(
        request, "actions/benefit_form.html", {"partnership": access.partnership, "form": form}
    )
