"""What every editor page shares: reaching a version to change, refusing a published one
with an explanation (never a 500), confirmation pages, putting a service's problems on the
form's fields so the GOV.UK error summary links each one to its field, and the three shapes
of change a draft's page makes: a form saved, an item moved, an item removed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst

from partnerlens.core.messages import render as word
from partnerlens.directory.access import get_partnership_for_user
from partnerlens.frameworks.access import get_framework_version_for_user
from partnerlens.frameworks.errors import FrameworkChangeError, PublishedVersionError
from partnerlens.frameworks.models import Option, Question, Theme
from partnerlens.frameworks.services import drafts


def version_to_change(request, pk, version_pk):
    """(partnership, version) for a user allowed to change the partnership's own framework.

    A published version is returned too: the page then explains it cannot change
    (``refuse``), rather than failing."""
    access = get_partnership_for_user(request.user, pk, manage=True)
    version = get_framework_version_for_user(access, version_pk, manage=True)
    return access.partnership, version


def initial_of(item, names) -> dict:
    """The current values of ``item``'s fields, to fill the form that changes them."""
    return {name: getattr(item, name) for name in names}


def theme_of(version, theme_pk) -> Theme:
    return get_object_or_404(Theme, version=version, pk=theme_pk)


def question_of(version, question_pk) -> Question:
    return get_object_or_404(
        Question.objects.select_related("theme"), theme__version=version, pk=question_pk
    )


def option_of(version, option_pk) -> Option:
    return get_object_or_404(
        Option.objects.select_related("question__theme"),
        question__theme__version=version,
        pk=option_pk,
    )


def version_url(partnership, version, anchor: str = "") -> str:
    url = reverse("frameworks:version", args=[partnership.pk, version.pk])
    return f"{url}#{anchor}" if anchor else url


def to_version(partnership, version, anchor: str = ""):
    return redirect(version_url(partnership, version, anchor))


def refuse(request, partnership, version, error: FrameworkChangeError | None = None):
    """The page shown instead of a change that cannot be made: the reason in the error
    summary, and for a published version the way on (start a new draft)."""
    error = error or PublishedVersionError(version.number)
    return render(
        request,
        "frameworks/edit/refused.html",
        {
            "partnership": partnership,
            "version": version,
            "problems": [("#main-content", message) for message in error.errors],
            "published": version.is_published,
        },
    )


def confirm(
    request, partnership, version, *, title, lines, button, problems=(), warning=True, quote=None
):
    """A confirmation page: what will happen, a button that does it, and Cancel. ``quote``
    is ``(object, field)`` of a typed text to show (in the reader's language, an English
    fallback marked ``lang="en"``), such as the question about to be removed."""
    return render(
        request,
        "frameworks/edit/confirm.html",
        {
            "partnership": partnership,
            "version": version,
            "title": title,
            "lines": lines,
            "button": button,
            "warning": warning,
            "problems": list(problems),
            "quote": quote[0] if quote else None,
            "quote_field": quote[1] if quote else "",
        },
    )


def sentence(problem) -> str:
    """A problem as a sentence, without the document path (``question.options``) that an
    upload's errors name: on an editor page the path means nothing to the reader."""
    return capfirst(word(problem.code, problem.params))


def add_problems(form, error: FrameworkChangeError) -> None:
    """Each problem on the field it names (``question.config.max`` -> ``max``,
    ``text.en`` -> ``text_en``), else at the top of the form."""
    for problem in error.problems:
        path = problem.path.removeprefix("question.")
        candidates = [path.replace(".", "_"), path.rsplit(".", 1)[-1]]
        field = next((c for c in candidates if c in form.fields), None)
        form.add_error(field, sentence(problem))


def form_page(
    request, partnership, version, make_form, save, *, saved, anchor="", template, **context
):
    """A draft's form page. A published version is refused; a valid POST goes to
    ``save(actor=..., **form.service_kwargs())``, whose problems land on the form's fields,
    and on success back to the version (at ``anchor``) with the ``saved`` message."""
    if version.is_published:
        return refuse(request, partnership, version)
    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, **form.service_kwargs())
        except FrameworkChangeError as exc:
            add_problems(form, exc)
        else:
            messages.success(request, saved)
            return to_version(partnership, version, anchor)
    context = {"partnership": partnership, "version": version, "form": form, **context}
    return render(request, template, context)


def move_page(request, partnership, version, item, anchor: str):
    """Move a theme or question one place (the POST's ``direction``), back to it on the page."""
    try:
        drafts.move(item, request.POST.get("direction", ""), actor=request.user)
    except FrameworkChangeError as exc:
        return refuse(request, partnership, version, exc)
    return to_version(partnership, version, anchor)


def removal_page(request, partnership, version, remove, *, removed, anchor="", **page):
    """A removal: GET shows the confirmation page (``page`` as for ``confirm``), POST calls
    ``remove(actor=...)``. A rule the removal breaks is shown on the confirmation page; a
    version published meanwhile gets the refusal page."""
    if version.is_published:
        return refuse(request, partnership, version)
    problems = []
    if request.method == "POST":
        try:
            remove(actor=request.user)
        except PublishedVersionError as exc:
            return refuse(request, partnership, version, exc)
        except FrameworkChangeError as exc:
            problems = [("#main-content", sentence(p)) for p in exc.problems]
        else:
            messages.success(request, removed)
            return to_version(partnership, version, anchor)
    return confirm(request, partnership, version, problems=problems, **page)
