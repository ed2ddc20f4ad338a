"""Changing the wording of evidence, activities and benefits after they are recorded: their
English and Welsh side by side, for whoever may add one (``access``). Only the texts change
here; the audit entry names those that did (``services.wording``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerlens.actions.access import (
    get_activity_for_user,
    get_benefit_for_user,
    get_evidence_for_user,
    require_change_evidence,
)
from partnerlens.actions.forms import ActivityTextsForm, BenefitTextsForm, EvidenceTextsForm
from partnerlens.actions.services.wording import (
    change_activity_texts,
    change_benefit_texts,
    change_evidence_texts,
)
from partnerlens.directory.access import get_partnership_for_user


def _change_wording(request, access, record, form_class, change, *, record_kind, back, **options):
    """The page for one record: its texts' form, saved through ``change``, then ``back``."""
    initial = {name: getattr(record, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial, **options)
    if request.method == "POST" and form.is_valid():
        if change(record, actor=request.user, **form.cleaned_data):
            messages.success(request, _("Wording saved."))
        return redirect(back)
    context = {
        "partnership": access.partnership,
        "form": form,
        "record": record,
        "record_kind": record_kind,
        "back": back,
    }
    return render(request, "actions/wording_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request, pk, item_pk):
    access = get_partnership_for_user(request.user, pk)
    item = require_change_evidence(access, get_evidence_for_user(access, item_pk))
    # Opened from an action's page (``?action=``): back there, if the item is tagged to it.
    action_id = request.GET.get("action", "")
    if action_id.isdigit() and item.actions.filter(pk=action_id).exists():
        back = reverse("actions:action_detail", args=[pk, action_id])
    else:
        back = reverse("actions:evidence_list", args=[pk]) + f"#evidence-{item.pk}"
    return _change_wording(
        request,
        access,
        item,
        EvidenceTextsForm,
        change_evidence_texts,
        record_kind="evidence",
        back=back,
        kind=item.kind,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk, activity_pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    activity = get_activity_for_user(access, activity_pk)
    back = reverse("actions:activity_list", args=[pk]) + f"#activity-{activity.pk}"
    return _change_wording(
        request,
        access,
        activity,
        ActivityTextsForm,
        change_activity_texts,
        record_kind="activity",
        back=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, pk, benefit_pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    benefit = get_benefit_for_user(access, benefit_pk)
    back = reverse("actions:benefits", args=[pk]) + f"#benefit-{benefit.category}"
    return _change_wording(
        request,
        access,
        benefit,
        BenefitTextsForm,
        change_benefit_texts,
        record_kind="benefit",
        back=back,
    )
