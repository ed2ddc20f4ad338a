"""Evaluation frameworks as versioned data: framework -> version -> themes -> questions.

Every text a respondent reads exists in English (``_en``) and Welsh (``_cy``); ``localised``
picks the active language and falls back to English. Publishing freezes a version; editing
works on a new draft, so cycles keep the exact wording they were run with.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partnerlens.directory.models import Partnership


def localised(obj, field: str) -> str:
    """``obj.<field>_cy`` when Welsh is active and filled in, else ``obj.<field>_en``."""
    if (translation.get_language() or "en").startswith("cy"):
        welsh = getattr(obj, f"{field}_cy", "")
        if welsh:
            return welsh
    return getattr(obj, f"{field}_en", "")


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


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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


class Theme(models.Model):
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


class Question(models.Model):
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

    def asks(self, role: str) -> bool:
        return not self.roles or role in self.roles


class Option(models.Model):
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


class ReflectionPrompt(models.Model):
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
