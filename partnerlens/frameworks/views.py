"""Framework pages, all inside a partnership: list, view, flex, add a theme or question to a
draft, start a draft, download and upload. The editor's other pages are in theme_views,
question_views and draft_views. Thin: check access, validate, call one service, render or
redirect."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from partnerlens.audit.services import record_export
from partnerlens.directory.access import get_partnership_for_user
from partnerlens.frameworks.access import get_framework_version_for_user, may_change
from partnerlens.frameworks.editing import form_page, version_to_change
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.forms import FlexForm, QuestionForm, ThemeForm, UploadForm
from partnerlens.frameworks.models import Framework, FrameworkVersion
from partnerlens.frameworks.schema import DocumentError, to_json, to_yaml
from partnerlens.frameworks.services import documents, questions, themes, versions
from partnerlens.frameworks.welsh import welsh_gaps

# Dimension keys used by the built-in frameworks, named for people in both languages.
DIMENSIONS = {
    "professional-development": gettext_lazy("Professional development"),
    "partnership-competence": gettext_lazy("Partnership competence"),
    "collaborative-capital": gettext_lazy("Collaborative capital"),
    "depth": gettext_lazy("Depth"),
    "tightness": gettext_lazy("Tightness"),
}


def _redirect_to_version(partnership, version):
    return redirect("frameworks:version", pk=partnership.pk, version_pk=version.pk)


@login_required
def framework_list(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    frameworks = Framework.objects.available_to(partnership).prefetch_related(
        Prefetch("versions", queryset=FrameworkVersion.objects.order_by("-number"))
    )
    return render(
        request,
        "frameworks/list.html",
        {
            "partnership": partnership,
            "builtin": [f for f in frameworks if f.is_builtin],
            "own": [f for f in frameworks if not f.is_builtin],
            "can_manage": access.can_manage,
        },
    )


@login_required
def version_detail(request, pk, version_pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    version = get_framework_version_for_user(access, version_pk)
    theme_list = version.themes.prefetch_related("questions__options")
    for theme in theme_list:
        theme.dimension_label = DIMENSIONS.get(theme.dimension, theme.dimension)
    manage = may_change(access, version)
    return render(
        request,
        "frameworks/version.html",
        {
            "partnership": partnership,
            "version": version,
            "themes": theme_list,
            "prompts": version.reflection_prompts.all(),
            "can_edit": manage and version.is_draft,
            "welsh_gaps": welsh_gaps(version.framework, theme_list)
            if manage and version.is_draft
            else [],
            "can_start_draft": manage and version.is_published,
            "can_flex": access.can_manage and version.is_published,
        },
    )


@login_required
def flex(request, pk, version_pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    partnership = access.partnership
    version = get_framework_version_for_user(access, version_pk)
    if not version.is_published:
        raise Http404("Only a published version can be flexed")
    form = FlexForm(version, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = versions.flex_framework(
                partnership, version, actor=request.user, **form.chosen()
            )
        except FrameworkChangeError as exc:
            for error in exc.errors:
                form.add_error(None, error)
        else:
            messages.success(request, _("Your framework has been created as a draft."))
            return _redirect_to_version(partnership, draft)
    return render(
        request,
        "frameworks/flex.html",
        {
            "partnership": partnership,
            "version": version,
            "form": form,
        },
    )


@login_required
@require_POST
def start_draft(request, pk, version_pk):
    access = get_partnership_for_user(request.user, pk, manage=True)
    partnership = access.partnership
    version = get_framework_version_for_user(access, version_pk, manage=True)
    draft = versions.start_draft(version.framework, actor=request.user)
    return _redirect_to_version(partnership, draft)


@login_required
def add_theme(request, pk, version_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    return form_page(
        request,
        partnership,
        version,
        ThemeForm,
        partial(themes.add_theme, version),
        saved=_("The theme has been added."),
        template="frameworks/theme_form.html",
    )


@login_required
def add_question(request, pk, version_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    return form_page(
        request,
        partnership,
        version,
        partial(QuestionForm, version, initial=request.GET.dict()),
        questions.add_question,
        saved=_("The question has been added."),
        template="frameworks/question_form.html",
    )


@never_cache  # a download: kept in no cache (as every results page and download)
@login_required
def download(request, pk, version_pk, fmt):
    access = get_partnership_for_user(request.user, pk)
    version = get_framework_version_for_user(access, version_pk)
    document = documents.export_version(version)
    filename = f"{version.framework.slug}-v{version.number}.{fmt}"
    if fmt == "json":
        response = HttpResponse(to_json(document), content_type="application/json")
    else:
        response = HttpResponse(to_yaml(document), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record_export(
        request.user, version, export="framework", fmt=fmt, partnership_id=access.partnership.pk
    )
    return response


@login_required
def upload(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["document"]
        try:
            version = versions.import_framework(
                upload_file.read(), partnership, actor=request.user, filename=upload_file.name
            )
        except DocumentError as exc:
            for error in exc.errors:
                form.add_error("document", error)
        else:
            messages.success(request, _("The framework was uploaded as a draft."))
            return _redirect_to_version(partnership, version)
    return render(request, "frameworks/upload.html", {"partnership": partnership, "form": form})
