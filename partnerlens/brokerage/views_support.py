"""Support relationships: accepting a proposal (after a confirmation page), the lists of
current and ended support, progress notes, and ending support with a reason (also confirmed).
Both schools' leaders are told by email when support starts and when it ends (emails.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from partnerlens.brokerage import freshness
from partnerlens.brokerage.access import (
    can_note_progress,
    get_partnership_for_broker,
    get_relationship_for_user,
    get_scenario_for_user,
)
from partnerlens.brokerage.emails import school_contacts
from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.forms import EndSupportForm, ProgressNoteForm
from partnerlens.brokerage.listing import ENDED, Column, SupportFilterForm, Table
from partnerlens.brokerage.models import (
    ProposedMatch,
    SupportOffer,
    SupportRelationship,
    SupportStatus,
    partnership_areas,
)
from partnerlens.brokerage.services.matches import accept_match
from partnerlens.brokerage.services.support import end_support, record_progress
from partnerlens.directory.access import get_partnership_for_user

SUPPORT_COLUMNS = [
    Column("supporter", gettext_lazy("Supporting school"), ("supporter__name",)),
    Column("supported", gettext_lazy("Supported school"), ("supported__name",)),
    Column("area", gettext_lazy("Area"), value=lambda r: str(r.area_name)),
    Column("started", gettext_lazy("Started"), ("started_on",)),
    Column("status", gettext_lazy("Status"), ("status", "-ended_on")),
    Column("notes", gettext_lazy("Notes"), ("note_count",), numeric=True),
]


@login_required
@require_http_methods(["GET", "POST"])
def match_accept(request, pk, scenario_pk, proposal_pk):
    """GET: what accepting means (both schools, the area, why, who is told); POST: accept."""
    scenario = get_scenario_for_user(get_partnership_for_broker(request.user, pk), scenario_pk)
    proposal = get_object_or_404(
        ProposedMatch.objects.select_related("need_school", "support_school"),
        pk=proposal_pk,
        run__scenario=scenario,
    )
    back = redirect(
        "brokerage:scenario_detail", pk=scenario.partnership_id, scenario_pk=scenario.pk
    )
    if request.method == "POST":
        try:
            relationship = accept_match(proposal, actor=request.user)
        except BrokerageError as error:
            for message in error.messages:
                messages.error(request, message)
            return back
        messages.success(
            request,
            _("Accepted: the support relationship has started and both schools have been told."),
        )
        return redirect(
            "brokerage:support_detail", pk=scenario.partnership_id, support_pk=relationship.pk
        )
    if not proposal.is_open:
        messages.error(request, _("This proposal has already been decided."))
        return back
    offer = SupportOffer.objects.filter(
        partnership_id=scenario.partnership_id, organisation=proposal.support_school
    ).first()
    context = {
        "partnership": scenario.partnership,
        "scenario": scenario,
        "p": proposal,
        "contacts": [
            *school_contacts(scenario.partnership_id, proposal.support_school),
            *school_contacts(scenario.partnership_id, proposal.need_school),
        ],
        "offer": offer,
        "outcome_age": freshness.age_for_proposal(proposal.explanation),
    }
    return render(request, "brokerage/match_accept.html", context)


@login_required
def support_list(request, pk):
    partnership = get_partnership_for_user(request.user, pk).partnership
    form = SupportFilterForm(request.GET, areas=partnership_areas(partnership))
    relationships = form.narrow(
        SupportRelationship.objects.filter(partnership=partnership)
        .select_related("supporter", "supported")
        .annotate(note_count=Count("notes"))
    )
    tables = {
        name: Table.of(request, SUPPORT_COLUMNS, rows, default="started", per_page=None)
        for name, rows in (
            ("current", relationships.filter(status=SupportStatus.ACTIVE)),
            ("ended", relationships.filter(status__in=ENDED)),
        )
    }
    context = {"partnership": partnership, "filters": form, **tables}
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
    """The form (how, when, why), then a confirmation page, then the ending and the notices."""
    access = get_partnership_for_broker(request.user, pk)
    partnership = access.partnership
    relationship = get_relationship_for_user(access, support_pk)
    to_detail = redirect("brokerage:support_detail", pk=partnership.pk, support_pk=relationship.pk)
    if relationship.status != SupportStatus.ACTIVE:
        messages.error(request, _("This support has already ended."))
        return to_detail
    form = EndSupportForm(request.POST or None)
    context = {"partnership": partnership, "relationship": relationship, "form": form}
    if not form.is_valid():
        return render(request, "brokerage/support_end.html", context)
    if not form.cleaned_data["confirm"]:
        contacts = [
            *school_contacts(partnership.pk, relationship.supporter),
            *school_contacts(partnership.pk, relationship.supported),
        ]
        status = dict(SupportStatus.choices)[form.cleaned_data["status"]]
        context |= {"data": form.cleaned_data, "status_label": status, "contacts": contacts}
        return render(request, "brokerage/support_end_confirm.html", context)
    data = {k: v for k, v in form.cleaned_data.items() if k != "confirm"}
    try:
        end_support(relationship, actor=request.user, **data)
    except BrokerageError as error:
        form.add_error(None, error.messages[0])
        return render(request, "brokerage/support_end.html", context)
    messages.success(request, _("Support ended. Both schools have been told."))
    return to_detail
