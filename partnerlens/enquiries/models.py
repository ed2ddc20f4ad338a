"""Enquiry cycles: who is asked (invitees), what they answered (responses, answers), and
leaders' private reflections.

Anonymity is a property of the schema, not only of the screens: in anonymous mode no
column joins an invitee to a response (see docs/anonymity.md). Links carry a random token;
only salted hashes of it are stored, one for "this person was invited" and a different one
for "this draft may be resumed", so only the holder of the emailed link can join the two.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerlens.core.tokens import hash_token
from partnerlens.directory.models import Organisation, Partnership, Role
from partnerlens.frameworks.models import FrameworkVersion, Question, ReflectionPrompt


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class AnonymityMode(models.TextChoices):
    NAMED = "named", _("Named: leads can see who responded")
    CONFIDENTIAL = "confidential", _("Confidential: the system knows who, never shows it")
    ANONYMOUS = "anonymous", _("Anonymous: no link between a person and their response")


class RelationshipsAsked(models.TextChoices):
    """Which partners a relationship question asks each person about."""

    ALL = "all", _("Every partner")
    CHANGED = "changed", _("Only partners whose tie is new or has changed")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")


class CycleQuerySet(models.QuerySet):
    def for_partnership(self, partnership: Partnership) -> CycleQuerySet:
        return self.filter(partnership=partnership)

    def visible_to(self, user) -> CycleQuerySet:
        return self.filter(partnership__in=Partnership.objects.visible_to(user))


class Cycle(models.Model):
    """One round of enquiry on one frozen framework version."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="cycles")
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="cycles",
        limit_choices_to={"status": "published"},
    )
    # Title and introduction in English, with the Welsh beside them (core.bilingual picks).
    title = models.CharField(max_length=200)
    title_cy = models.CharField(max_length=200, blank=True)
    introduction = models.TextField(blank=True)
    introduction_cy = models.TextField(blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    state = models.CharField(max_length=10, choices=CycleState.choices, default=CycleState.DRAFT)
    anonymity_mode = models.CharField(
        max_length=12, choices=AnonymityMode.choices, default=AnonymityMode.CONFIDENTIAL
    )
    audience_roles = models.JSONField(default=list, blank=True, help_text="Role codes asked")
    # A re-survey may ask only about ties that are new or changed since the partnership's
    # previous published cycle (``enquiries.partners``); the others keep their released level.
    relationships_asked = models.CharField(
        max_length=10, choices=RelationshipsAsked.choices, default=RelationshipsAsked.ALL
    )
    audience_organisations = models.ManyToManyField(Organisation, blank=True, related_name="+")
    open_link_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="cycle_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        frozen = {*FROZEN_CYCLE_FIELDS, *(f.removesuffix("_id") for f in FROZEN_CYCLE_FIELDS)}
        if fields is None or set(fields) & frozen:
            self._refuse_frozen_changes()
        super().save(*args, **kwargs)

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity_mode == AnonymityMode.ANONYMOUS

    @property
    def accepts_responses(self) -> bool:
        today = timezone.localdate()
        return self.state == CycleState.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def closing_moment(self) -> datetime:
        """The end of the closing day, the latest an invitation link needs to work."""
        return timezone.make_aware(datetime.combine(self.closes_on, time.max))

    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.audience_roles if code in Role.values]

    def frozen_changes(self) -> list[str]:
        """The frozen fields this unsaved instance changes although responses exist.

        Once anyone has responded, the mode promised to them, the partnership their answers
        belong to and the questions they answered cannot change. A database trigger
        (migration 0003) enforces the same rule for writes that bypass ``save``.
        """
        if self.pk is None:
            return []
        stored = Cycle.objects.filter(pk=self.pk).values(*FROZEN_CYCLE_FIELDS).first()
        if stored is None:
            return []
        changed = [f for f in FROZEN_CYCLE_FIELDS if stored[f] != getattr(self, f)]
        if changed and Response.objects.filter(cycle_id=self.pk).exists():
            return changed
        return []

    def clean(self) -> None:
        super().clean()
        self._refuse_frozen_changes()

    def _refuse_frozen_changes(self) -> None:
        changed = self.frozen_changes()
        if changed:
            raise ValidationError(
                _("People have already responded to this cycle, so its %(fields)s cannot change.")
                % {"fields": ", ".join(str(FROZEN_LABELS[f]) for f in changed)},
                code="cycle_frozen",
            )


# Fields fixed once a cycle has any response (draft or submitted); see ``Cycle.save``.
FROZEN_CYCLE_FIELDS = ("anonymity_mode", "partnership_id", "framework_version_id")
FROZEN_LABELS = {
    "anonymity_mode": _("anonymity mode"),
    "partnership_id": _("partnership"),
    "framework_version_id": _("framework version"),
}


class InviteeQuerySet(models.QuerySet):
    def awaiting(self) -> InviteeQuerySet:
        return self.filter(completed=False)

    def by_link(self, token: str) -> InviteeQuerySet:
        """Invitees whose current or an earlier link is ``token`` (reminders mint new links)."""
        digest = hash_token(token, purpose="invitee")
        return self.filter(Q(token_hash=digest) | Q(earlier_token_hashes__contains=digest))


class Invitee(models.Model):
    """A person asked to respond. Holds no reference to any response.

    Only hashes of link tokens are stored. A reminder mints a fresh link (the raw token is
    never kept, so it cannot be resent) and moves the old hash to ``earlier_token_hashes``
    so links already in someone's inbox keep working.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="invitees")
    email = models.EmailField()
    name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    token_hash = models.CharField(max_length=64, unique=True)
    earlier_token_hashes = models.TextField(blank=True, default="")
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # Named and confidential cycles only; never set in anonymous ones, where a write to the
    # invitee at submission could be matched to the response (see ``ReceiptSet``). A bare
    # flag: a precise time could be matched to a response's times.
    completed = models.BooleanField(default=False)

    objects = InviteeQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "email"], name="one_invitation_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.cycle})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class ResponseState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Channel(models.TextChoices):
    """How a response came in. Open-link respondents declare their own role and organisation,
    which nobody checks, so their answers are reported as a group of their own."""

    INVITED = "invited", _("Invited")
    OPEN_LINK = "open_link", _("Open link")


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> ResponseQuerySet:
        return self.filter(state=ResponseState.SUBMITTED)

    def invited(self) -> ResponseQuerySet:
        return self.filter(channel=Channel.INVITED)

    def open_link(self) -> ResponseQuerySet:
        return self.filter(channel=Channel.OPEN_LINK)

    def drafts(self) -> ResponseQuerySet:
        return self.filter(state=ResponseState.DRAFT)

    def for_cycle(self, cycle: Cycle) -> ResponseQuerySet:
        return self.filter(cycle=cycle)


class Response(models.Model):
    """One person's answers in one cycle.

    The primary key is a random UUID so that row order reveals nothing about who answered
    first. ``invitee`` is set only in named and confidential cycles. In anonymous cycles
    the times are cut to midnight of the day, and ``resume_key`` (a hash of the link
    token, cleared on submission) is the only way back to a draft.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    invitee = models.ForeignKey(
        Invitee, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.INVITED)
    state = models.CharField(
        max_length=10, choices=ResponseState.choices, default=ResponseState.DRAFT
    )
    resume_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", "id"]

    def __str__(self) -> str:
        return f"Response {self.id} to {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.state == ResponseState.SUBMITTED


class ReceiptSet(models.Model):
    """Which invitees of an anonymous cycle have submitted, readable only with the key.

    One row per cycle holding keyed digests (HMAC of the invitee, see ``receipts.py``),
    sorted, so neither a row's order nor its transaction id tells which digest arrived with
    which response. Nothing is written to any invitee at submission. Without the key
    (``settings.ANONYMITY_KEY``, never stored in the database) the digests are noise; with
    it they say who has answered (reminders need that) but not which response is whose.
    Deleted when the cycle is published, after which no reminder or response can follow.
    """

    cycle = models.OneToOneField(
        Cycle, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    digests = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"Receipts of cycle {self.cycle_id}"

    @property
    def digest_set(self) -> set[str]:
        return set(self.digests.split())


class Answer(models.Model):
    """One answer; relationship questions have one row per partner organisation.

    No timestamp on purpose: per-answer times could be matched to invitation emails.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    about_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    option_value = models.CharField(max_length=40, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    dont_know = models.BooleanField(default=False)
    evidence_note = models.TextField(blank=True)
    evidence_link = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["response", "question", "about_organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(about_organisation__isnull=True),
                name="one_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "about_organisation"],
                condition=Q(about_organisation__isnull=False),
                name="one_answer_per_question_and_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.key} in {self.response_id}"


class ReflectionQuerySet(models.QuerySet):
    def of(self, user) -> ReflectionQuerySet:
        return self.filter(user=user)


class Reflection(models.Model):
    """A leader's private answer to a reflection prompt: only its author ever reads it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    prompt = models.ForeignKey(
        ReflectionPrompt, on_delete=models.CASCADE, related_name="reflections"
    )
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        ordering = ["prompt__version", "prompt__order", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "prompt", "cycle"],
                condition=Q(cycle__isnull=False),
                name="one_reflection_per_prompt_and_cycle",
            ),
            models.UniqueConstraint(
                fields=["user", "prompt"],
                condition=Q(cycle__isnull=True),
                name="one_reflection_per_prompt",
            ),
        ]

    def __str__(self) -> str:
        return f"Reflection by {self.user_id} on {self.prompt.key}"
