"""Everything that changes frameworks: import, export, publish, draft, flex and edit.

Each function owns its transaction and writes an audit entry. Content may only change on a
draft; a published version is frozen (the models guard that too), so a cycle run on it
keeps the exact wording and scales it was answered with.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from partnerlens.audit.services import record
from partnerlens.directory.models import Partnership, Role
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    FrozenVersionError,
    Option,
    Question,
    ReflectionPrompt,
    Theme,
    VersionStatus,
)
from partnerlens.frameworks.schema import (
    STANDARD_OPTIONS,
    DocumentError,
    FrameworkDoc,
    OptionalText,
    OptionDoc,
    QuestionDoc,
    ReflectionPromptDoc,
    Text,
    ThemeDoc,
    check_question,
    dump_document,
    format_errors,
    parse_text,
    slugify_key,
    validate_document,
)

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
ROLE_CODES = tuple(Role.values)


class FrameworkChangeError(ValueError):
    """A change that breaks a rule; ``errors`` name the fields at fault."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("; ".join(self.errors))


def _ensure_draft(version: FrameworkVersion) -> None:
    version.refresh_from_db(fields=["status"])
    if not version.is_draft:
        raise FrozenVersionError(
            f"{version} is published; start a new draft to change the framework"
        )


def _partnership_id(version_or_framework) -> int | None:
    framework = getattr(version_or_framework, "framework", version_or_framework)
    return framework.owner_id


# --- import / export ------------------------------------------------------------------


def _bi(obj, field: str) -> dict[str, str]:
    return {"en": getattr(obj, f"{field}_en"), "cy": getattr(obj, f"{field}_cy")}


def version_document(version: FrameworkVersion) -> FrameworkDoc:
    """The version as a validated document model (two queries per level, no N+1)."""
    framework = version.framework
    themes = version.themes.prefetch_related("questions__options").order_by("order", "id")
    return FrameworkDoc(
        schema_version=1,
        slug=framework.slug,
        name=Text(**_bi(framework, "name")),
        summary=OptionalText(**_bi(framework, "summary")),
        themes=[
            ThemeDoc(
                key=theme.key,
                dimension=theme.dimension,
                title=Text(**_bi(theme, "title")),
                description=OptionalText(**_bi(theme, "description")),
                weight=theme.weight,
                target_level=theme.target_level,
                questions=[
                    QuestionDoc(
                        key=q.key,
                        kind=q.kind,
                        text=Text(**_bi(q, "text")),
                        help=OptionalText(**_bi(q, "help")),
                        roles=list(q.roles),
                        required=q.required,
                        evidence_required=q.evidence_required,
                        allow_dont_know=q.allow_dont_know,
                        weight=q.weight,
                        config=dict(q.config),
                        options=[
                            OptionDoc(
                                value=o.value,
                                label=Text(**_bi(o, "label")),
                                descriptor=OptionalText(**_bi(o, "descriptor")),
                                score=o.score,
                            )
                            for o in q.options.all()
                        ],
                    )
                    for q in theme.questions.all()
                ],
            )
            for theme in themes
        ],
        reflection_prompts=[
            ReflectionPromptDoc(key=p.key, text=Text(**_bi(p, "text")), roles=list(p.roles))
            for p in version.reflection_prompts.all()
        ],
    )


def export_version(version: FrameworkVersion) -> dict[str, Any]:
    """The version as a framework document (the same format ``import_framework`` reads)."""
    return dump_document(version_document(version))


def _option_rows(question: Question, options: Iterable[OptionDoc]) -> list[Option]:
    return [
        Option(
            question=question,
            order=o,
            value=opt.value,
            label_en=opt.label.en,
            label_cy=opt.label.cy,
            descriptor_en=opt.descriptor.en,
            descriptor_cy=opt.descriptor.cy,
            score=opt.score,
        )
        for o, opt in enumerate(options)
    ]


def _question_row(theme: Theme, order: int, q: QuestionDoc) -> Question:
    return Question(
        theme=theme,
        key=q.key,
        order=order,
        kind=q.kind,
        text_en=q.text.en,
        text_cy=q.text.cy,
        help_en=q.help.en,
        help_cy=q.help.cy,
        roles=list(q.roles),
        required=q.required,
        evidence_required=q.evidence_required,
        allow_dont_know=q.allow_dont_know,
        weight=q.weight,
        config=dict(q.config),
    )


def _write_content(version: FrameworkVersion, doc: FrameworkDoc) -> None:
    """Create themes, questions, options and prompts in bulk (a handful of queries)."""
    themes = Theme.objects.bulk_create(
        [
            Theme(
                version=version,
                key=t.key,
                order=i,
                dimension=t.dimension,
                title_en=t.title.en,
                title_cy=t.title.cy,
                description_en=t.description.en,
                description_cy=t.description.cy,
                weight=t.weight,
                target_level=t.target_level,
            )
            for i, t in enumerate(doc.themes)
        ]
    )
    pairs = [
        (_question_row(theme, i, q), q)
        for theme, t in zip(themes, doc.themes, strict=True)
        for i, q in enumerate(t.questions)
    ]
    questions = Question.objects.bulk_create([row for row, _ in pairs])
    Option.objects.bulk_create(
        [
            option
            for question, (_, q) in zip(questions, pairs, strict=True)
            for option in _option_rows(question, q.options)
        ]
    )
    ReflectionPrompt.objects.bulk_create(
        [
            ReflectionPrompt(
                version=version,
                key=p.key,
                order=i,
                text_en=p.text.en,
                text_cy=p.text.cy,
                roles=list(p.roles),
            )
            for i, p in enumerate(doc.reflection_prompts)
        ]
    )


def _next_after(queryset, field: str) -> int:
    """One more than the largest ``field`` in ``queryset`` (1 when it is empty)."""
    return (queryset.aggregate(n=Max(field))["n"] or 0) + 1


def _next_number(framework: Framework) -> int:
    return _next_after(framework.versions, "number")


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
        framework = Framework.objects.create(owner=owner, slug=doc.slug, **_framework_texts(doc))
    latest = framework.versions.order_by("-number").first()
    if latest is not None and export_version(latest) == canonical:
        if publish and latest.is_draft:
            return publish_version(latest, actor=actor)
        return latest

    _update_framework_texts(framework, doc)
    version = framework.draft()
    if version is not None:
        # A draft is work in progress: the newest upload replaces its content.
        for theme in version.themes.all():
            theme.delete()
        version.reflection_prompts.all().delete()
    else:
        version = FrameworkVersion.objects.create(
            framework=framework, number=_next_number(framework)
        )
    _write_content(version, doc)
    record(
        actor, "framework.imported", version, partnership_id=framework.owner_id,
        slug=framework.slug, number=version.number,
    )  # fmt: skip
    if publish:
        return publish_version(version, actor=actor)
    return version


def _framework_texts(doc: FrameworkDoc) -> dict[str, str]:
    return {
        "name_en": doc.name.en, "name_cy": doc.name.cy,
        "summary_en": doc.summary.en, "summary_cy": doc.summary.cy,
    }  # fmt: skip


def _update_framework_texts(framework: Framework, doc: FrameworkDoc) -> None:
    texts = _framework_texts(doc)
    changed = [name for name, value in texts.items() if getattr(framework, name) != value]
    for name in changed:
        setattr(framework, name, texts[name])
    if changed:
        framework.save(update_fields=changed)


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
            raise DocumentError([f"{path.name}: {line}" for line in exc.errors]) from None
        after = FrameworkVersion.objects.filter(framework__owner__isnull=True).count()
        results.append((version, after > before))
    return results


# --- lifecycle ------------------------------------------------------------------------


@transaction.atomic
def publish_version(version: FrameworkVersion, *, actor=None) -> FrameworkVersion:
    """Freeze a draft. From now on its themes, questions and options never change."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    empty = [t.title_en for t in version.themes.all() if not t.questions.exists()]
    if not version.themes.exists():
        raise FrameworkChangeError("A version needs at least one theme before it is published")
    if empty:
        raise FrameworkChangeError([f"The theme {title!r} has no questions yet" for title in empty])
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    record(
        actor, "framework.published", version, partnership_id=_partnership_id(version),
        number=version.number,
    )  # fmt: skip
    return version


@transaction.atomic
def start_draft(framework: Framework, *, actor=None) -> FrameworkVersion:
    """A new draft copied from the latest published version; an open draft is reused."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    existing = framework.draft()
    if existing is not None:
        return existing
    source = framework.latest_published()
    draft = FrameworkVersion.objects.create(framework=framework, number=_next_number(framework))
    if source is not None:
        _write_content(draft, version_document(source))
    record(
        actor, "framework.draft_started", draft, partnership_id=framework.owner_id,
        number=draft.number, copied_from=source.number if source else None,
    )  # fmt: skip
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
        raise FrameworkChangeError("Only a published version can be flexed")
    if version.framework.owner_id not in (None, partnership.pk):
        raise FrameworkChangeError("This framework belongs to another partnership")
    targets, weights = targets or {}, weights or {}
    picked = list(dict.fromkeys(theme_keys))
    doc = version_document(version)
    by_key = {t.key: t for t in doc.themes}
    errors = [f"themes: {key!r} is not a theme of this framework" for key in picked
              if key not in by_key]  # fmt: skip
    if not picked:
        errors.append("themes: choose at least one theme")
    for key in set(targets) | set(weights):
        if key not in picked:
            errors.append(f"{key}: a target or weight was set for a theme that was not chosen")
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
        raise FrameworkChangeError(exc.errors) from None
    if Framework.objects.filter(owner=partnership, slug=new_doc.slug).exists():
        raise FrameworkChangeError(f"slug: {new_doc.slug!r} is already used by your frameworks")
    framework = Framework.objects.create(
        owner=partnership, slug=new_doc.slug, based_on=version, **_framework_texts(new_doc)
    )
    draft = FrameworkVersion.objects.create(framework=framework, number=1)
    _write_content(draft, new_doc)
    record(
        actor, "framework.flexed", draft, partnership_id=partnership.pk,
        based_on=version.pk, themes=picked, targets=targets, weights=weights,
    )  # fmt: skip
    return draft


# --- editing drafts -------------------------------------------------------------------


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
    _ensure_draft(version)
    taken = set(version.themes.values_list("key", flat=True))
    key = key or slugify_key(title_en, taken)
    if key in taken:
        raise FrameworkChangeError(f"key: {key!r} is already a theme of this version")
    if not title_en.strip():
        raise FrameworkChangeError("title_en: a theme needs an English title")
    if weight < 0:
        raise FrameworkChangeError("weight: must be zero or more")
    order = _next_after(version.themes, "order")
    theme = Theme.objects.create(
        version=version, key=key, order=order, dimension=dimension,
        title_en=title_en.strip(), title_cy=title_cy.strip(),
        description_en=description_en, description_cy=description_cy,
        weight=weight, target_level=target_level,
    )  # fmt: skip
    record(actor, "framework.theme_added", theme, partnership_id=_partnership_id(version),
           key=key)  # fmt: skip
    return theme


def _question_doc(fields: dict[str, Any], options: list[dict[str, Any]]) -> QuestionDoc:
    try:
        return QuestionDoc.model_validate({**fields, "options": options})
    except ValidationError as exc:
        raise FrameworkChangeError(format_errors(exc)) from None


def _checked_question(theme: Theme, fields: dict[str, Any], options, *, exclude_pk=None):
    doc = _question_doc(fields, options or [])
    errors = check_question(doc, "question", ROLE_CODES)
    keys = Question.objects.filter(theme__version_id=theme.version_id, key=doc.key)
    if exclude_pk is not None:
        keys = keys.exclude(pk=exclude_pk)
    if keys.exists():
        errors.append(f"question.key: {doc.key!r} is already used in this version")
    if errors:
        raise FrameworkChangeError(errors)
    if doc.kind in STANDARD_OPTIONS:
        doc.options = [OptionDoc(**o) for o in STANDARD_OPTIONS[doc.kind]]
    return doc


@transaction.atomic
def add_question(
    theme: Theme,
    *,
    kind: str,
    text_en: str,
    text_cy: str = "",
    help_en: str = "",
    help_cy: str = "",
    roles: Iterable[str] = (),
    required: bool = False,
    evidence_required: bool = False,
    allow_dont_know: bool = True,
    weight: float = 1.0,
    config: dict[str, Any] | None = None,
    options: list[dict[str, Any]] | None = None,
    key: str | None = None,
    actor=None,
) -> Question:
    """A question at the end of a theme in a draft. ``options`` use the document format
    (``{"value", "label": {"en", "cy"}, "descriptor": {...}, "score"}``); agreement and
    relationship questions get their standard scale."""
    _ensure_draft(theme.version)
    taken = Question.objects.filter(theme__version_id=theme.version_id).values_list(
        "key", flat=True
    )
    fields = {
        "key": key or slugify_key(text_en[:40], taken),
        "kind": kind,
        "text": {"en": text_en, "cy": text_cy},
        "help": {"en": help_en, "cy": help_cy},
        "roles": list(roles),
        "required": required,
        "evidence_required": evidence_required,
        "allow_dont_know": allow_dont_know,
        "weight": weight,
        "config": config or {},
    }
    doc = _checked_question(theme, fields, options)
    order = _next_after(theme.questions, "order")
    question = _question_row(theme, order, doc)
    question.save()
    Option.objects.bulk_create(_option_rows(question, doc.options))
    record(actor, "framework.question_added", question, partnership_id=_partnership_id(
        theme.version), key=question.key)  # fmt: skip
    return question


@transaction.atomic
def update_question(
    question: Question, *, options: list[dict[str, Any]] | None = None, actor=None, **changes
) -> Question:
    """Change a draft's question. ``changes`` use model field names (``text_cy=...``);
    ``options``, if given, replaces the options (document format)."""
    theme = question.theme
    _ensure_draft(theme.version)
    allowed = {
        "kind", "text_en", "text_cy", "help_en", "help_cy", "roles", "required",
        "evidence_required", "allow_dont_know", "weight", "config", "key",
    }  # fmt: skip
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise FrameworkChangeError([f"{name}: cannot be changed here" for name in unknown])
    current = {name: getattr(question, name) for name in allowed}
    merged = {**current, **changes}
    if options is None:
        options = [
            {"value": o.value, "label": _bi(o, "label"), "descriptor": _bi(o, "descriptor"),
             "score": o.score}
            for o in question.options.all()
        ]  # fmt: skip
        if merged["kind"] in STANDARD_OPTIONS:
            options = []
    fields = {
        "key": merged["key"],
        "kind": merged["kind"],
        "text": {"en": merged["text_en"], "cy": merged["text_cy"]},
        "help": {"en": merged["help_en"], "cy": merged["help_cy"]},
        **{name: merged[name] for name in (
            "roles", "required", "evidence_required", "allow_dont_know", "weight", "config")},
    }  # fmt: skip
    doc = _checked_question(theme, fields, options, exclude_pk=question.pk)
    row = _question_row(theme, question.order, doc)
    row.pk = question.pk
    row.save()
    question.options.all().delete()
    Option.objects.bulk_create(_option_rows(row, doc.options))
    record(actor, "framework.question_updated", row, partnership_id=_partnership_id(
        theme.version), changed=sorted(changes) + (["options"] if options else []))  # fmt: skip
    return row


@transaction.atomic
def remove_question(question: Question, *, actor=None) -> None:
    version = question.theme.version
    _ensure_draft(version)
    record(actor, "framework.question_removed", question, partnership_id=_partnership_id(
        version), key=question.key)  # fmt: skip
    question.delete()


@transaction.atomic
def remove_theme(theme: Theme, *, actor=None) -> None:
    _ensure_draft(theme.version)
    record(actor, "framework.theme_removed", theme, partnership_id=_partnership_id(
        theme.version), key=theme.key)  # fmt: skip
    theme.delete()
