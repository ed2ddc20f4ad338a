"""Pages of an enquiry for leads and members: cycles, their dates and texts, invitations,
reflections. The respondents' pages are ``respondent_views.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnerlens.audit.services import record_export
from partnerlens.directory.access import get_partnership_for_user
from partnerlens.enquiries.access import get_cycle_for_user
from partnerlens.enquiries.cycle_links import links_for
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.forms import (
    CycleDatesForm,
    CycleForm,
    CycleTextsForm,
    InviteForm,
)
from partnerlens.enquiries.invitee_files import InviteeFileError
from partnerlens.enquiries.models import Cycle, Reflection
from partnerlens.enquiries.services import cycles, invitees, reflections
from partnerlens.enquiries.summaries import progress_of


@login_required
def cycle_list(request, partnership_pk: int):
    access = get_partnership_for_user(request.user, partnership_pk)
    partnership = access.partnership
    cycles = Cycle.objects.for_partnership(partnership).select_related(
        "framework_version__framework"
    )
    return render(
        request,
        "enquiries/cycle_list.html",
        {
            "partnership": partnership,
            "cycles": cycles,
            "can_manage": access.can_manage,
        },
    )


@login_required
def cycle_create(request, partnership_pk: int):
    partnership = get_partnership_for_user(request.user, partnership_pk, manage=True).partnership
    form = CycleForm(partnership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycles.create_cycle(partnership, actor=request.user, **form.cleaned_data)
        except EnquiryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Cycle created. Now invite people to it."))
            return redirect("enquiries:invite", cycle.pk)
    return render(request, "enquiries/cycle_form.html", {"partnership": partnership, "form": form})


@login_required
def cycle_detail(request, pk: int):
    cycle, access = get_cycle_for_user(request.user, pk)
    manage = access.can_manage
    return render(
        request,
        "enquiries/cycle_detail.html",
        {
            "cycle": cycle,
            "can_manage": manage,
            "progress": progress_of(cycle) if manage else None,
            "open_link": request.session.pop(f"open-link-{cycle.pk}", None),
            "links": links_for(cycle, access, request),
        },
    )


@login_required
def cycle_dates(request, pk: int):
    """Change a cycle's dates: the form, then a confirmation showing old and new dates."""
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    initial = {"opens_on": cycle.opens_on, "closes_on": cycle.closes_on}
    form = CycleDatesForm(request.POST or None, initial=initial)
    confirming = False
    if request.method == "POST" and form.is_valid():
        new = {name: form.cleaned_data[name] for name in ("opens_on", "closes_on")}
        try:
            if "confirm" in request.POST:
                cycles.change_cycle_dates(cycle, actor=request.user, **new)
                messages.success(request, _("The cycle's dates have been changed."))
                return redirect("enquiries:cycle", cycle.pk)
            cycles.check_new_dates(cycle, **new)
            confirming = True
        except cycles.DatesRefused as refused:
            form.add_error(refused.field, str(refused))
    return render(
        request,
        "enquiries/cycle_dates.html",
        {
            "cycle": cycle,
            "partnership": cycle.partnership,
            "form": form,
            "confirming": confirming,
            # The confirmation posts the typed dates again, as they were typed.
            "typed": [
                (f"{name}_{part}", request.POST.get(f"{name}_{part}", ""))
                for name in ("opens_on", "closes_on")
                for part in range(3)
            ]
            if confirming
            else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def invite(request, pk: int):
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    form = InviteForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            result = invitees.import_invitees(
                cycle,
                actor=request.user,
                upload=form.cleaned_data["upload"],
                pasted=form.cleaned_data["rows"],
            )
        except (InviteeFileError, EnquiryError) as error:
            form.add_error("upload" if form.cleaned_data["upload"] else "rows", str(error))
        else:
            row_errors = result.errors
            if not row_errors:
                messages.success(
                    request,
                    _("%(added)s people added; %(sent)s invitations queued to be sent.")
                    % {"added": len(result.created), "sent": result.sent},
                )
                return redirect("enquiries:cycle", cycle.pk)
    return render(
        request,
        "enquiries/invite.html",
        {"cycle": cycle, "form": form, "row_errors": row_errors},
        status=400 if (form.errors or row_errors) else 200,
    )


ACTIONS = {
    "open": (
        cycles.open_cycle,
        gettext_lazy(
            "The cycle is open. Invitations are queued and go out as soon as the mail server "
            "takes them."
        ),
    ),
    "close": (
        cycles.close_cycle,
        gettext_lazy("The cycle is closed. No more answers are accepted."),
    ),
    "publish": (cycles.publish_cycle, gettext_lazy("The cycle's results are published.")),
    "remind": (invitees.send_reminders, None),
}


@login_required
@require_POST
def cycle_action(request, pk: int, action: str):
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    if action == "open-link":
        token = invitees.create_open_link(cycle, actor=request.user)
        request.session[f"open-link-{cycle.pk}"] = request.build_absolute_uri(
            reverse("enquiries:open_link", args=[token])
        )
        return redirect("enquiries:cycle", cycle.pk)
    if action not in ACTIONS:
        raise Http404("No such action")
    function, message = ACTIONS[action]
    try:
        result = function(cycle, actor=request.user)
    except EnquiryError as error:
        messages.error(request, str(error))
        return redirect("enquiries:cycle", cycle.pk)
    if action == "remind":
        message = _("%(count)s reminders sent.") % {"count": result}
    messages.success(request, message)
    return redirect("enquiries:cycle", cycle.pk)


@never_cache
@login_required
def reflection(request, pk: int):
    """A leader's private reflection on this cycle's prompts: only they can read it."""
    cycle, access = get_cycle_for_user(request.user, pk)
    prompts = reflections.prompts_for(request.user, cycle, roles=access.roles)
    mine = {r.prompt_id: r.text for r in Reflection.objects.of(request.user).filter(cycle=cycle)}
    errors = {}
    if request.method == "POST":
        texts = {p.pk: request.POST.get(f"prompt-{p.pk}", "") for p in prompts}
        errors = {
            pk: _("Your reflection is %(length)s characters; the limit is 5,000.")
            % {"length": f"{len(t):,}"}
            for pk, t in texts.items()
            if len(t) > 5000
        }
        if not errors:
            reflections.save_reflections(request.user, cycle, texts, roles=access.roles)
            messages.success(request, _("Your reflection has been saved. Only you can see it."))
            return redirect("enquiries:reflection", cycle.pk)
        mine = texts
    rows = [(p, mine.get(p.pk, ""), errors.get(p.pk, "")) for p in prompts]
    return render(
        request,
        "enquiries/reflection.html",
        {"cycle": cycle, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@never_cache  # a download: kept in no cache (as every results page and download)
@login_required
def reflections_export(request, fmt: str):
    if fmt not in ("csv", "txt"):
        raise Http404("No such format")
    body = reflections.export_reflections(request.user, fmt)
    kind = "text/csv" if fmt == "csv" else "text/plain"
    reply = HttpResponse(body, content_type=f"{kind}; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="my-reflections.{fmt}"'
    record_export(request.user, request.user, export="own_reflections", fmt=fmt)
    return reply


@login_required
def cycle_texts(request, pk: int):
    """Change a cycle's title and introduction, English and Welsh side by side."""
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    initial = {name: getattr(cycle, name) for name in CycleTextsForm.FIELDS}
    form = CycleTextsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycles.change_cycle_texts(cycle, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The cycle's title and introduction have been saved."))
        return redirect("enquiries:cycle", cycle.pk)
    context = {"cycle": cycle, "partnership": cycle.partnership, "form": form}
    return render(request, "enquiries/cycle_texts.html", context)
