"""Editor pages for a draft's questions and their options: change, move up or down, and
remove (after confirming); add, change and remove an option or rubric level. A published
version is never changed: each page explains why and offers a new draft."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerlens.frameworks.edit_forms import OptionForm, QuestionEditForm
from partnerlens.frameworks.editing import (
    form_page,
    initial_of,
    move_page,
    option_of,
    question_of,
    removal_page,
    version_to_change,
)
from partnerlens.frameworks.services import options, questions

OPTION_FIELDS = ("label_en", "label_cy", "descriptor_en", "descriptor_cy", "score")


@login_required
def edit_question(request, pk, version_pk, question_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    question = question_of(version, question_pk)
    return form_page(
        request,
        partnership,
        version,
        partial(QuestionEditForm, question),
        partial(questions.update_question, question),
        saved=_("The question has been saved."),
        anchor=f"question-{question.key}",
        template="frameworks/edit/question_form.html",
        question=question,
    )


@login_required
@require_POST
def move_question(request, pk, version_pk, question_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    question = question_of(version, question_pk)
    return move_page(request, partnership, version, question, f"question-{question.key}")


@login_required
def remove_question(request, pk, version_pk, question_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    question = question_of(version, question_pk)
    return removal_page(
        request,
        partnership,
        version,
        partial(questions.remove_question, question),
        removed=_("The question has been removed."),
        anchor=f"theme-{question.theme.key}",
        title=_("Remove this question?"),
        quote=(question, "text"),
        lines=[_("Its options and settings will be removed with it.")],
        button=_("Yes, remove this question"),
    )


def _option_page(request, partnership, version, question, option=None):
    """Add an option to ``question``, or change ``option``: one form, one service."""
    initial = initial_of(option, OPTION_FIELDS) if option else None
    return form_page(
        request,
        partnership,
        version,
        partial(OptionForm, question, initial=initial),
        partial(options.save_option, question, option),
        saved=_("The option has been saved.") if option else _("The option has been added."),
        anchor=f"question-{question.key}",
        template="frameworks/edit/option_form.html",
        question=question,
        option=option,
    )


@login_required
def add_option(request, pk, version_pk, question_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    return _option_page(request, partnership, version, question_of(version, question_pk))


@login_required
def edit_option(request, pk, version_pk, option_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    option = option_of(version, option_pk)
    return _option_page(request, partnership, version, option.question, option)


@login_required
def remove_option(request, pk, version_pk, option_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    option = option_of(version, option_pk)
    return removal_page(
        request,
        partnership,
        version,
        partial(options.remove_option, option),
        removed=_("The option has been removed."),
        anchor=f"question-{option.question.key}",
        title=_("Remove this option?"),
        quote=(option, "label"),
        lines=[],
        button=_("Yes, remove this option"),
    )
