"""Evaluation frameworks as versioned data: framework -> version -> themes -> questions.

Every text a respondent reads exists in English (``_en``) and Welsh (``_cy``); ``localised``
(``core.bilingual``, the one rule for typed texts) picks the active language and falls back
to English. Publishing freezes a version; editing
works on a new draft, so cycles keep the exact wording they were run with.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import localised
from partnerlens.directory.models import Partnership, Role


class FrozenVersionError(Exception):
    """A change was attempted to a published version, whose content never changes."""


class FrameworkQuerySet(models.QuerySet):
    def builtin(self) -> FrameworkQuerySet:
        return self.filter(owner__isnull=True)

    def available_to(self, partnership: Partnership) -> FrameworkQuerySet:
        """Built-in frameworks plus the partnership's own; never another partnership's."""
        return self.filter(Q(owner__isnull=True) | Q(owner=partnership))


class Framework(models.Model):
    """A lineage of versions; built-in ones have no owner, flexed copies belong to a partnership."""

    slug = models.SlugField(max_length=80)
    name_en = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    summary_en = models.TextField(blank=True)
    summary_cy = models.TextField(blank=True)
    owner = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )
    based_on = models.ForeignKey(
        "FrameworkVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(owner__isnull=True), name="unique_builtin_slug"
            ),
            models.UniqueConstraint(fields=["owner", "slug"], name="unique_slug_per_owner"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def summary(self) -> str:
        return localised(self, "summary")

    @property
    def is_builtin(self) -> bool:
        return self.owner_id is None

    def latest_published(self) -> FrameworkVersion | None:
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()

    def draft(self) -> FrameworkVersion | None:
        return self.versions.filter(status=VersionStatus.DRAFT).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self) -> FrameworkVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def available_to(self, partnership: Partnership) -> FrameworkVersionQuerySet:
        return self.filter(Q(framework__owner__isnull=True) | Q(framework__owner=partnership))


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["framework"],
                condition=Q(status="draft"),
                name="one_draft_per_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def delete(self, *args, **kwargs):
        # Past cycles point at published versions; losing one would lose what was asked.
        if _stored_status(self.pk) == VersionStatus.PUBLISHED:
            raise FrozenVersionError(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)

    def questions_for(self, role: str | None = None) -> list[Question]:
        """The questions a person in ``role`` is asked, in page order, options prefetched.

        ``role=None`` gives every question. Themes come first by their order, then the
        questions within each theme; ``question.theme`` is loaded without extra queries.
        """
        questions = (
            Question.objects.filter(theme__version=self)
            .select_related("theme")
            .prefetch_related("options")
            .order_by("theme__order", "theme__id", "order", "id")
        )
        return [q for q in questions if role is None or q.asks(role)]

    def themes_for(self, role: str | None = None) -> list[tuple[Theme, list[Question]]]:
        """(theme, its questions for ``role``) in order, leaving out themes with none."""
        grouped: dict[int, tuple[Theme, list[Question]]] = {}
        for question in self.questions_for(role):
            grouped.setdefault(question.theme_id, (question.theme, []))[1].append(question)
        return list(grouped.values())

    def prompts_for(self, role: str | None = None) -> list[ReflectionPrompt]:
        return [
            p
            for p in self.reflection_prompts.all()
            if role is None or not p.roles or role in p.roles
        ]


def _stored_status(version_pk: int | None) -> str | None:
    if version_pk is None:
        return None
    return FrameworkVersion.objects.filter(pk=version_pk).values_list("status", flat=True).first()


class FrozenContent(models.Model):
    """Content of a version: saving or deleting it raises once the version is published.

    The services refuse first with a clearer message; this guard catches everything else
    (admin, shell, a future view). Bulk queryset updates bypass it, so services only use
    them on drafts.
    """

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)

    def version_pk(self) -> int | None:
        raise NotImplementedError

    def _refuse_if_frozen(self) -> None:
        if _stored_status(self.version_pk()) == VersionStatus.PUBLISHED:
            raise FrozenVersionError(
                f"{type(self).__name__} belongs to a published version, which cannot change"
            )


class Theme(FrozenContent):
    """A group of questions. ``key`` is stable across versions so trends can map themes."""

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    dimension = models.CharField(
        max_length=80,
        blank=True,
        help_text="Optional grouping above themes, e.g. a maturity dimension",
    )
    title_en = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    description_en = models.TextField(blank=True)
    description_cy = models.TextField(blank=True)
    weight = models.FloatField(default=1.0)
    target_level = models.FloatField(
        null=True, blank=True, help_text="The partnership's own goal on this theme's scale"
    )

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_theme_key"),
        ]

    def __str__(self) -> str:
        return self.title_en

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def description(self) -> str:
        return localised(self, "description")

    def version_pk(self) -> int | None:
        return self.version_id


class QuestionKind(models.TextChoices):
    RUBRIC = "rubric", _("Rubric (level descriptors)")
    AGREEMENT = "agreement", _("Agreement scale (1 to 5)")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    RELATIONSHIP = "relationship", _("Relationship with each partner")


SCORED_KINDS = frozenset({QuestionKind.RUBRIC, QuestionKind.AGREEMENT, QuestionKind.RELATIONSHIP})


class Question(FrozenContent):
    """One question. ``key`` is stable across versions (trend mapping uses it)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text_en = models.TextField()
    text_cy = models.TextField(blank=True)
    help_en = models.TextField(blank=True)
    help_cy = models.TextField(blank=True)
    roles = models.JSONField(
        default=list, blank=True, help_text="Role codes that are asked this; empty means everyone"
    )
    required = models.BooleanField(default=False)
    evidence_required = models.BooleanField(default=False)
    allow_dont_know = models.BooleanField(default=True)
    weight = models.FloatField(default=1.0)
    config = models.JSONField(
        default=dict, blank=True, help_text="Kind-specific settings, e.g. number min/max"
    )

    class Meta:
        ordering = ["theme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "key"], name="unique_question_key"),
        ]

    def __str__(self) -> str:
        return self.text_en[:80]

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def help(self) -> str:
        return localised(self, "help")

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]

    def asks(self, role: str) -> bool:
        return not self.roles or role in self.roles

    def version_pk(self) -> int | None:
        return Theme.objects.filter(pk=self.theme_id).values_list("version_id", flat=True).first()


class Option(FrozenContent):
    """A choice, or a rubric level with its descriptor; ``value`` is the stored answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveIntegerField(default=0)
    value = models.CharField(max_length=40)
    label_en = models.CharField(max_length=200)
    label_cy = models.CharField(max_length=200, blank=True)
    descriptor_en = models.TextField(blank=True)
    descriptor_cy = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True, help_text="Numeric level for scored kinds")

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="unique_option_value"),
        ]

    def __str__(self) -> str:
        return self.label_en

    @property
    def label(self) -> str:
        return localised(self, "label")

    @property
    def descriptor(self) -> str:
        return localised(self, "descriptor")

    def version_pk(self) -> int | None:
        return (
            Question.objects.filter(pk=self.question_id)
            .values_list("theme__version_id", flat=True)
            .first()
        )


class ReflectionPrompt(FrozenContent):
    """A question a leader answers privately for themself; never aggregated."""

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="reflection_prompts"
    )
    key = models.SlugField(max_length=80)
    order = models.PositiveIntegerField(default=0)
    text_en = models.TextField()
    text_cy = models.TextField(blank=True)
    roles = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["version", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_prompt_key"),
        ]

    def __str__(self) -> str:
        return self.text_en[:80]

    @property
    def text(self) -> str:
        return localised(self, "text")

    def version_pk(self) -> int | None:
        return self.version_id
