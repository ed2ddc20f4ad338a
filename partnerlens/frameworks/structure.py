"""A published framework version's structure, read once and then served from the cache.

Every respondent page needs the version's themes, questions and options (about 240 objects
for a 40-question framework); reading them was 40% of a page's time. A published version
never changes (``FrozenContent`` refuses every save and delete), so its structure is kept
as an immutable snapshot in Django's cache, shared by every process that shares ``CACHES``,
and in a small memo inside each process, so most pages neither query nor unpickle it.

The key holds the version's id and its publication stamp: a version taken back to draft and
published again is a new snapshot. Drafts are never cached (their bulk edits bypass model
signals); saving or deleting the version row also drops its snapshot, as a safety net for
changes made outside the services.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

from partnerlens.frameworks.models import FrameworkVersion, Option, Question, Theme

# Bump when the snapshot's shape or the frameworks models change (a migration), so processes
# running other code never unpickle each other's snapshots.
SHAPE = 1
TIMEOUT = 24 * 60 * 60
MEMO_SIZE = 32

Structure = tuple[tuple[Theme, tuple[Question, ...]], ...]

_memo: dict[str, Structure] = {}


def cache_key(version: FrameworkVersion) -> str | None:
    """The snapshot's key, or None for a version that is not published (never cached)."""
    if not version.is_published or version.published_at is None:
        return None
    return f"framework-structure:{SHAPE}:{version.pk}:{version.published_at.timestamp():.6f}"


def read_structure(version: FrameworkVersion) -> Structure:
    """Every theme of the version in order with all its questions (for every role) in
    order, each question's options prefetched, from the database."""
    themes = Theme.objects.filter(version=version).prefetch_related(
        Prefetch(
            "questions",
            queryset=Question.objects.prefetch_related(
                Prefetch("options", queryset=Option.objects.order_by("order", "id"))
            ),
        )
    )
    return tuple((theme, tuple(theme.questions.all())) for theme in themes)


def structure(version: FrameworkVersion) -> Structure:
    """The version's structure: from this process's memo, else the shared cache, else the
    database (and then stored in both). The objects are shared: read them, never change them."""
    key = cache_key(version)
    if key is None:
        return read_structure(version)
    found = _memo.get(key)
    if found is not None:
        return found
    found = cache.get(key)
    if found is None:
        found = read_structure(version)
        cache.set(key, found, TIMEOUT)
    if len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[key] = found
    return found


def forget(version: FrameworkVersion) -> None:
    """Drop every snapshot of a version, in this process and (its current one) in the cache."""
    prefix = f"framework-structure:{SHAPE}:{version.pk}:"
    for key in [k for k in _memo if k.startswith(prefix)]:
        _memo.pop(key, None)
    if (key := cache_key(version)) is not None:
        cache.delete(key)


def _version_changed(sender, instance: FrameworkVersion, **kwargs) -> None:
    forget(instance)


# Only the version itself: its content cannot change while it is published, and receivers on
# themes, questions and options would cost a query per saved object and stop Django's fast
# cascade deletes of drafts.
post_save.connect(_version_changed, sender=FrameworkVersion, dispatch_uid="structure-save")
post_delete.connect(_version_changed, sender=FrameworkVersion, dispatch_uid="structure-delete")
