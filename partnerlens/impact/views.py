"""Impact pages: the partnership's impact page, registrations, estimates and families. Each view
checks access through impact.access, validates one form, calls one service and renders or
redirects; who may do what is in README.md."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partnerlens.core.messages import render as word
from partnerlens.directory.models import Organisation
from partnerlens.impact import charts
from partnerlens.impact import panel as panels
from partnerlens.impact.access import (
    can_run,
    get_estimate,
    get_group,
    get_partnership_for_impact,
    get_registration,
)
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.estimates import EstimateError, create_estimate, register, request_run
from partnerlens.impact.forms import EstimateForm, RegistrationForm
from partnerlens.impact.models import ComparisonGroup, Estimate, EstimateJob, Registration
from partnerlens.impact.presenting import describe, family_tables


def _choices(partnership) -> dict:
    """The measures with results and the member schools, for the forms."""
    measures = panels.measure_choices(partnership, panels.own_measure_names(partnership))
    schools = list(
        Organisation.objects.filter(pk__in=panels.member_ids(partnership))
        .order_by("name")
        .values_list("pk", "name")
    )
    return {"measure_choices": measures, "school_choices": schools}


@login_required
@require_safe
def home(request, pk):
    access = get_partnership_for_impact(request.user, pk)
    partnership = access.partnership
    own = panels.own_measure_names(partnership)
    estimates = list(
        Estimate.objects.filter(partnership=partnership).select_related("job", "registration")[:50]
    )
    for estimate in estimates:
        estimate.measure_name = measure_name(estimate.measure, own)
    registrations = list(Registration.objects.filter(partnership=partnership)[:50])
    for registration in registrations:
        registration.measure_name = measure_name(registration.measure, own)
    groups = list(ComparisonGroup.objects.filter(partnership=partnership)[:20])
    for group in groups:
        group.measure_name = measure_name(group.measure, own)
    context = {
        "partnership": partnership,
        "can_run": can_run(access),
        "measures": [
            (code, measure_name(code, own), years)
            for code, years in panels.available_measures(partnership)
        ],
        "registrations": registrations,
        "estimates": estimates,
        "groups": groups,
        "english": own.english,
    }
    return render(request, "impact/home.html", context)


@login_required
def registration_create(request, pk):
    partnership = get_partnership_for_impact(request.user, pk, run=True).partnership
    form = RegistrationForm(request.POST or None, **_choices(partnership))
    if form.is_valid():
        try:
            registration = register(partnership, actor=request.user, **form.cleaned_data)
        except EstimateError as error:
            form.add_error(None, word(f"impact.{error.code}"))
        else:
            messages.success(request, _("Registered. The registration is now locked."))
            return redirect("impact:registration", pk=pk, registration_pk=registration.pk)
    return render(
        request, "impact/registration_form.html", {"partnership": partnership, "form": form}
    )


@login_required
@require_safe
def registration_detail(request, pk, registration_pk):
    access = get_partnership_for_impact(request.user, pk)
    registration = get_registration(access, registration_pk)
    own = panels.own_measure_names(access.partnership)
    context = {
        "partnership": access.partnership,
        "registration": registration,
        "measure_name": measure_name(registration.measure, own),
        "english": own.english,
        "schools": Organisation.objects.filter(pk__in=registration.schools).order_by("name"),
        "estimates": registration.estimates.select_related("job"),
        "can_run": can_run(access),
    }
    return render(request, "impact/registration_detail.html", context)


@login_required
def estimate_create(request, pk):
    access = get_partnership_for_impact(request.user, pk, run=True)
    partnership = access.partnership
    registration = None
    if "registration" in request.GET:
        registration = get_registration(access, request.GET["registration"])
    initial = {"schools": panels.member_ids(partnership)}
    if registration is not None:
        initial = {
            "measure": registration.measure,
            "schools": registration.schools,
            "start_year": registration.start_year,
        }
    form = EstimateForm(request.POST or None, initial=initial, **_choices(partnership))
    if form.is_valid():
        try:
            estimate = create_estimate(
                partnership, registration=registration, actor=request.user, **form.cleaned_data
            )
        except EstimateError as error:
            form.add_error(None, word(f"impact.{error.code}"))
        else:
            messages.success(request, _("Estimate asked for. The page shows when it is ready."))
            return redirect("impact:estimate", pk=pk, estimate_pk=estimate.pk)
    context = {"partnership": partnership, "form": form, "registration": registration}
    return render(request, "impact/estimate_form.html", context)


@login_required
@require_safe
def estimate_detail(request, pk, estimate_pk):
    access = get_partnership_for_impact(request.user, pk)
    estimate = get_estimate(access, estimate_pk)
    job = EstimateJob.objects.filter(estimate=estimate).first()
    own = panels.own_measure_names(access.partnership)
    context = {
        "partnership": access.partnership,
        "estimate": estimate,
        "job": job,
        "can_run": can_run(access),
        "measure_name": measure_name(estimate.measure, own),
        "english": own.english,
        "report": describe(estimate),
        "chart": charts.event_study(estimate.result.get("event_study", [])),
    }
    return render(request, "impact/estimate_detail.html", context)


@login_required
@require_POST
def estimate_run(request, pk, estimate_pk):
    access = get_partnership_for_impact(request.user, pk, run=True)
    estimate = get_estimate(access, estimate_pk)
    job = request_run(estimate, actor=request.user)
    job.refresh_from_db()  # tasks may run at once (the immediate backend)
    if job.pending:
        messages.success(request, _("Run queued. The page shows when it is finished."))
    return redirect("impact:estimate", pk=pk, estimate_pk=estimate.pk)


@login_required
@require_safe
def family_detail(request, pk, group_pk):
    access = get_partnership_for_impact(request.user, pk)
    group = get_group(access, group_pk)
    own = panels.own_measure_names(access.partnership)
    context = {
        "partnership": access.partnership,
        "group": group,
        "measure_name": measure_name(group.measure, own),
        "english": own.english,
        **family_tables(group),
    }
    return render(request, "impact/family_detail.html", context)
