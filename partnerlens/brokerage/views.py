"""Brokerage pages. Each view checks access through brokerage.access, validates one form,
calls one service and renders or redirects; who may do what is listed in README.md."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from partnerlens.brokerage import loaders, plot
from partnerlens.brokerage.access import (
    can_note_progress,
    get_member_school,
    get_partnership_for_broker,
    get_relationship_for_user,
    get_scenario_for_user,
    get_school_for_offer,
)
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.forms import (
    AdjustAssessmentForm,
    AreasForm,
    EndSupportForm,
    OfferForm,
    ProgressNoteForm,
    ScenarioForm,
)
from partnerlens.brokerage.models import (
    AREA_CHOICES,
    AreaAssessment,
    ProposedMatch,
    Scenario,
    SupportOffer,
    SupportRelationship,
    area_label,
    partnership_areas,
)
from partnerlens.brokerage.services.matches import (
    accept_match,
    exclude_pair,
    pin_match,
    reject_match,
)
from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import (
    adjust_assessment,
    derive_assessments,
    save_areas,
)
from partnerlens.brokerage.services.scenarios import (
    create_scenario,
    remove_exclusion,
    remove_pin,
    run_scenario,
)
from partnerlens.brokerage.services.support import end_support, record_progress
from partnerlens.directory.access import get_partnership_for_user

ACTIONS = {
    "accept": (
        accept_match,
        gettext_lazy("Accepted: the support relationship has started."),
    ),
    "reject": (
        reject_match,
        gettext_lazy("Rejected: later runs will not propose this pair."),
    ),
    "pin": (pin_match, gettext_lazy("Pinned: later runs will keep this pair.")),
    "exclude": (
        exclude_pair,
        gettext_lazy("Excluded: these schools will not be paired again."),
    ),
}

DECISION_BUTTONS = [
    ("accept", gettext_lazy("Accept")),
    ("pin", gettext_lazy("Pin")),
    ("reject", gettext_lazy("Reject")),
    ("exclude", gettext_lazy("Exclude pair")),
]


def _broker_scenario(request, pk, scenario_pk) -> Scenario:
    """A scenario of partnership ``pk``, for a user who may broker there (403/404 otherwise)."""
    return get_scenario_for_user(get_partnership_for_broker(request.user, pk), scenario_pk)


def _to_scenario(scenario: Scenario):
    return redirect(
        "brokerage:scenario_detail", pk=scenario.partnership_id, scenario_pk=scenario.pk
    )


def _errors(request, error: BrokerageError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def home(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership, broker = access.partnership, access.can_broker
    context = {
        "partnership": partnership,
        "can_broker": broker,
        "scenarios": partnership.scenarios.annotate(run_count=Count("runs")) if broker else [],
        "active_support": partnership.support_relationships.active().count(),
        "led_schools": access.led_school_ids,
    }
    return render(request, "brokerage/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def areas(request, pk):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    form = AreasForm(
        request.POST or None,
        choices=AREA_CHOICES,
        initial={"areas": list(partnership_areas(partnership))},
    )
    if form.is_valid():
        save_areas(partnership, form.cleaned_data["areas"], actor=request.user)
        messages.success(request, _("Support areas saved."))
        return redirect("brokerage:home", pk=partnership.pk)
    return render(request, "brokerage/areas.html", {"partnership": partnership, "form": form})


@login_required
def profile_list(request, pk):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    areas = partnership_areas(partnership)
    schools = list(loaders.member_schools(partnership).order_by("name"))
    levels = {
        (a.organisation_id, a.area): a
        for a in AreaAssessment.objects.for_partnership(partnership).filter(area__in=areas)
    }
    rows = [(school, [levels.get((school.pk, area)) for area in areas]) for school in schools]
    context = {"partnership": partnership, "areas": areas, "rows": rows}
    return render(request, "brokerage/profile_list.html", context)


@login_required
@require_POST
def profiles_derive(request, pk):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    changed = derive_assessments(partnership, actor=request.user)
    messages.success(
        request, _("Profiles derived from outcome data: %(n)s levels changed.") % {"n": changed}
    )
    return redirect("brokerage:profile_list", pk=partnership.pk)


@login_required
def profile_detail(request, pk, school_pk):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    school = get_member_school(partnership, school_pk)
    found = {
        a.area: a
        for a in AreaAssessment.objects.for_partnership(partnership)
        .filter(organisation=school)
        .select_related("adjusted_by")
    }
    rows = [(area, area_label(area), found.get(area)) for area in partnership_areas(partnership)]
    context = {"partnership": partnership, "school": school, "rows": rows}
    return render(request, "brokerage/profile_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_adjust(request, pk, school_pk, area):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    school = get_member_school(partnership, school_pk)
    if area not in partnership_areas(partnership):
        raise Http404("No such area")
    current = AreaAssessment.objects.filter(
        partnership=partnership, organisation=school, area=area
    ).first()
    initial = (
        {"need_level": current.need_level, "expertise_level": current.expertise_level}
        if current
        else {"need_level": 0, "expertise_level": 0}
    )
    form = AdjustAssessmentForm(request.POST or None, initial=initial)
    if form.is_valid():
        adjust_assessment(partnership, school, area, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Levels adjusted; your reason is kept with the evidence."))
        return redirect("brokerage:profile_detail", pk=partnership.pk, school_pk=school.pk)
    context = {"partnership": partnership, "school": school, "area": area_label(area)}
    return render(
        request, "brokerage/assessment_adjust.html", {**context, "form": form, "current": current}
    )


@login_required
def offer_list(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership, broker, led = access.partnership, access.can_broker, access.led_school_ids
    if not (broker or led):
        raise PermissionDenied("Only brokers and school leaders may see offers")
    schools = loaders.member_schools(partnership).order_by("name")
    if not broker:
        schools = schools.filter(pk__in=led)
    offers = {
        o.organisation_id: o
        for o in SupportOffer.objects.filter(partnership=partnership).prefetch_related("areas")
    }
    rows = [(school, offers.get(school.pk)) for school in schools]
    return render(request, "brokerage/offer_list.html", {"partnership": partnership, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk, school_pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    school = get_school_for_offer(access, school_pk)
    offer = SupportOffer.objects.filter(partnership=partnership, organisation=school).first()
    areas = partnership_areas(partnership)
    form = OfferForm(request.POST or None, areas=areas, initial=OfferForm.initial_from(offer))
    if form.is_valid():
        data = form.cleaned_data
        declare_offer(
            partnership,
            school,
            capacity_total=data["capacity_total"],
            max_km=data["max_km"],
            areas=form.offered_areas(),
            actor=request.user,
        )
        messages.success(request, _("Offer saved for %(name)s.") % {"name": school.name})
        return redirect("brokerage:offer_list", pk=partnership.pk)
    context = {"partnership": partnership, "school": school, "form": form}
    return render(request, "brokerage/offer_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def scenario_create(request, pk):
    partnership = get_partnership_for_broker(request.user, pk).partnership
    form = ScenarioForm(request.POST or None, areas=partnership_areas(partnership))
    if form.is_valid():
        scenario = create_scenario(partnership, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Scenario created. Run it to see proposed matches."))
        return _to_scenario(scenario)
    return render(
        request, "brokerage/scenario_form.html", {"partnership": partnership, "form": form}
    )


@login_required
def scenario_detail(request, pk, scenario_pk):
    scenario = _broker_scenario(request, pk, scenario_pk)
    partnership = scenario.partnership
    run = scenario.latest_run()
    proposals, unmet = [], []
    if run:
        proposals = list(run.matches.select_related("need_school", "support_school"))
        unmet = list(run.unmet.select_related("school"))
    context = {
        "partnership": partnership,
        "scenario": scenario,
        "run": run,
        "proposals": proposals,
        "unmet": unmet,
        "plot": _plot(proposals, unmet),
        "pins": scenario.pins.select_related("need_school", "support_school"),
        "exclusions": scenario.exclusions.select_related("school_a", "school_b"),
        "decision_actions": DECISION_BUTTONS,
    }
    return render(request, "brokerage/scenario_detail.html", context)


def _plot(proposals, unmet):
    roles: dict[int, tuple] = {}
    for p in proposals:
        roles.setdefault(p.need_school_id, [p.need_school, set()])[1].add("need")
        roles.setdefault(p.support_school_id, [p.support_school, set()])[1].add("support")
    for u in unmet:
        roles.setdefault(u.school_id, [u.school, set()])[1].add("need")
    schools = []
    for key, (school, kinds) in roles.items():
        location = loaders.location(school)
        if location:
            role = "both" if len(kinds) == 2 else next(iter(kinds))
            schools.append((key, school.name, role, *location))
    pairs = [
        (
            p.need_school_id,
            p.support_school_id,
            p.decision,
            f"{p.support_school.name} → {p.need_school.name} ({p.get_decision_display()})",
        )
        for p in proposals
    ]
    return plot.layout(schools, pairs)


@login_required
@require_POST
def scenario_run(request, pk, scenario_pk):
    scenario = _broker_scenario(request, pk, scenario_pk)
    try:
        run = run_scenario(scenario, actor=request.user)
    except BrokerageError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Run complete: %(met)s of %(needs)s needs met.")
            % {"met": run.totals["needs_met"], "needs": run.totals["needs"]},
        )
    return _to_scenario(scenario)


@login_required
@require_POST
def match_decide(request, pk, scenario_pk, proposal_pk, action):
    scenario = _broker_scenario(request, pk, scenario_pk)
    proposal = get_object_or_404(ProposedMatch, pk=proposal_pk, run__scenario=scenario)
    if action not in ACTIONS:
        raise Http404("No such action")
    verb, done = ACTIONS[action]
    try:
        verb(proposal, actor=request.user)
    except BrokerageError as error:
        _errors(request, error)
    else:
        messages.success(request, done)
    return _to_scenario(scenario)


@login_required
@require_POST
def pin_remove(request, pk, scenario_pk, pin_pk):
    scenario = _broker_scenario(request, pk, scenario_pk)
    remove_pin(get_object_or_404(scenario.pins, pk=pin_pk), actor=request.user)
    messages.success(request, _("Pin removed. Run the scenario again to see its effect."))
    return _to_scenario(scenario)


@login_required
@require_POST
def exclusion_remove(request, pk, scenario_pk, exclusion_pk):
    scenario = _broker_scenario(request, pk, scenario_pk)
    exclusion = get_object_or_404(scenario.exclusions, pk=exclusion_pk)
    remove_exclusion(exclusion, actor=request.user)
    messages.success(request, _("Exclusion removed. Run the scenario again to see its effect."))
    return _to_scenario(scenario)


@login_required
def support_list(request, pk):
    partnership = get_partnership_for_user(request.user, pk).partnership
    relationships = (
        SupportRelationship.objects.filter(partnership=partnership)
        .select_related("supporter", "supported")
        .annotate(note_count=Count("notes"))
    )
    context = {"partnership": partnership, "relationships": relationships}
    return render(request, "brokerage/support_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def support_detail(request, pk, support_pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    relationship = get_relationship_for_user(access, support_pk)
    may_note = can_note_progress(access, relationship)
    if request.method == "POST" and not may_note:
        raise PermissionDenied("Only brokers and the two schools' leaders may add notes")
    form = ProgressNoteForm(request.POST or None)
    if may_note and form.is_valid():
        try:
            record_progress(relationship, actor=request.user, **form.cleaned_data)
        except BrokerageError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Progress note added."))
            return redirect(
                "brokerage:support_detail", pk=partnership.pk, support_pk=relationship.pk
            )
    context = {
        "partnership": partnership,
        "relationship": relationship,
        "notes": relationship.notes.select_related("author"),
        "form": form if may_note else None,
        "can_broker": access.can_broker,
    }
    return render(request, "brokerage/support_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def support_end(request, pk, support_pk):
    access = get_partnership_for_broker(request.user, pk)
    partnership = access.partnership
    relationship = get_relationship_for_user(access, support_pk)
    form = EndSupportForm(request.POST or None)
    if form.is_valid():
        try:
            end_support(relationship, actor=request.user, **form.cleaned_data)
        except BrokerageError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, _("Support ended."))
            return redirect(
                "brokerage:support_detail", pk=partnership.pk, support_pk=relationship.pk
            )
    context = {"partnership": partnership, "relationship": relationship, "form": form}
    return render(request, "brokerage/support_end.html", context)
