"""Work on a draft as a whole: its framework's name and summary, moving a theme or a
question up or down, and discarding the draft. Each write owns its transaction and writes an
audit entry; a published version refuses with ``PublishedVersionError``."""

from __future__ import annotations

from django.db import transaction

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import Framework, FrameworkVersion, Question, Theme
from partnerlens.frameworks.schema import Problem
from partnerlens.frameworks.services.documents import save_changed
from partnerlens.frameworks.services.versions import ensure_draft, partnership_id

UP, DOWN = "up", "down"


@transaction.atomic
def move(item: Theme | Question, direction: str, *, actor=None) -> bool:
    """Move a draft theme (among its version's themes) or question (within its theme) one
    place up or down; False when it is already at that end."""
    if isinstance(item, Theme):
        version, siblings, verb = item.version, item.version.themes, verbs.FRAMEWORK_THEME_MOVED
    else:
        version, siblings = item.theme.version, item.theme.questions
        verb = verbs.FRAMEWORK_QUESTION_MOVED
    ensure_draft(version)
    moved = _swap(siblings.order_by("order", "id"), item, direction)
    if moved:
        record(
            actor,
            verb,
            item,
            partnership_id=partnership_id(version),
            key=item.key,
            direction=direction,
        )
    return moved


def _swap(siblings, item, direction: str) -> bool:
    """Swap ``item`` with its neighbour among ``siblings`` (a queryset in page order) and
    number them all 0, 1, 2… so equal or missing orders cannot stick. False at either end."""
    if direction not in (UP, DOWN):
        raise FrameworkChangeError(Problem("direction", "change.direction"))
    rows = list(siblings)
    index = next(i for i, row in enumerate(rows) if row.pk == item.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    changed = []
    for order, row in enumerate(rows):
        if row.order != order:
            row.order = order
            changed.append(row)
    # A bulk update skips the frozen-content guard; ensure_draft has been called first.
    type(item).objects.bulk_update(changed, ["order"])
    return True


@transaction.atomic
def update_details(
    version: FrameworkVersion,
    *,
    name_en: str,
    name_cy: str = "",
    summary_en: str = "",
    summary_cy: str = "",
    actor=None,
) -> Framework:
    """The framework's name and summary, in both languages, changed from its draft.

    Earlier published versions show the framework's current name too (the name belongs to
    the framework, not to a version), so only a draft may change it.
    """
    ensure_draft(version)
    if not name_en.strip():
        raise FrameworkChangeError(Problem("name_en", "change.name_missing"))
    framework = Framework.objects.select_for_update().get(pk=version.framework_id)
    texts = {
        "name_en": name_en.strip(),
        "name_cy": name_cy.strip(),
        "summary_en": summary_en.strip(),
        "summary_cy": summary_cy.strip(),
    }
    changed = save_changed(framework, texts)
    if changed:
        record(
            actor,
            verbs.FRAMEWORK_DETAILS_UPDATED,
            framework,
            partnership_id=framework.owner_id,
            changed=changed,
        )
    return framework


@transaction.atomic
def discard_draft(version: FrameworkVersion, *, actor=None) -> bool:
    """Delete a draft with everything in it. A framework that has no other version (a flex
    or an upload never published) goes too. True when the framework was removed."""
    ensure_draft(version)
    framework = Framework.objects.select_for_update().get(pk=version.framework_id)
    record(
        actor,
        verbs.FRAMEWORK_DRAFT_DISCARDED,
        version,
        partnership_id=partnership_id(framework),
        slug=framework.slug,
        number=version.number,
    )
    version.delete()
    if not framework.versions.exists():
        framework.delete()
        return True
    return False
