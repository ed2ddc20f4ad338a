"""The codes actions stores, each with its label for people (templates speak; the database
and the engines hold codes)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# An action with one of these is finished with: it is never overdue.
CLOSED_STATUSES = frozenset({Status.DONE, Status.DROPPED})


class SourceKind(models.TextChoices):
    """Where an action came from. Theme, gap and priority findings are read from an insights
    release (the source id is the release's); an impact result and a trigger are the apps
    above insights, named by their own ids and a snapshot label."""

    NONE = "", _("No finding")
    THEME = "theme", _("A theme score")
    GAP = "gap", _("A gap between groups")
    PRIORITY = "priority", _("A suggested priority")
    IMPACT = "impact", _("An impact result")
    TRIGGER = "trigger", _("An early-warning trigger")


RELEASE_SOURCES = frozenset({SourceKind.THEME, SourceKind.GAP, SourceKind.PRIORITY})


class MeasureKind(models.TextChoices):
    TEXT = "", _("In words only")
    THEME = "theme", _("A theme score in the next cycle")
    OUTCOME = "outcome", _("A published outcome measure")


class EvidenceKind(models.TextChoices):
    NOTE = "note", _("Note")
    DOCUMENT = "document", _("Document")
    LINK = "link", _("Link")
    CASE_STUDY = "case_study", _("Case study")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CPD = "cpd", _("Shared training (CPD)")
    PEER_REVIEW = "peer_review", _("Peer review")
    VISIT = "visit", _("School visit")
    JOINT_PROJECT = "joint_project", _("Joint project")
    SHARED_STAFF = "shared_staff", _("Shared staff")
    OTHER = "other", _("Other")


class BenefitCategory(models.TextChoices):
    STANDARDS = "standards", _("Standards")
    LEADERSHIP = "leadership", _("Leadership development and succession")
    ECONOMIES = "economies", _("Economies of scale")
    CPD = "cpd", _("Shared CPD")
    PLANNING = "planning", _("Strategic planning")
    TRANSITION = "transition", _("Transition")
    PUPIL_SUPPORT = "pupil_support", _("Consistent pupil support")
    STAFFING = "staffing", _("Flexible staffing")
    AGENCIES = "agencies", _("Work with other agencies")


class BenefitState(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    REALISED = "realised", _("Realised")


# Outcome measures for which a fall is the better direction (the others: a rise; a
# partnership's own measure says which itself). Names for people: impact.estimate_codes.
LOWER_IS_BETTER = frozenset({"absence.overall_pct", "absence.persistent_pct"})
