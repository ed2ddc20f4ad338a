"""Action plans, the evidence log, activities (time and money) and the benefits register.

Everything belongs to one partnership. An action remembers the finding it came from as a
code, the source's id and a snapshot label (what the finding was called when the action was
made), never as a foreign key: the apps that make findings above insights (impact,
triggers) sit beside or above this one, and a finding may be rebuilt or removed while the
action stays, with that name in English and in Welsh (``source_label``,
``source_label_cy``). What people type that others read (titles, descriptions, notes) is an
English field with its Welsh beside it (``<field>_cy``, blank until written; the rule is
``core/bilingual.py``). A progress note (``ActionUpdate.text``) is written once, by one
person, in one language: it records which.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partnerlens.actions.codes import (
    CLOSED_STATUSES,
    ActivityKind,
    BenefitCategory,
    BenefitState,
    EvidenceKind,
    MeasureKind,
    SourceKind,
    Status,
)
from partnerlens.directory.models import Organisation, Partnership
from partnerlens.enquiries.models import Language

USER = settings.AUTH_USER_MODEL


class ActionQuerySet(models.QuerySet):
    def for_partnership(self, partnership) -> ActionQuerySet:
        return self.filter(partnership=partnership)

    def overdue(self, on=None) -> ActionQuerySet:
        """Due before ``on`` (today) and neither done nor dropped."""
        day = on or timezone.localdate()
        return self.filter(due_on__lt=day).exclude(status__in=CLOSED_STATUSES)


class Action(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_cy = models.TextField(blank=True)
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_actions"
    )
    schools = models.ManyToManyField(Organisation, blank=True, related_name="+")
    start_on = models.DateField(default=timezone.localdate)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    # How success will be judged: words, optionally with a theme key or a measure code.
    success_text = models.TextField(blank=True)
    success_text_cy = models.TextField(blank=True)
    success_kind = models.CharField(
        max_length=10, choices=MeasureKind.choices, blank=True, default=MeasureKind.TEXT
    )
    success_code = models.CharField(max_length=80, blank=True)
    # Where it came from (codes.SourceKind): the release, impact result or trigger's id,
    # the theme or section key within it, and what the finding was called then.
    source_kind = models.CharField(
        max_length=10, choices=SourceKind.choices, blank=True, default=SourceKind.NONE
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_ref = models.CharField(max_length=80, blank=True)
    source_label = models.CharField(max_length=300, blank=True)
    source_label_cy = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("start_on")), name="action_due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on=None) -> bool:
        return self.status not in CLOSED_STATUSES and self.due_on < (on or timezone.localdate())


class ActionUpdate(models.Model):
    """A dated note of progress on an action, by a person."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    noted_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    # The one language the writer wrote the note in, so pages mark it for screen readers.
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return f"update on {self.action_id} ({self.noted_on})"


class Activity(models.Model):
    """Something the partnership did together, with the time and money it took."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField()
    schools = models.ManyToManyField(Organisation, blank=True, related_name="+")
    hours = models.DecimalField(
        max_digits=8, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )  # people-hours: each person's time added up
    cost = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )  # pounds
    notes = models.TextField(blank=True)
    notes_cy = models.TextField(blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.title


class EvidenceItem(models.Model):
    """A note, document, link or case study ("small data"), tagged to themes (by key), to
    actions and to activities of the same partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    text_cy = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to="evidence/", max_length=200, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # as uploaded, for the download
    content_type = models.CharField(max_length=100, blank=True)  # found from the content
    size = models.PositiveIntegerField(default=0)
    themes = models.JSONField(default=list, blank=True)  # theme keys
    actions = models.ManyToManyField(Action, blank=True, related_name="evidence")
    activities = models.ManyToManyField(Activity, blank=True, related_name="evidence")
    added_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name_plural = "evidence items"

    def __str__(self) -> str:
        return self.title


class Benefit(models.Model):
    """A benefit of working together that members expect, or have realised, with evidence."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="benefits")
    category = models.CharField(max_length=20, choices=BenefitCategory.choices)
    state = models.CharField(max_length=10, choices=BenefitState.choices)
    description = models.TextField()
    description_cy = models.TextField(blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="benefits")
    recorded_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "state", "id"]

    def __str__(self) -> str:
        return f"{self.category} ({self.state})"
