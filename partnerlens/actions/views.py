"""Action plans: the plan, making an action (from a finding or not), an action's page with
its updates and evidence, changing it, and which actions moved which figure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from partnerlens.actions import sources
from partnerlens.actions.access import can_update, get_action_for_user, require_update
from partnerlens.actions.codes import MeasureKind
from partnerlens.actions.forms import ActionForm, PlanFilterForm, UpdateForm, theme_choices
from partnerlens.actions.models import Action
from partnerlens.actions.moved import moved_rows
from partnerlens.actions.services.plans import add_update, change_action, create_action
from partnerlens.directory.access import get_partnership_for_user
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.panel import own_measure_names


def _filtered(actions, form: PlanFilterForm):
    if not form.is_valid():
        return actions
    data = form.cleaned_data
    if data["status"] == "overdue":
        actions = actions.overdue()
    elif data["status"]:
        actions = actions.filter(status=data["status"])
    if data["school"]:
        actions = actions.filter(schools=data["school"])
    if data["owner"]:
        actions = actions.filter(owner=data["owner"])
    return actions


@login_required
@require_GET
def plan(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    form = PlanFilterForm(request.GET or None, partnership=partnership)
    actions = _filtered(
        Action.objects.for_partnership(partnership)
        .select_related("owner")
        .prefetch_related("schools"),
        form,
    )
    context = {
        "partnership": partnership,
        "form": form,
        "actions": list(actions.distinct()),
        "today": timezone.localdate(),
        "overdue": Action.objects.for_partnership(partnership).overdue().count(),
        "can_manage": access.can_manage,
    }
    return render(request, "actions/plan.html", context)


def _initial(finding) -> dict:
    if finding is None:
        return {}
    initial = {"schools": list(finding.school_ids)}
    if finding.theme_key:
        initial |= {"success_kind": MeasureKind.THEME, "success_theme": finding.theme_key}
    elif finding.measure:
        initial |= {"success_kind": MeasureKind.OUTCOME, "success_measure": finding.measure}
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    partnership = access.partnership
    finding = sources.resolve(partnership, request.GET)
    themes = finding.themes if finding else ()
    form = ActionForm(
        request.POST or None, partnership=partnership, themes=themes, initial=_initial(finding)
    )
    if request.method == "POST" and form.is_valid():
        action = create_action(
            partnership,
            actor=request.user,
            schools=form.cleaned_data["schools"],
            finding=finding,
            **form.action_fields(),
        )
        messages.success(request, _("Action added to the plan."))
        return redirect("actions:action_detail", pk=partnership.pk, action_pk=action.pk)
    context = {"partnership": partnership, "form": form, "finding": finding}
    return render(request, "actions/action_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk, action_pk):
    """The action, its updates and evidence; POST adds an update (lead or owner)."""
    access = get_partnership_for_user(request.user, pk)
    action = get_action_for_user(access, action_pk)
    may_update = can_update(access, action)
    if request.method == "POST":
        require_update(access, action)
    form = UpdateForm(request.POST or None) if may_update else None
    if form is not None and request.method == "POST" and form.is_valid():
        add_update(action, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Update added."))
        return redirect("actions:action_detail", pk=pk, action_pk=action.pk)
    evidence = list(action.evidence.all())
    context = {
        "partnership": access.partnership,
        "action": action,
        "schools": action.schools.all(),
        "updates": action.updates.select_related("author"),
        "evidence": evidence,
        # Whoever may add evidence to this action may change the wording of its evidence.
        "changeable": {item.pk for item in evidence} if may_update else set(),
        "form": form,
        "can_manage": access.can_manage,
        "may_update": may_update,
        "overdue": action.is_overdue(),
        "success_label": _success_label(
            action, dict(theme_choices(access.partnership)), own_measure_names(access.partnership)
        ),
    }
    return render(request, "actions/action_detail.html", context)


def _success_label(action: Action, themes: dict, own: dict) -> str:
    if action.success_kind == MeasureKind.THEME:
        return str(themes.get(action.success_code, action.success_code))
    if action.success_kind == MeasureKind.OUTCOME:
        return measure_name(action.success_code, own)
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk, action_pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    action = get_action_for_user(access, action_pk)
    form = ActionForm(
        request.POST or None,
        partnership=access.partnership,
        initial=ActionForm.initial_for(action),
    )
    if request.method == "POST" and form.is_valid():
        changed = change_action(
            action, actor=request.user, schools=form.cleaned_data["schools"], **form.action_fields()
        )
        if changed:
            messages.success(request, _("Action changed."))
        return redirect("actions:action_detail", pk=pk, action_pk=action.pk)
    context = {"partnership": access.partnership, "form": form, "action": action}
    return render(request, "actions/action_form.html", context)


@login_required
@require_GET
def moved(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    themes, own = dict(theme_choices(partnership)), own_measure_names(partnership)
    rows = [(row, _success_label(row.action, themes, own)) for row in moved_rows(partnership)]
    context = {"partnership": partnership, "rows": rows}
    return render(request, "actions/moved.html", context)
