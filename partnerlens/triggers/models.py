"""Early-warning indicators a partnership agrees, and the triggers they raise.

An ``Indicator`` says what to watch (its ``kind``: a fall in attendance, a rise in persistent
absence, a drop in progress or in a theme score, a review judgement, a Welsh support
category), at what size of change each tier of support starts, what each tier brings, who is
told and how many days the school has for an action plan. The evaluation
(``services.evaluation``, on the task queue) compares each member school's two latest
figures and raises a ``Trigger`` once per indicator, school and pair of periods: the same
data never raise the same trigger twice (a unique constraint, not only a check).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from partnerlens.core import bilingual
from partnerlens.core.jobs import JobFields
from partnerlens.directory.models import Organisation, Partnership, Role
from partnerlens.triggers import evaluation as engine
from partnerlens.triggers.defaults import BUILT_IN_SUPPORT


class Kind(models.TextChoices):
    ATTENDANCE_FALL = engine.ATTENDANCE_FALL, _("Fall in attendance (rise in overall absence)")
    PERSISTENT_RISE = engine.PERSISTENT_RISE, _("Rise in persistent absence")
    PROGRESS_DROP = engine.PROGRESS_DROP, _("Drop in progress")
    THEME_DROP = engine.THEME_DROP, _("Drop in a theme score")
    REVIEW_JUDGEMENT = engine.REVIEW_JUDGEMENT, _("Review judgement")
    WALES_CATEGORY = engine.WALES_CATEGORY, _("Welsh support category")


class Tier(models.TextChoices):
    UNIVERSAL = engine.UNIVERSAL, _("Universal")
    TARGETED = engine.TARGETED, _("Targeted")
    INTENSIVE = engine.INTENSIVE, _("Intensive")


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Indicator(models.Model):
    """One agreed indicator of a partnership, with its three tiers."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="trigger_indicators"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Progress: the outcome measure code (ks4.p8, a KS2 progress code); theme score: a
    # theme key, or blank for every theme. Other kinds read fixed measures.
    measure = models.CharField(max_length=60, blank=True)
    # As typed in each language; both blank: the kind's label.
    name = models.CharField(max_length=120, blank=True)
    name_cy = models.CharField(max_length=120, blank=True)
    # Where each tier starts, on the kind's scale (engine.SCALES); blank: tier not used.
    universal_at = models.FloatField(null=True, blank=True)
    targeted_at = models.FloatField(null=True, blank=True)
    intensive_at = models.FloatField(null=True, blank=True)
    # What each tier brings, as typed in each language; blank: the built-in wording.
    universal_support = models.TextField(blank=True)
    universal_support_cy = models.TextField(blank=True)
    targeted_support = models.TextField(blank=True)
    targeted_support_cy = models.TextField(blank=True)
    intensive_support = models.TextField(blank=True)
    intensive_support_cy = models.TextField(blank=True)
    notify_roles = models.JSONField(default=list)  # Role codes; school roles: their school only
    deadline_days = models.PositiveSmallIntegerField(default=15)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "kind", "pk"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @property
    def label(self) -> str:
        """The name in the reader's language (the Welsh, else the English), else the kind's
        translated label: plain text, for emails, titles and stored labels."""
        return bilingual.localised(self, "name") or str(self.get_kind_display())

    @property
    def label_html(self) -> SafeString:
        """``label`` for a page: an English name standing in for Welsh marked ``lang="en"``."""
        if bilingual.localised(self, "name"):
            return bilingual.marked(self, "name")
        return conditional_escape(self.get_kind_display())

    def thresholds(self) -> dict[str, float | None]:
        return {
            engine.UNIVERSAL: self.universal_at,
            engine.TARGETED: self.targeted_at,
            engine.INTENSIVE: self.intensive_at,
        }

    def rule(self) -> engine.Rule:
        return engine.Rule(self.pk, self.kind, self.thresholds())

    def support_for(self, tier: str) -> str:
        """What the tier brings as typed, in the reader's language (blank: none typed)."""
        return bilingual.localised(self, f"{tier}_support")

    def support_html(self, tier: str) -> SafeString:
        """``support_for`` for a page, else the built-in wording: with its line breaks, and
        an English text standing in for Welsh marked ``lang="en"``."""
        if self.support_for(tier):
            return bilingual.marked(self, f"{tier}_support", linebreaks=True)
        return linebreaksbr(BUILT_IN_SUPPORT[tier], autoescape=True)

    def notify_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.notify_roles if code in Role.values]

    def tiers(self) -> list[tuple[str, float | None, SafeString]]:
        """(tier label, threshold, support as typed as HTML, in the reader's language) for
        each tier, least first."""
        return [
            (
                label,
                getattr(self, f"{code}_at"),
                bilingual.marked(self, f"{code}_support", linebreaks=True),
            )
            for code, label in Tier.choices
        ]


class TriggerQuerySet(models.QuerySet):
    def unresolved(self) -> TriggerQuerySet:
        return self.exclude(status=Status.RESOLVED)

    def overdue(self, today=None) -> TriggerQuerySet:
        return self.filter(status=Status.OPEN, deadline__lt=today or timezone.localdate())


class Trigger(models.Model):
    """An indicator that fired for one school: the figures compared, its tier and clock."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="triggers")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    tier = models.CharField(max_length=12, choices=Tier.choices)
    measure = models.CharField(max_length=60, blank=True)  # the measure or theme compared
    period_before = models.CharField(max_length=20, blank=True)
    period_now = models.CharField(max_length=20)
    value_before = models.FloatField(null=True, blank=True)
    value_now = models.FloatField(null=True, blank=True)
    text_before = models.CharField(max_length=60, blank=True)  # a category or judgement
    text_now = models.CharField(max_length=60, blank=True)
    severity = models.FloatField()  # on the kind's scale: what was compared to the thresholds
    raised_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TriggerQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_before", "period_now"],
                name="one_trigger_per_comparison",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} at {self.organisation_id} ({self.period_now}): {self.tier}"

    def is_overdue(self, today=None) -> bool:
        return engine.overdue(self.deadline, self.status, today or timezone.localdate())

    @property
    def support(self) -> str:
        return self.indicator.support_for(self.tier)

    @property
    def support_html(self) -> SafeString:
        return self.indicator.support_html(self.tier)


class Evaluation(JobFields):
    """The latest request to evaluate a partnership's indicators, and what it found."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="trigger_evaluation"
    )
    raised = models.PositiveIntegerField(default=0)  # new triggers in the last evaluation

    def __str__(self) -> str:
        return f"Evaluation of partnership {self.partnership_id}: {self.status}"


class DailySchedule(models.Model):
    """The one chain of daily evaluations: a queued run whose token is not this one's is a
    stale chain and does nothing (so scheduling twice is harmless)."""

    token = models.CharField(max_length=32, blank=True)
    next_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Daily trigger evaluation, next at {self.next_run_at}"
