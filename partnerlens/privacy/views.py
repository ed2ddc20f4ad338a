"""The privacy pages: ask for a subject access export and download it; erase a person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from partnerlens.audit.services import record_export
from partnerlens.privacy import access, erasure, exports
from partnerlens.privacy.forms import ConfirmErasureForm, PersonForm
from partnerlens.privacy.models import SubjectExport


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def home(request):
    scope = access.export_scope(request.user)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        exports.ask_export(form.cleaned_data["email"], requester=request.user, scope=scope)
        messages.success(request, _("The export is being prepared. It is listed below."))
        return redirect("privacy:home")
    mine = SubjectExport.objects.filter(requested_by=request.user)[:20]
    return render(
        request,
        "privacy/home.html",
        {"form": form, "exports": mine, "everything": scope is None},
    )


@never_cache
@login_required
def download(request, pk):
    access.export_scope(request.user)
    export = get_object_or_404(SubjectExport, pk=pk, requested_by=request.user, status="done")
    content = exports.read(export)
    if content is None:
        messages.warning(
            request, _("That export could not be read back. It is being prepared again.")
        )
        return redirect("privacy:home")
    record_export(request.user, export, export="subject_access", fmt="json")
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{export.pk}.json"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def erase(request):
    access.require_site_admin(request.user)
    if request.method == "POST" and "confirm_step" in request.POST:
        confirm = ConfirmErasureForm(request.POST)
        if confirm.is_valid():
            erasure.erase(confirm.cleaned_data["email"], actor=request.user)
            messages.success(request, _("Everything held about that person has been erased."))
            return redirect("privacy:home")
        email = request.POST.get("email", "")
        return _confirm_page(request, confirm, email)
    form = PersonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = form.cleaned_data["email"]
        return _confirm_page(request, ConfirmErasureForm(initial={"email": email}), email)
    return render(request, "privacy/erase.html", {"form": form})


def _confirm_page(request, form, email):
    found = erasure.preview(email)
    return render(
        request, "privacy/erase_confirm.html", {"form": form, "email": email, "found": found}
    )
