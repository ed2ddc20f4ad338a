"""Themes of a draft: add one at the end, change it, or remove it with its questions
(``drafts.move`` moves one)."""

from __future__ import annotations

from django.db import transaction

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import FrameworkVersion, Theme
from partnerlens.frameworks.schema import Problem, slugify_key
from partnerlens.frameworks.services.documents import next_after, save_changed
from partnerlens.frameworks.services.versions import ensure_draft, partnership_id


def _checked(title_en: str, weight: float) -> list[Problem]:
    """What is wrong with a theme's English title and weight (both are needed to save one)."""
    problems = []
    if not title_en.strip():
        problems.append(Problem("title_en", "change.theme_title"))
    if weight < 0:
        problems.append(Problem("weight", "change.weight"))
    return problems


@transaction.atomic
def add_theme(
    version: FrameworkVersion,
    *,
    title_en: str,
    title_cy: str = "",
    description_en: str = "",
    description_cy: str = "",
    dimension: str = "",
    weight: float = 1.0,
    target_level: float | None = None,
    key: str | None = None,
    actor=None,
) -> Theme:
    """A new theme at the end of a draft (the partnership's own theme)."""
    ensure_draft(version)
    taken = set(version.themes.values_list("key", flat=True))
    key = key or slugify_key(title_en, taken)
    problems = _checked(title_en, weight)
    if key in taken:
        problems.insert(0, Problem("key", "change.theme_key_taken", {"key": key}))
    if problems:
        raise FrameworkChangeError(problems)
    order = next_after(version.themes, "order")
    theme = Theme.objects.create(
        version=version,
        key=key,
        order=order,
        dimension=dimension,
        title_en=title_en.strip(),
        title_cy=title_cy.strip(),
        description_en=description_en,
        description_cy=description_cy,
        weight=weight,
        target_level=target_level,
    )
    record(
        actor, verbs.FRAMEWORK_THEME_ADDED, theme, partnership_id=partnership_id(version), key=key
    )
    return theme


@transaction.atomic
def remove_theme(theme: Theme, *, actor=None) -> None:
    ensure_draft(theme.version)
    record(
        actor,
        verbs.FRAMEWORK_THEME_REMOVED,
        theme,
        partnership_id=partnership_id(theme.version),
        key=theme.key,
    )
    theme.delete()


@transaction.atomic
def update_theme(
    theme: Theme,
    *,
    title_en: str,
    title_cy: str = "",
    description_en: str = "",
    description_cy: str = "",
    weight: float = 1.0,
    target_level: float | None = None,
    actor=None,
) -> Theme:
    """Change a draft theme's texts (both languages), weight and target level."""
    ensure_draft(theme.version)
    problems = _checked(title_en, weight)
    if problems:
        raise FrameworkChangeError(problems)
    values = {
        "title_en": title_en.strip(),
        "title_cy": title_cy.strip(),
        "description_en": description_en.strip(),
        "description_cy": description_cy.strip(),
        "weight": weight,
        "target_level": target_level,
    }
    changed = save_changed(theme, values)
    if changed:
        record(
            actor,
            verbs.FRAMEWORK_THEME_UPDATED,
            theme,
            partnership_id=partnership_id(theme.version),
            key=theme.key,
            changed=changed,
        )
    return theme
