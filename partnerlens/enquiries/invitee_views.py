"""A lead's pages for a cycle's invitees: list with mail status, correct, remove, re-send.

Thin views over services/roster.py, which decides what may change and never tells who has
answered.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from partnerlens.enquiries.access import get_cycle_for_user
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.invitee_forms import CorrectAddressForm
from partnerlens.enquiries.models import CycleState, Invitee
from partnerlens.enquiries.services import roster


def _invitee(request, pk: int, invitee_pk: int):
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    invitee = Invitee.objects.filter(cycle=cycle, pk=invitee_pk).first()
    if invitee is None:
        raise Http404("No such invitee")
    invitee.cycle = cycle
    return cycle, invitee


@login_required
def invitee_list(request, pk: int):
    cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
    rows = roster.rows_for(cycle)
    return render(
        request,
        "enquiries/invitees/list.html",
        {
            "cycle": cycle,
            "rows": rows,
            "failed": sum(row.failed for row in rows),
            "queued": sum(row.status == "queued" for row in rows),
            "changeable": cycle.state in (CycleState.DRAFT, CycleState.OPEN),
        },
    )


@login_required
def invitee_correct(request, pk: int, invitee_pk: int):
    cycle, invitee = _invitee(request, pk, invitee_pk)
    form = CorrectAddressForm(request.POST or None, initial={"email": invitee.email})
    if request.method == "POST" and form.is_valid():
        try:
            sent = roster.correct_address(invitee, form.cleaned_data["email"], actor=request.user)
        except EnquiryError as error:
            form.add_error("email", str(error))
        else:
            if sent:
                note = _("Address corrected. A new invitation is queued for %(email)s.")
            else:
                note = _("Address corrected. %(email)s is invited when the cycle opens.")
            messages.success(request, note % {"email": invitee.email})
            return redirect("enquiries:invitees", cycle.pk)
    return render(
        request,
        "enquiries/invitees/correct.html",
        {"cycle": cycle, "invitee": invitee, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def invitee_remove(request, pk: int, invitee_pk: int):
    """Ask first; remove on POST."""
    cycle, invitee = _invitee(request, pk, invitee_pk)
    if request.method == "POST":
        try:
            roster.remove_invitee(invitee, actor=request.user)
        except EnquiryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(email)s was removed.") % {"email": invitee.email})
        return redirect("enquiries:invitees", cycle.pk)
    return render(request, "enquiries/invitees/remove.html", {"cycle": cycle, "invitee": invitee})


@login_required
@require_POST
def invitee_resend(request, pk: int, invitee_pk: int | None = None):
    """Re-send one failed invitation, or every failed one when no invitee is named."""
    if invitee_pk is None:
        cycle, _access = get_cycle_for_user(request.user, pk, manage=True)
        only = None
    else:
        cycle, only = _invitee(request, pk, invitee_pk)
    try:
        count = roster.resend_failed(cycle, actor=request.user, only=only)
    except EnquiryError as error:
        messages.error(request, str(error))
    else:
        if count:
            note = ngettext(
                "%(count)s invitation queued again.", "%(count)s invitations queued again.", count
            )
            messages.success(request, note % {"count": count})
        else:
            messages.info(request, _("No failed invitations to send again."))
    return redirect("enquiries:invitees", cycle.pk)
