"""Brokerage: audit profiles, offers of support, scenarios and their runs, support relationships.

Everything belongs to one partnership (the broker's), so two partnerships that share a school
keep their own audit of it, their own scenarios and their own notes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.brokerage.codes import AREA_LABELS
from partnerlens.brokerage.engine import DEFAULT_AREAS
from partnerlens.core.jobs import JobFields
from partnerlens.core.messages import Message
from partnerlens.directory.models import Organisation, Partnership

AREA_CHOICES = [(area, AREA_LABELS[area]) for area in DEFAULT_AREAS]
NEED_LABELS = {0: _("None"), 1: _("Some"), 2: _("Significant"), 3: _("Urgent")}
EXPERTISE_LABELS = {0: _("None shown"), 1: _("Some"), 2: _("Good"), 3: _("Strong")}
LEVEL = [MinValueValidator(0), MaxValueValidator(3)]


def area_label(area: str) -> str:
    return str(AREA_LABELS.get(area, area))


UNMET_LABELS = {
    "no_offer": _("No other school offers this area"),
    "out_of_range": _("No offer within the distance limit"),
    "incompatible": _("Offers in range are of another phase or language"),
    "excluded": _("Every compatible supporter in range is excluded"),
    "capacity": _("Supporters in range are full with needs as or more severe"),
}


class AreaNamed:
    """Adds `area_name`, the area's label for people, to a model with an `area` field."""

    area: str

    @property
    def area_name(self) -> str:
        return area_label(self.area) if self.area else str(_("All areas"))


class BrokerageSettings(models.Model):
    """Which support areas a partnership works with (a subset of the default twelve)."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="brokerage_settings"
    )
    areas = models.JSONField(default=list, help_text="Area ids in order; empty means all")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Brokerage settings of {self.partnership}"


def partnership_areas(partnership: Partnership) -> tuple[str, ...]:
    """The partnership's chosen areas, in the default order; all twelve until it chooses."""
    chosen = BrokerageSettings.objects.filter(partnership=partnership).first()
    picked = set(chosen.areas) if chosen and chosen.areas else set(DEFAULT_AREAS)
    return tuple(area for area in DEFAULT_AREAS if area in picked)


class AreaAssessmentQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> AreaAssessmentQuerySet:
        return self.filter(partnership=partnership)

    def needs(self) -> AreaAssessmentQuerySet:
        return self.filter(need_level__gt=0)


class AreaAssessment(AreaNamed, models.Model):
    """One school's need and expertise in one support area, with the evidence behind them.

    `derived_*` keep what the audit rule last said, so a broker's adjustment is always seen
    next to the evidence it overrode; `need_level` / `expertise_level` are what matching uses.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="area_assessments"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="area_assessments"
    )
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    need_level = models.PositiveSmallIntegerField(default=0, validators=LEVEL)
    expertise_level = models.PositiveSmallIntegerField(default=0, validators=LEVEL)
    derived_need = models.PositiveSmallIntegerField(default=0, validators=LEVEL)
    derived_expertise = models.PositiveSmallIntegerField(default=0, validators=LEVEL)
    sources = models.JSONField(
        default=list,
        help_text="[{source, code, params, date, need, expertise}] (see audit.py)",
    )
    assessed_on = models.DateField(default=timezone.localdate)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)
    adjustment_reason = models.TextField(blank=True)

    objects = AreaAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "area"], name="one_assessment_per_area"
            ),
            models.CheckConstraint(
                condition=Q(need_level__lte=3) & Q(expertise_level__lte=3),
                name="assessment_levels_0_to_3",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.area}: need {self.need_level}"

    @property
    def need_label(self) -> str:
        return str(NEED_LABELS[self.need_level])

    @property
    def expertise_label(self) -> str:
        return str(EXPERTISE_LABELS[self.expertise_level])

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_by_id is not None or bool(self.adjustment_reason)


class SupportOffer(models.Model):
    """A school's offer to support others in this partnership: how many, how far."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="offers")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_offers"
    )
    capacity_total = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most schools supported at once, all areas together"
    )
    max_km = models.FloatField(
        null=True, blank=True, validators=[MinValueValidator(0.1)], help_text="How far it travels"
    )
    # What the school offers, in its own words, in English and in Welsh (either may be blank).
    summary = models.TextField(blank=True)
    summary_cy = models.TextField(blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_offer_per_school"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} offers support in {self.partnership}"


class SupportOfferArea(AreaNamed, models.Model):
    offer = models.ForeignKey(SupportOffer, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    strength = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    capacity = models.PositiveSmallIntegerField(help_text="Most schools supported at once here")

    class Meta:
        ordering = ["offer", "area"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "area"], name="one_offer_area"),
        ]

    def __str__(self) -> str:
        return f"{self.offer.organisation_id} {self.area} x{self.capacity}"


class Scenario(models.Model):
    """A broker's question: which of our schools' needs can our schools meet, and how?"""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120)  # English (typed, or worded by the network app)
    name_cy = models.CharField(max_length=120, blank=True)
    areas = models.JSONField(default=list, help_text="Area ids; empty means the partnership's")
    max_km = models.FloatField(default=25.0, validators=[MinValueValidator(0.1)])
    la_name = models.CharField(max_length=120, blank=True, verbose_name="Local authority")
    region = models.CharField(max_length=80, blank=True)
    # A scenario for chosen schools (the network's isolated schools, say) matches only their
    # needs, while any school of the partnership may support them.
    focus = models.JSONField(
        default=list, blank=True, help_text="Organisation ids of the schools it is for; empty: all"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def area_ids(self) -> tuple[str, ...]:
        allowed = partnership_areas(self.partnership)
        return tuple(a for a in allowed if a in self.areas) if self.areas else allowed

    @property
    def area_labels(self) -> list[str]:
        return [area_label(area) for area in self.area_ids()]

    def focus_schools(self) -> list[Organisation]:
        """The schools the scenario is for, by name; none when it is for every school."""
        if not self.focus:
            return []
        return list(Organisation.objects.filter(pk__in=self.focus).order_by("name", "pk"))

    def latest_run(self) -> ScenarioRun | None:
        return self.runs.order_by("-run_at", "-id").first()


class ScenarioRun(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    run_at = models.DateTimeField(default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    settings = models.JSONField(default=dict, help_text="areas, max_km, pins, exclusions used")
    totals = models.JSONField(default=dict)
    skipped = models.JSONField(default=list, help_text="[{school, reason}] left out of the pool")

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.scenario} at {self.run_at:%Y-%m-%d %H:%M}"


class ScenarioJob(JobFields):
    """The latest request to run a scenario, and how it went (``services.scenarios``): the
    scenario page shows queued, running, done or failed, with the time; ``problems`` are the
    reasons a run was refused, as message codes (``[{code, params}]``)."""

    scenario = models.OneToOneField(Scenario, on_delete=models.CASCADE, related_name="job")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    run = models.ForeignKey(
        ScenarioRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    problems = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Run of {self.scenario_id} ({self.status})"


class Decision(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    PINNED = "pinned", _("Pinned")
    EXCLUDED = "excluded", _("Excluded")


class ProposedMatch(AreaNamed, models.Model):
    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="matches")
    need_school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    support_school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    severity = models.PositiveSmallIntegerField()
    strength = models.PositiveSmallIntegerField()
    distance_km = models.FloatField()
    score = models.PositiveIntegerField()
    pinned = models.BooleanField(default=False)
    explanation = models.JSONField(default=dict, help_text="The engine's codes and values")
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    relationship = models.ForeignKey(
        "SupportRelationship", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-severity", "need_school__name", "area"]

    def __str__(self) -> str:
        return f"{self.support_school_id} -> {self.need_school_id} ({self.area})"

    @property
    def severity_label(self) -> str:
        return str(NEED_LABELS[self.severity])

    @property
    def strength_label(self) -> str:
        return str(EXPERTISE_LABELS[self.strength])

    @property
    def is_open(self) -> bool:
        return self.decision in (Decision.PENDING, Decision.PINNED)


class UnmetNeed(AreaNamed, models.Model):
    run = models.ForeignKey(ScenarioRun, on_delete=models.CASCADE, related_name="unmet")
    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    severity = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=20)
    params = models.JSONField(default=dict, help_text="Values for the reason's message")

    class Meta:
        ordering = ["-severity", "school__name", "area"]

    def __str__(self) -> str:
        return f"{self.school_id} {self.area} unmet: {self.reason}"

    @property
    def severity_label(self) -> str:
        return str(NEED_LABELS[self.severity])

    @property
    def reason_label(self) -> str:
        return str(UNMET_LABELS.get(self.reason, self.reason))

    @property
    def explanation(self) -> Message:
        """Why, in full, in the reader's language (brokerage/codes.py words each reason)."""
        return Message(f"unmet.{self.reason}", {"area": self.area, **self.params})


class ScenarioPin(AreaNamed, models.Model):
    """A pair the broker fixed: the next runs must use it (an engine Pin)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="pins")
    need_school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    support_school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "need_school", "area"], name="one_pin_per_need"
            ),
        ]

    def __str__(self) -> str:
        return f"pin {self.support_school_id} -> {self.need_school_id} ({self.area})"


class ExclusionReason(models.TextChoices):
    REJECTED = "rejected", _("Proposal rejected")
    EXCLUDED = "excluded", _("Pair excluded")


class ScenarioExclusion(AreaNamed, models.Model):
    """A pair the next runs must not propose (an engine exclusion); blank area = all areas."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="exclusions")
    school_a = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    school_b = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=40, choices=AREA_CHOICES, blank=True)
    reason = models.CharField(max_length=20, choices=ExclusionReason.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"exclude {self.school_a_id} / {self.school_b_id} ({self.area or 'all areas'})"


class SupportStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ENDED_EARLY = "ended_early", _("Ended early")


class SupportRelationshipQuerySet(models.QuerySet):
    def active(self) -> SupportRelationshipQuerySet:
        return self.filter(status=SupportStatus.ACTIVE)

    def involving(self, organisation: Organisation) -> SupportRelationshipQuerySet:
        return self.filter(Q(supporter=organisation) | Q(supported=organisation))


class SupportRelationship(AreaNamed, models.Model):
    """One school supporting another in one area, from an accepted proposal (or by hand).

    The network views read these as edges between schools.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="support_relationships"
    )
    supporter = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_given"
    )
    supported = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="support_received"
    )
    area = models.CharField(max_length=40, choices=AREA_CHOICES)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=SupportStatus.choices, default=SupportStatus.ACTIVE
    )
    end_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupportRelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supporter=models.F("supported")), name="support_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="support_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supporter} supports {self.supported} in {self.area}"


class ProgressNote(models.Model):
    relationship = models.ForeignKey(
        SupportRelationship, on_delete=models.CASCADE, related_name="notes"
    )
    noted_on = models.DateField(default=timezone.localdate)
    text = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noted_on", "-id"]

    def __str__(self) -> str:
        return f"note on {self.relationship_id} ({self.noted_on})"
