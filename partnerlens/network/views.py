"""The network pages: the picture and figures, isolated schools, an organisation's ties,
the ties the two sides see differently; asking for a fresh snapshot; starting a brokerage
scenario for an area's isolated schools.

Every view fetches through ``access`` (404 outside the partnership, 403 for a member who
may not see its network) and reads the latest stored snapshot (``services``); the pages
never compute the network themselves.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerlens.brokerage.errors import BrokerageError
from partnerlens.brokerage.models import partnership_areas
from partnerlens.brokerage.services.scenarios import create_scenario
from partnerlens.directory.access import BROKER
from partnerlens.network import charts, presenting, services
from partnerlens.network.access import can_refresh, get_partnership_for_network
from partnerlens.network.forms import AreaForm, RefreshForm, ScenarioStartForm
from partnerlens.network.models import SnapshotEntry, SnapshotJob

STORED = 12  # the stored days offered on the picture's page, newest first
SCENARIO_KM = 25  # the brokerage scenario form's own default distance limit
# The picture's page reads the lists it draws and the figures, never the areas or components.
HOME_FIELDS = ("on", "computed_at", "organisations", "ties", "figures")


def _scenario_names(area: str) -> dict[str, str]:
    """The new scenario's name in English and in Welsh, whichever language the broker reads
    (a scenario's name is a typed text: a Welsh reader sees ``name_cy``)."""
    names = {}
    for field, language in (("name", "en"), ("name_cy", "cy")):
        with translation.override(language):
            names[field] = _("Isolated schools in %(area)s") % {"area": area}
    return names


def _chosen(partnership, chosen: str):
    """The snapshot asked for (one of this partnership's), else the latest."""
    if chosen.isdigit():
        found = services.snapshots_of(partnership).defer("areas", "components")
        found = found.filter(pk=int(chosen)).first()
        if found:
            return found
    return services.latest_snapshot(partnership, *HOME_FIELDS)


def _page_query(request, snapshot) -> str:
    """The query string a page link of the table of ties keeps: the snapshot and view."""
    kept = {"snapshot": snapshot.pk}
    if request.GET.get("view") == charts.MAP:
        kept["view"] = charts.MAP
    return urlencode(kept)


def _home(request, seen, form=None, status=200):
    partnership = seen.partnership
    snapshot = _chosen(partnership, request.GET.get("snapshot", ""))
    stored = services.snapshots_of(partnership).values("pk", "on", "computed_at")[:STORED]
    mode = request.GET.get("view", charts.LAYOUT)
    context = {
        "partnership": partnership,
        "snapshot": snapshot,
        "stored": [row for row in stored if snapshot and row["pk"] != snapshot.pk],
        "job": SnapshotJob.objects.filter(partnership=partnership).first(),
        "can_refresh": can_refresh(seen),
        "form": form or RefreshForm(),
        "mode": mode if mode in charts.MODES else charts.LAYOUT,
    }
    if snapshot:
        context.update(presenting.home(snapshot, context["mode"], request.GET.get("page")))
        context["page_query"] = _page_query(request, snapshot)
    return render(request, "network/home.html", context, status=status)


@login_required
def home(request, pk):
    return _home(request, get_partnership_for_network(request.user, pk))


@login_required
@require_POST
def refresh(request, pk):
    seen = get_partnership_for_network(request.user, pk, refresh=True)
    form = RefreshForm(request.POST)
    if not form.is_valid():
        return _home(request, seen, form, status=400)
    services.request_snapshot(seen.partnership, actor=request.user, on=form.cleaned_data["on"])
    messages.success(request, _("The network will be worked out again in the background."))
    return redirect("network:home", pk=pk)


@login_required
def isolated(request, pk):
    seen = get_partnership_for_network(request.user, pk)
    snapshot = services.latest_snapshot(
        seen.partnership, "on", "computed_at", "organisations", "areas"
    )
    areas = snapshot.areas if snapshot else []
    choices = [(area["la_code"], area.get("la_name") or area["la_code"]) for area in areas]
    form = AreaForm(request.GET or None, choices=sorted(choices, key=lambda c: c[1]))
    la_code = form.cleaned_data["la"] if form.is_valid() else ""
    context = {"partnership": seen.partnership, "snapshot": snapshot, "form": form,
               "can_broker": seen.can_broker}  # fmt: skip
    if snapshot:
        context.update(presenting.isolated(snapshot, la_code))
    return render(request, "network/isolated.html", context)


@login_required
@require_POST
def start_scenario(request, pk):
    seen = get_partnership_for_network(request.user, pk).require(BROKER)
    partnership = seen.partnership
    snapshot = services.latest_snapshot(partnership)
    form = ScenarioStartForm(request.POST)
    listed = {"area": None, "members": []}
    if snapshot and form.is_valid():
        listed = presenting.isolated(snapshot, form.cleaned_data["la"])
    back = reverse("network:isolated", kwargs={"pk": pk})
    if listed["area"]:
        back += "?" + urlencode({"la": listed["area"]["la_code"]})
    if not listed["members"]:  # an empty focus would mean every school of the partnership
        messages.error(request, _("No member school in this area is working alone."))
        return redirect(back)
    area = listed["area"].get("la_name") or listed["area"]["la_code"]
    try:
        scenario = create_scenario(
            partnership,
            **_scenario_names(area),
            areas=list(partnership_areas(partnership)),
            max_km=SCENARIO_KM,
            actor=request.user,
            focus=[school["id"] for school in listed["members"]],
        )
    except BrokerageError as problem:
        messages.error(request, str(problem))
        return redirect(back)
    messages.success(request, _("Scenario created. Run it to see proposed matches."))
    return redirect("brokerage:scenario_detail", pk=pk, scenario_pk=scenario.pk)


@login_required
def organisation(request, pk, org_pk):
    seen = get_partnership_for_network(request.user, pk)
    snapshot = services.latest_snapshot(seen.partnership, "on", "computed_at", "figures")
    entry = SnapshotEntry.objects.filter(snapshot=snapshot, organisation_id=org_pk).first()
    if entry is None:
        raise Http404("No such organisation in this partnership's network")
    context = {
        "partnership": seen.partnership,
        "snapshot": snapshot,
        "history": presenting.history(seen.partnership, org_pk),
        **presenting.profile(snapshot, entry),
    }
    return render(request, "network/organisation.html", context)


@login_required
def mismatched(request, pk):
    seen = get_partnership_for_network(request.user, pk)
    snapshot = services.latest_snapshot(seen.partnership)
    rows = presenting.mismatched(snapshot) if snapshot else []
    context = {"partnership": seen.partnership, "snapshot": snapshot, "rows": rows}
    return render(request, "network/mismatched.html", context)
