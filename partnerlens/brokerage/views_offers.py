"""Offers of support: the list (filtered, sorted, in pages) and a school's offer form, with
what the school offers in its own words in English and Welsh."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from partnerlens.brokerage import loaders
from partnerlens.brokerage.access import get_school_for_offer
from partnerlens.brokerage.forms import OfferForm
from partnerlens.brokerage.listing import Column, OfferFilterForm, Table
from partnerlens.brokerage.models import SupportOffer, partnership_areas
from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.directory.access import get_partnership_for_user

OFFER_COLUMNS = [
    Column("name", gettext_lazy("School"), ("name",)),
    Column("la", gettext_lazy("Local authority"), ("la_name", "name")),
    Column("areas", gettext_lazy("Areas (strength, schools at once)"), sortable=False),
    Column("limit", gettext_lazy("Overall limit"), sortable=False),
    Column("km", gettext_lazy("Travels up to"), sortable=False),
]


@login_required
def offer_list(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership, broker, led = access.partnership, access.can_broker, access.led_school_ids
    if not (broker or led):
        raise PermissionDenied("Only brokers and school leaders may see offers")
    members = loaders.member_schools(partnership)
    if not broker:
        members = members.filter(pk__in=led)
    form = OfferFilterForm(request.GET, schools=members)
    schools = form.narrow(members)
    offering = SupportOffer.objects.filter(partnership=partnership)
    if wanted := form.valid_data().get("offers"):
        with_areas = offering.filter(areas__isnull=False).values("organisation_id")
        if wanted == "yes":
            schools = schools.filter(pk__in=with_areas)
        else:
            schools = schools.exclude(pk__in=with_areas)
    table = Table.of(request, OFFER_COLUMNS, schools, default="name")
    offers = {
        o.organisation_id: o
        for o in offering.filter(organisation__in=[s.pk for s in table.rows]).prefetch_related(
            "areas"
        )
    }
    rows = [(school, offers.get(school.pk)) for school in table.rows]
    context = {"partnership": partnership, "rows": rows, "table": table, "filters": form}
    return render(request, "brokerage/offer_list.html", context)


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
            summary=data["summary"],
            summary_cy=data["summary_cy"],
            actor=request.user,
        )
        messages.success(request, _("Offer saved for %(name)s.") % {"name": school.name})
        return redirect("brokerage:offer_list", pk=partnership.pk)
    context = {"partnership": partnership, "school": school, "form": form}
    return render(request, "brokerage/offer_form.html", context)
