"""Framework versions: import a document, load the built-ins, publish, start a draft and
flex a published version into a partnership's own. Each owns its transaction and writes an
audit entry. A published version is frozen (the models guard that too), so a cycle run on it
keeps the exact wording and scales it was answered with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership
from partnerlens.frameworks.errors import FrameworkChangeError, PublishedVersionError
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    VersionStatus,
)
from partnerlens.frameworks.schema import (
    STANDARD_OPTIONS,
    DocumentError,
    Problem,
    dump_document,
    parse_text,
    slugify_key,
    validate_document,
)
from partnerlens.frameworks.services.documents import (
    ROLE_CODES,
    export_version,
    framework_texts,
    next_number,
    update_framework_texts,
    version_document,
    write_content,
)

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin"


def ensure_draft(version: FrameworkVersion) -> None:
    """Raise ``PublishedVersionError`` unless ``version`` is (still) a draft."""
    version.refresh_from_db(fields=["status"])
    if not version.is_draft:
        raise PublishedVersionError(version.number)


def partnership_id(version_or_framework) -> int | None:
    framework = getattr(version_or_framework, "framework", version_or_framework)
    return framework.owner_id


@transaction.atomic
def import_framework(
    document: dict[str, Any] | str | bytes,
    owner: Partnership | None = None,
    *,
    actor=None,
    publish: bool = False,
    filename: str = "",
) -> FrameworkVersion:
    """Store a framework document as a version of the framework with its slug.

    Built-in documents (``owner=None``) must be complete in Welsh; a partnership's own may
    leave Welsh out. If the content equals the latest version nothing new is made and that
    version is returned. Otherwise the document replaces the open draft, or becomes a new
    version — published at once when ``publish`` is true. Raises ``DocumentError``.
    """
    data = parse_text(document, filename) if isinstance(document, str | bytes) else document
    doc, _warnings = validate_document(data, roles=ROLE_CODES, require_welsh=owner is None)
    canonical = dump_document(doc)

    framework = Framework.objects.select_for_update().filter(owner=owner, slug=doc.slug).first()
    if framework is None:
        framework = Framework.objects.create(owner=owner, slug=doc.slug, **framework_texts(doc))
    latest = framework.versions.order_by("-number").first()
    if latest is not None and export_version(latest) == canonical:
        if publish and latest.is_draft:
            return publish_version(latest, actor=actor)
        return latest

    update_framework_texts(framework, doc)
    version = framework.draft()
    if version is not None:
        # A draft is work in progress: the newest upload replaces its content.
        for theme in version.themes.all():
            theme.delete()
        version.reflection_prompts.all().delete()
    else:
        version = FrameworkVersion.objects.create(
            framework=framework, number=next_number(framework)
        )
    write_content(version, doc)
    record(
        actor,
        verbs.FRAMEWORK_IMPORTED,
        version,
        partnership_id=framework.owner_id,
        slug=framework.slug,
        number=version.number,
    )
    if publish:
        return publish_version(version, actor=actor)
    return version


def builtin_paths() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


def load_builtin_frameworks(*, actor=None) -> list[tuple[FrameworkVersion, bool]]:
    """Load every built-in file; (version, created) each — loading twice creates nothing."""
    results = []
    for path in builtin_paths():
        before = FrameworkVersion.objects.filter(framework__owner__isnull=True).count()
        try:
            version = import_framework(
                path.read_text(encoding="utf-8"), actor=actor, publish=True, filename=path.name
            )
        except DocumentError as exc:
            named = [replace(p, path=f"{path.name}: {p.path}") for p in exc.problems]
            raise DocumentError(named) from None
        after = FrameworkVersion.objects.filter(framework__owner__isnull=True).count()
        results.append((version, after > before))
    return results


# --- lifecycle ------------------------------------------------------------------------


def publish_problems(version: FrameworkVersion) -> list[Problem]:
    """What stops a draft being published: no theme at all, or themes with no question.

    Each empty theme's problem carries its ``key`` (and title in the active language), so a
    page can link to the theme, where the lead adds a question or removes the theme.
    """
    themes = list(version.themes.annotate(n=Count("questions")).order_by("order", "id"))
    if not themes:
        return [Problem("", "change.no_themes")]
    return [
        Problem("", "change.empty_theme", {"title": t.title, "key": t.key})
        for t in themes
        if not t.n
    ]


@transaction.atomic
def publish_version(version: FrameworkVersion, *, actor=None) -> FrameworkVersion:
    """Freeze a draft. From now on its themes, questions and options never change."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    problems = publish_problems(version)
    if problems:
        raise FrameworkChangeError(problems)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record(
        actor,
        verbs.FRAMEWORK_PUBLISHED,
        version,
        partnership_id=partnership_id(version),
        number=version.number,
    )
    return version


@transaction.atomic
def start_draft(framework: Framework, *, actor=None) -> FrameworkVersion:
    """A new draft copied from the latest published version; an open draft is reused."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    existing = framework.draft()
    if existing is not None:
        return existing
    source = framework.latest_published()
    draft = FrameworkVersion.objects.create(framework=framework, number=next_number(framework))
    if source is not None:
        write_content(draft, version_document(source))
    record(
        actor,
        verbs.FRAMEWORK_DRAFT_STARTED,
        draft,
        partnership_id=framework.owner_id,
        number=draft.number,
        copied_from=source.number if source else None,
    )
    return draft


@transaction.atomic
def flex_framework(
    partnership: Partnership,
    version: FrameworkVersion,
    *,
    theme_keys: Iterable[str],
    targets: dict[str, float | None] | None = None,
    weights: dict[str, float] | None = None,
    actor=None,
    slug: str | None = None,
    name_en: str | None = None,
    name_cy: str | None = None,
) -> FrameworkVersion:
    """The partnership's own framework (a draft) built from chosen themes of ``version``.

    Picked themes keep their questions and level descriptors; ``targets`` sets the
    partnership's goal per theme (on that theme's scale) and ``weights`` its importance.
    Reflection prompts come along. The new framework records ``based_on=version``.
    """
    if not version.is_published:
        raise FrameworkChangeError(Problem("", "change.flex_unpublished"))
    if version.framework.owner_id not in (None, partnership.pk):
        raise FrameworkChangeError(Problem("", "change.other_partnership"))
    targets, weights = targets or {}, weights or {}
    picked = list(dict.fromkeys(theme_keys))
    doc = version_document(version)
    by_key = {t.key: t for t in doc.themes}
    errors = [
        Problem("themes", "change.not_a_theme", {"key": key}) for key in picked if key not in by_key
    ]
    if not picked:
        errors.append(Problem("themes", "change.choose_theme"))
    for key in set(targets) | set(weights):
        if key not in picked:
            errors.append(Problem(key, "change.target_unchosen"))
    if errors:
        raise FrameworkChangeError(errors)
    themes = []
    for key in picked:
        theme = by_key[key].model_copy(deep=True)
        if key in targets:
            theme.target_level = targets[key]
        if key in weights:
            theme.weight = weights[key]
        themes.append(theme)
    base = version.framework
    taken = Framework.objects.filter(owner=partnership).values_list("slug", flat=True)
    data = {
        **doc.model_dump(mode="json"),
        "slug": slug or slugify_key(base.slug, taken),
        "name": {"en": name_en or base.name_en, "cy": name_cy or base.name_cy},
        "themes": [t.model_dump(mode="json") for t in themes],
    }
    for theme in data["themes"]:
        for question in theme["questions"]:
            if question["kind"] in STANDARD_OPTIONS:
                question["options"] = []
    try:
        new_doc, _ = validate_document(data, roles=ROLE_CODES, require_welsh=False)
    except DocumentError as exc:
        raise FrameworkChangeError(exc.problems) from None
    if Framework.objects.filter(owner=partnership, slug=new_doc.slug).exists():
        raise FrameworkChangeError(Problem("slug", "change.slug_taken", {"slug": new_doc.slug}))
    framework = Framework.objects.create(
        owner=partnership, slug=new_doc.slug, based_on=version, **framework_texts(new_doc)
    )
    draft = FrameworkVersion.objects.create(framework=framework, number=1)
    write_content(draft, new_doc)
    record(
        actor,
        verbs.FRAMEWORK_FLEXED,
        draft,
        partnership_id=partnership.pk,
        based_on=version.pk,
        themes=picked,
        targets=targets,
        weights=weights,
    )
    return draft
