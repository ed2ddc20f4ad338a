"""Comparison families, registrations and estimates of impact.

- ``Registration``: a partnership's question, measure, schools and start year, frozen when it
  is registered, its question in English and Welsh (the model refuses a change, and so does
  the database: a trigger, migrations ``0003_registration_lock`` and
  ``0005_registration_lock_welsh``).
- ``ComparisonGroup``: the families chosen for one partnership's schools on one measure, with
  the inputs and their years (``FamilySchool`` and ``FamilyMember`` rows hold each school's
  covariates and each member's distance), so the choice can be checked and repeated.
- ``Estimate``: one difference-in-differences analysis and its result; ``EstimateJob`` its
  run on the task queue.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.core.jobs import JobFields
from partnerlens.directory.models import Organisation, Partnership

__all__ = [
    "ComparisonGroup",
    "Estimate",
    "EstimateJob",
    "FamilyMember",
    "FamilySchool",
    "Registration",
    "RegistrationLocked",
]

LOCKED_FIELDS = (
    "partnership_id",
    "question",
    "question_cy",
    "measure",
    "start_year",
    "schools",
    "spec_hash",
    "registered_at",
    "data_to_year",
)


class RegistrationLocked(Exception):
    """A registration was changed after it was registered."""


class Registration(models.Model):
    """A pre-registered analysis: locked and timestamped from the moment it is saved."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="impact_registrations"
    )
    question = models.TextField(help_text="As typed, in English")
    question_cy = models.TextField(blank=True, help_text="As typed, in Welsh (blank: none)")
    measure = models.CharField(max_length=60)
    start_year = models.PositiveSmallIntegerField(help_text="First academic year, e.g. 2018")
    schools = models.JSONField(help_text="Organisation ids, sorted")
    spec_hash = models.CharField(max_length=64, help_text="SHA-256 of the registered spec")
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The latest year of the measure held for these schools when it was registered: a
    # registration made after the start year's results were in is said to be so.
    data_to_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.measure} from {self.start_year} ({self.partnership_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = Registration.objects.filter(pk=self.pk).values(*LOCKED_FIELDS).first()
            if stored and any(stored[f] != getattr(self, f) for f in LOCKED_FIELDS):
                raise RegistrationLocked("A registration cannot be changed once registered")
        super().save(*args, **kwargs)

    @property
    def before_outcomes(self) -> bool:
        """Registered before any result of the start year or later was held."""
        return self.data_to_year is None or self.data_to_year < self.start_year


class ComparisonGroup(models.Model):
    """The families of a partnership's schools, chosen once and kept as chosen."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="comparison_groups"
    )
    measure = models.CharField(max_length=60)
    prior_from = models.PositiveSmallIntegerField(help_text="First year of the prior outcome")
    prior_to = models.PositiveSmallIntegerField(help_text="Last year of the prior outcome")
    context_year = models.PositiveSmallIntegerField(help_text="Year of FSM, EAL, SEN and size")
    family_size = models.PositiveSmallIntegerField()
    weights = models.JSONField(help_text="Covariate weights of the distance")
    pool = models.PositiveIntegerField(help_text="Schools with every input, outside it")
    missing = models.PositiveIntegerField(help_text="Schools left out for a missing input")
    balance = models.JSONField(default=list, help_text="Standardised mean differences")
    chosen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-chosen_at", "-id"]

    def __str__(self) -> str:
        return f"Families on {self.measure} ({self.chosen_at:%Y-%m-%d})"


class FamilySchool(models.Model):
    """A partnership school of a comparison group: its inputs and whether it was matched."""

    group = models.ForeignKey(ComparisonGroup, on_delete=models.CASCADE, related_name="schools")
    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)  # analytics.families codes
    size = models.PositiveSmallIntegerField(default=0)
    inputs = models.JSONField(default=dict, help_text="phase, prior, fsm, eal, sen, pupils")

    class Meta:
        ordering = ["school__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "school"], name="one_family_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in {self.group_id} ({self.status})"


class FamilyMember(models.Model):
    """One school of one family, with its distance and rank."""

    group = models.ForeignKey(ComparisonGroup, on_delete=models.CASCADE, related_name="members")
    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    distance = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    inputs = models.JSONField(default=dict)

    class Meta:
        ordering = ["school_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["group", "school", "rank"], name="one_rank_per_family")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} #{self.rank} for {self.school_id}"


class Estimate(models.Model):
    """One analysis asked for, and (once its job has run) its result in numbers and codes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not run yet")
        ESTIMATED = "estimated", _("Estimated")
        NOT_ENOUGH_DATA = "not_enough_data", _("Not enough data")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="impact_estimates"
    )
    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="estimates"
    )
    measure = models.CharField(max_length=60)
    start_year = models.PositiveSmallIntegerField()
    schools = models.JSONField(help_text="Organisation ids, sorted")
    pool_years = models.BooleanField(default=False, help_text="Three-year cohort averages")
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    group = models.ForeignKey(
        ComparisonGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    result = models.JSONField(default=dict, blank=True, help_text="numbers and codes")
    estimated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.measure} from {self.start_year} ({self.status})"


class EstimateJob(JobFields):
    """The latest request to run an estimate; ``problem`` is a code people must act on."""

    estimate = models.OneToOneField(Estimate, on_delete=models.CASCADE, related_name="job")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Run of estimate {self.estimate_id} ({self.status})"
