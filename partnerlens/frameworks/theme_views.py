"""Editor pages for a draft's themes: change, move up or down, remove (after confirming).
A published version is never changed: each page explains why and offers a new draft."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerlens.frameworks.edit_forms import ThemeEditForm
from partnerlens.frameworks.editing import (
    form_page,
    initial_of,
    move_page,
    removal_page,
    theme_of,
    version_to_change,
)
from partnerlens.frameworks.services import themes

THEME_FIELDS = ("title_en", "title_cy", "description_en", "description_cy", "weight")


@login_required
def edit_theme(request, pk, version_pk, theme_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    theme = theme_of(version, theme_pk)
    return form_page(
        request,
        partnership,
        version,
        partial(ThemeEditForm, theme, initial=initial_of(theme, THEME_FIELDS)),
        partial(themes.update_theme, theme),
        saved=_("The theme has been saved."),
        anchor=f"theme-{theme.key}",
        template="frameworks/edit/theme_form.html",
        theme=theme,
    )


@login_required
@require_POST
def move_theme(request, pk, version_pk, theme_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    theme = theme_of(version, theme_pk)
    return move_page(request, partnership, version, theme, f"theme-{theme.key}")


@login_required
def remove_theme(request, pk, version_pk, theme_pk):
    partnership, version = version_to_change(request, pk, version_pk)
    theme = theme_of(version, theme_pk)
    count = theme.questions.count()
    return removal_page(
        request,
        partnership,
        version,
        partial(themes.remove_theme, theme),
        removed=_("The theme has been removed."),
        title=_("Remove this theme?"),
        quote=(theme, "title"),
        lines=[
            _("Its %(n)s questions will be removed with it.") % {"n": count}
            if count
            else _("It has no questions.")
        ],
        button=_("Yes, remove this theme"),
    )
