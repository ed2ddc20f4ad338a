"""Brokerage pages. Each view checks access through brokerage.access, validates one form,
calls one service and renders or redirects; who may do what is listed in README.md."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from partnerlens.brokerage import freshness, loaders, plot
from partnerlens.brokerage.access import (
    get_member_school,
    get_partnership_for_broker,
    get_scenario_for_user,
)
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.forms import (
    AdjustAssessmentForm,
    AreasForm,
    ScenarioForm,
)
from partnerlens.brokerage.listing import (
    Column,
    NeedFilterForm,
    ProposalFilterForm,
    Table,
)
from partnerlens.brokerage.models import (
    AREA_CHOICES,
    AreaAssessment,
    ProposedMatch,
    Scenario,
    ScenarioJob,
    area_label,
    partnership_areas,
)
from partnerlens.brokerage.services.matches import (
    exclude_pair,
    pin_match,
    reject_match,
)
from partnerlens.brokerage.services.profiles import (
    adjust_assessment,
    derive_assessments,
    save_areas,
)
from partnerlens.brokerage.services.scenarios import (
    create_scenario,
    remove_exclusion,
    remove_pin,
    request_run,
)
from partnerlens.core.messages import Message
from partnerlens.directory.access import get_partnership_for_user

# Accept has its own confirmation page (views_support.match_accept).
ACTIONS = {
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
    ("pin", gettext_lazy("Pin")),
    ("reject", gettext_lazy("Reject")),
    ("exclude", gettext_lazy("Exclude pair")),
]


PROFILE_COLUMNS = [
    Column("name", gettext_lazy("School"), ("name",)),
    Column("la", gettext_lazy("Local authority"), ("la_name", "name")),
    Column("need", gettext_lazy("Total need"), ("total_need", "name"), numeric=True),
]
PROPOSAL_COLUMNS = [
    Column("need_school", gettext_lazy("School in need"), ("need_school__name",)),
    Column("area", gettext_lazy("Area"), value=lambda p: str(p.area_name)),
    Column("severity", gettext_lazy("Severity"), ("severity", "need_school__name")),
    Column("supporter", gettext_lazy("Supporter"), ("support_school__name",)),
    Column("km", gettext_lazy("Distance"), ("distance_km",), numeric=True),
    Column("score", gettext_lazy("Score"), ("score",), numeric=True),
    Column("decision", gettext_lazy("Decision"), ("decision", "need_school__name")),
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
    members = loaders.member_schools(partnership)
    form = NeedFilterForm(request.GET, schools=members, areas=areas)
    schools = form.narrow(members)
    assessments = AreaAssessment.objects.for_partnership(partnership).filter(area__in=areas)
    if need_area := form.valid_data().get("need_area"):
        needing = assessments.needs().filter(area=need_area)
        schools = schools.filter(pk__in=needing.values("organisation_id"))
    schools = schools.annotate(
        total_need=Coalesce(
            Subquery(
                assessments.filter(organisation=OuterRef("pk"))
                .values("organisation")
                .annotate(total=Sum("need_level"))
                .values("total")
            ),
            0,
        )
    )
    table = Table.of(request, PROFILE_COLUMNS, schools, default="name")
    shown = [school.pk for school in table.rows]
    levels = {(a.organisation_id, a.area): a for a in assessments.filter(organisation__in=shown)}
    rows = [(school, [levels.get((school.pk, area)) for area in areas]) for school in table.rows]
    context = {
        "partnership": partnership,
        "areas": areas,
        "rows": rows,
        "table": table,
        "filters": form,
        "outcome_age": freshness.age_for_partnership(partnership, areas),
    }
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
    sources = [source for assessment in found.values() for source in assessment.sources or []]
    context = {
        "partnership": partnership,
        "school": school,
        "rows": rows,
        "outcome_age": freshness.age_of_sources(sources),
    }
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
    context = {
        "partnership": partnership,
        "school": school,
        "area": area_label(area),
        "outcome_age": freshness.age_of_sources(current.sources if current else []),
    }
    return render(
        request, "brokerage/assessment_adjust.html", {**context, "form": form, "current": current}
    )


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
    job = ScenarioJob.objects.filter(scenario=scenario).first()
    areas = scenario.area_ids()
    form = ProposalFilterForm(request.GET, areas=areas)
    proposals, unmet, table, shown_unmet = [], [], None, []
    if run:
        matches = run.matches.select_related("need_school", "support_school")
        proposals = list(matches)
        unmet = list(run.unmet.select_related("school"))
        table = Table.of(
            request,
            PROPOSAL_COLUMNS,
            form.narrow(proposals),
            default="severity",
            default_descending=True,
        )
        shown_unmet = form.narrow(unmet, schools=("school",))
    context = {
        "partnership": partnership,
        "scenario": scenario,
        "run": run,
        "job": job,
        "job_problems": [Message.of(p) for p in job.problems] if job else [],
        "proposals": proposals,
        "table": table,
        "filters": form,
        "unmet": shown_unmet,
        "unmet_total": len(unmet),
        "area_labels": [area_label(area) for area in areas],
        "focus_schools": scenario.focus_schools(),
        "outcome_age": freshness.age_for_partnership(partnership, areas),
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
    job = request_run(scenario, actor=request.user)
    job.refresh_from_db()  # tasks may run at once (the immediate backend)
    if job.pending:  # with a worker: the page shows the run's progress
        messages.success(request, _("Run queued. The page shows when it is finished."))
    elif job.run is not None and not job.failed:
        totals = job.run.totals
        messages.success(
            request,
            _("Run complete: %(met)s of %(needs)s needs met.")
            % {"met": totals["needs_met"], "needs": totals["needs"]},
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
