"""Who is who: schools and other partner organisations, partnerships, and people's roles.

The directory is the bottom of the domain stack; every other app points at it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    GOVERNING_BODY = "governing_body", _("Governing body")
    PARENT_GROUP = "parent_group", _("Parent group")
    COMMUNITY = "community", _("Community or voluntary organisation")
    HEALTH = "health", _("Health service")
    SOCIAL_CARE = "social_care", _("Social care")
    POLICE = "police", _("Police")
    BUSINESS = "business", _("Business")
    INDEPENDENT_SCHOOL = "independent_school", _("Independent school")
    UNIVERSITY = "university", _("University")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    DIOCESE = "diocese", _("Diocese")


class Phase(models.TextChoices):
    """Phase of education, normalised from GIAS's wording (see docs/data.md)."""

    NURSERY = "nursery", _("Nursery")
    PRIMARY = "primary", _("Primary")
    MIDDLE_PRIMARY = "middle_primary", _("Middle deemed primary")
    SECONDARY = "secondary", _("Secondary")
    MIDDLE_SECONDARY = "middle_secondary", _("Middle deemed secondary")
    ALL_THROUGH = "all_through", _("All-through")
    POST_16 = "post_16", _("16 plus")
    SPECIAL = "special", _("Special")
    NOT_APPLICABLE = "", _("Not applicable")


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")


class OrganisationQuerySet(models.QuerySet):
    def schools(self) -> OrganisationQuerySet:
        return self.filter(kind=OrganisationKind.SCHOOL)

    def open(self) -> OrganisationQuerySet:
        return self.exclude(status__istartswith="closed")

    def search(self, text: str) -> OrganisationQuerySet:
        """Find by name, URN, Welsh school code or postcode, as a person would type them."""
        text = text.strip()
        if not text:
            return self.none()
        query = Q(name__icontains=text) | Q(postcode__iexact=text)
        compact = text.replace(" ", "").upper()
        if len(compact) >= 3 and not compact.isdigit():
            query |= Q(postcode_compact__startswith=compact)
        if text.isdigit():
            query |= Q(urn=int(text)) | Q(welsh_school_code=text)
        return self.filter(query)


class Organisation(models.Model):
    """A school or another body that takes part in partnerships."""

    kind = models.CharField(max_length=30, choices=OrganisationKind.choices)
    name = models.CharField(max_length=255)
    nation = models.CharField(max_length=10, choices=Nation.choices, default=Nation.ENGLAND)
    urn = models.PositiveIntegerField(null=True, blank=True, unique=True, verbose_name="URN")
    welsh_school_code = models.CharField(max_length=10, blank=True, default="")
    la_code = models.CharField(max_length=10, blank=True)
    la_name = models.CharField(max_length=120, blank=True)
    establishment_number = models.CharField(max_length=10, blank=True)
    region = models.CharField(max_length=80, blank=True)
    school_type = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    phase_label = models.CharField(max_length=60, blank=True, help_text="As the source wrote it")
    low_age = models.PositiveSmallIntegerField(null=True, blank=True)
    high_age = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    religious_character = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=60, blank=True)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    postcode_compact = models.CharField(max_length=10, blank=True, db_index=True, editable=False)
    easting = models.PositiveIntegerField(null=True, blank=True)
    northing = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    pupils = models.PositiveIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    fsm_pct = models.FloatField(null=True, blank=True, verbose_name="FSM %")
    ofsted_rating = models.CharField(max_length=60, blank=True)
    website = models.CharField(max_length=255, blank=True)
    ukprn = models.PositiveIntegerField(null=True, blank=True, verbose_name="UKPRN")
    details_as_of = models.DateField(
        null=True,
        blank=True,
        help_text="Date of the register snapshot these details came from; an import of an "
        "older snapshot only fills blanks (see docs/data.md)",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["welsh_school_code"],
                condition=~Q(welsh_school_code=""),
                name="unique_welsh_school_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.postcode_compact = self.postcode.replace(" ", "").upper()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "postcode_compact"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        """The public identifier people quote: URN in England, school code in Wales."""
        if self.urn:
            return f"URN {self.urn}"
        if self.welsh_school_code:
            return f"School code {self.welsh_school_code}"
        return ""


class PartnershipKind(models.TextChoices):
    MAT = "mat", _("Multi-academy trust")
    SAT = "sat", _("Single-academy trust")
    FEDERATION = "federation", _("Federation")
    TEACHING_SCHOOL = "teaching_school", _("Teaching school hub or alliance")
    LA_PARTNERSHIP = "la_partnership", _("Local-authority partnership")
    CLUSTER = "cluster", _("Informal cluster")
    NETWORK = "network", _("Subject or thematic network")
    CROSS_SECTOR = "cross_sector", _("Cross-sector partnership")
    OTHER = "other", _("Other")


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> PartnershipQuerySet:
        """Partnerships a signed-in user may see: those they hold a current role in."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(roles__user=user, roles__ended__isnull=True).distinct()


class Partnership(models.Model):
    # Name and purpose in English, with the Welsh beside them (core.bilingual picks).
    name = models.CharField(max_length=255)
    name_cy = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=30, choices=PartnershipKind.choices)
    purpose = models.TextField(blank=True)
    purpose_cy = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    gias_group_uid = models.PositiveIntegerField(
        null=True, blank=True, unique=True, verbose_name="GIAS group UID"
    )
    # Usually "TR00261", but some federations' IDs are 45-character names.
    gias_group_id = models.CharField(max_length=60, blank=True, verbose_name="GIAS group ID")
    gias_group_type = models.CharField(max_length=60, blank=True)
    companies_house_number = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=40, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(joined__isnull=True) | Q(joined__lte=day)).filter(
            Q(left__isnull=True) | Q(left__gt=day)
        )


class Membership(models.Model):
    """An organisation's time in a partnership; a school may be in several at once."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="Where this fact came from")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(left__isnull=True),
                name="one_open_membership",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True)
                | Q(joined__isnull=True)
                | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Role(models.TextChoices):
    PARTNERSHIP_LEAD = "partnership_lead", _("Partnership lead")
    HEADTEACHER = "headteacher", _("Headteacher")
    SENIOR_LEADER = "senior_leader", _("Senior leader")
    MIDDLE_LEADER = "middle_leader", _("Middle leader")
    TEACHER = "teacher", _("Teacher")
    SUPPORT_STAFF = "support_staff", _("Support staff")
    GOVERNOR = "governor", _("Governor")
    PARENT = "parent", _("Parent")
    PUPIL_VOICE = "pupil_voice", _("Pupil voice")
    EXTERNAL_ADVISER = "external_adviser", _("External adviser")
    PEER_REVIEWER = "peer_reviewer", _("Peer reviewer")
    BROKER = "broker", _("Broker")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles that may change the partnership itself: its details, members and people.
MANAGING_ROLES = frozenset({Role.PARTNERSHIP_LEAD, Role.ADMINISTRATOR})


class PartnershipRoleQuerySet(models.QuerySet):
    def current(self) -> PartnershipRoleQuerySet:
        return self.filter(ended__isnull=True)


class PartnershipRole(models.Model):
    """A person's role in one partnership, optionally on behalf of one member organisation."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)

    objects = PartnershipRoleQuerySet.as_manager()

    class Meta:
        ordering = ["partnership__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "user", "role"],
                condition=Q(ended__isnull=True),
                name="one_current_role_of_a_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()} in {self.partnership}"


class RoleInvitationQuerySet(models.QuerySet):
    def pending(self) -> RoleInvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class RoleInvitation(models.Model):
    """An offer to join a partnership in a role, sent by email with a single-use link.

    Only a hash of the token is stored, so a database leak does not leak working links.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="role_invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.partnership} as {self.get_role_display()}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class OutcomeMeasure(models.Model):
    """One published figure about one school for one period ("big data").

    A long table keyed by a dotted measure code (e.g. ``ks4.att8``, ``absence.overall_pct``,
    ``census.fsm_ever_pct``, ``wales.support_category``) so new sources add rows, not columns.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="measures"
    )
    measure = models.CharField(max_length=60)
    period = models.CharField(max_length=20, help_text="Academic year such as 2018-19")
    value = models.FloatField(null=True, blank=True)
    value_text = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["organisation_id", "measure", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "period"], name="one_value_per_measure_period"
            ),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.value_text
        return f"{self.organisation_id} {self.measure} {self.period} = {shown}"


class EstablishmentLink(models.Model):
    """GIAS predecessor/successor link between two URNs (either may be outside the directory)."""

    urn = models.PositiveIntegerField(db_index=True)
    link_urn = models.PositiveIntegerField(db_index=True)
    link_name = models.CharField(max_length=255, blank=True)
    link_type = models.CharField(max_length=80)
    link_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["urn", "link_urn"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn", "link_urn", "link_type"], name="one_link_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.urn} {self.link_type} {self.link_urn}"
