"""The evidence log: the list (filtered by theme, action or activity), adding evidence, and
downloading a document (every member of the partnership; never cached)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from partnerlens.actions.access import (
    get_evidence_for_user,
    may_add_evidence,
    may_change_evidence,
)
from partnerlens.actions.forms import EvidenceForm, theme_choices
from partnerlens.actions.models import Action, EvidenceItem
from partnerlens.actions.services.evidence import EvidenceError, add_evidence
from partnerlens.audit.services import record_export
from partnerlens.core import stored_files
from partnerlens.directory.access import get_partnership_for_user


def _tag_filter(items, query):
    """Narrow by ``?theme=<key>``, ``?action=<id>`` or ``?activity=<id>``."""
    if query.get("theme"):
        items = [item for item in items if query["theme"] in (item.themes or [])]
    for name in ("action", "activity"):
        value = query.get(name, "")
        if value.isdigit():
            items = [i for i in items if int(value) in {o.pk for o in getattr(i, f"{name}s").all()}]
    return items


@login_required
@require_GET
def evidence_list(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    items = list(
        EvidenceItem.objects.filter(partnership=partnership)
        .select_related("added_by")
        .prefetch_related("actions", "activities")
    )
    context = {
        "partnership": partnership,
        "items": _tag_filter(items, request.GET),
        "changeable": {item.pk for item in items if may_change_evidence(access, item)},
        "themes": dict(theme_choices(partnership)),
        "filtered": any(request.GET.get(n) for n in ("theme", "action", "activity")),
        "may_add": may_add_evidence(access),
    }
    return render(request, "actions/evidence_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    if not may_add_evidence(access):
        raise PermissionDenied("Only the partnership lead or an action's owner may add evidence")
    actions = Action.objects.for_partnership(partnership)
    if not access.can_manage:
        actions = actions.filter(owner=request.user)
    action_id = request.GET.get("action", "")
    initial = {"actions": [int(action_id)]} if action_id.isdigit() else {}
    form = EvidenceForm(
        request.POST or None,
        request.FILES or None,
        partnership=partnership,
        actions=actions,
        action_required=not access.can_manage,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            add_evidence(
                partnership,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                title_cy=data["title_cy"],
                text=data["text"],
                text_cy=data["text_cy"],
                url=data["url"],
                upload=data["file"] or None,
                content_type=form.content_type,
                themes=data["themes"],
                actions=data["actions"],
                activities=data["activities"],
            )
        except EvidenceError:
            form.add_error("file", _("The document could not be kept just now. Try again later."))
        else:
            messages.success(request, _("Evidence added."))
            linked = list(data["actions"])
            if len(linked) == 1:
                return redirect("actions:action_detail", pk=pk, action_pk=linked[0].pk)
            return redirect("actions:evidence_list", pk=pk)
    context = {"partnership": partnership, "form": form}
    return render(request, "actions/evidence_form.html", context)


@never_cache
@login_required
@require_GET
def evidence_download(request, pk, item_pk):
    access = get_partnership_for_user(request.user, pk)
    item = get_evidence_for_user(access, item_pk)
    if not item.file:
        raise Http404("This evidence has no document")
    data = stored_files.read(item.file.name)
    if data is None:  # the storage failed (logged): say so, never a 500
        context = {"partnership": access.partnership, "item": item}
        response = render(request, "actions/evidence_missing.html", context, status=503)
        response["Cache-Control"] = "no-store"
        return response
    record_export(
        request.user,
        item,
        export="evidence",
        fmt=item.content_type,
        partnership_id=item.partnership_id,
    )
    response = HttpResponse(data, content_type=item.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{item.filename or "evidence"}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
