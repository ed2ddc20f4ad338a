"""Editor pages for a version as a whole: the framework's name and summary, Publish and
Discard (each after a confirmation page), and the preview of the survey as a respondent
sees it."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnerlens.directory.access import get_partnership_for_user
from partnerlens.directory.models import Role
from partnerlens.frameworks.access import get_framework_version_for_user
from partnerlens.frameworks.edit_forms import DetailsForm
from partnerlens.frameworks.editing import (
    confirm,
    form_page,
    initial_of,
    refuse,
    to_version,
    version_to_change,
    version_url,
)
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.preview import preview_themes
from partnerlens.frameworks.services import drafts, versions

DETAILS_FIELDS = ("name_en", "name_cy", "summary_en", "summary_cy")


@login_required
def edit_details(request, pk, version_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    framework = version.framework
    return form_page(
        request,
        partnership,
        version,
        partial(DetailsForm, initial=initial_of(framework, DETAILS_FIELDS)),
        partial(drafts.update_details, version),
        saved=_("The name and summary have been saved."),
        template="frameworks/edit/details_form.html",
    )


def _publish_problems(partnership, version):
    """(link, message) for each problem, an empty theme linking to itself on the page."""
    return [
        (
            version_url(partnership, version, f"theme-{p.params['key']}")
            if "key" in p.params
            else "#main-content",
            str(p),
        )
        for p in versions.publish_problems(version)
    ]


@login_required
def publish(request, pk, version_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    if version.is_published:
        messages.info(request, _("Version %(n)s is already published.") % {"n": version.number})
        return to_version(partnership, version)
    problems = []
    if request.method == "POST":
        try:
            versions.publish_version(version, actor=request.user)
        except FrameworkChangeError:
            problems = _publish_problems(partnership, version)
        else:
            messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
            return to_version(partnership, version)
    else:
        problems = _publish_problems(partnership, version)
    lines = [
        _(
            "Once published, version %(n)s can never change, so enquiries run on it keep "
            "its exact questions. To change it later you will start a new draft."
        )
        % {"n": version.number},
    ]
    if problems:
        lines.append(_("Add a question to each empty theme, or remove the theme, first."))
    return confirm(
        request,
        partnership,
        version,
        title=_("Publish version %(n)s?") % {"n": version.number},
        quote=(version.framework, "name"),
        lines=lines,
        button=_("Publish this version") if not problems else "",
        problems=problems,
        warning=False,
    )


@login_required
def discard(request, pk, version_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    if version.is_published:
        return refuse(request, partnership, version)
    if request.method == "POST":
        try:
            gone = drafts.discard_draft(version, actor=request.user)
        except FrameworkChangeError as exc:
            return refuse(request, partnership, version, exc)
        messages.success(request, _("The draft has been discarded."))
        if gone:
            return redirect("frameworks:list", pk=partnership.pk)
        latest = version.framework.latest_published()
        return (
            to_version(partnership, latest)
            if latest
            else redirect("frameworks:list", pk=partnership.pk)
        )
    earlier = version.framework.versions.exclude(pk=version.pk).exists()
    return confirm(
        request,
        partnership,
        version,
        title=_("Discard draft version %(n)s?") % {"n": version.number},
        lines=[
            _("Every change made in this draft will be lost. This cannot be undone."),
            _("Published versions stay as they are.")
            if earlier
            else _("This framework has no published version, so it will be removed too."),
        ],
        button=_("Yes, discard this draft"),
    )


@login_required
def preview(request, pk, version_pk):
    access = get_partnership_for_user(request.user, pk)
    version = get_framework_version_for_user(access, version_pk)
    role = request.GET.get("role", "")
    role = role if role in Role.values else ""
    return render(
        request,
        "frameworks/preview.html",
        {
            "partnership": access.partnership,
            "version": version,
            "themes": preview_themes(version, role or None),
            "roles": Role.choices,
            "role": role,
        },
    )
