"""Workflows that change the directory. Each owns its transaction and writes an audit entry.

Views check access with ``partnerlens.directory.access`` first; these functions trust
that the actor was allowed to act on the partnership they are given.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core.tokens import hash_token
from partnerlens.directory import emails
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Role,
    RoleInvitation,
)


class DirectoryError(Exception):
    """A change the directory refuses, with a message fit to show the person who tried."""


class InvitationError(DirectoryError):
    """A link that cannot be used; ``status`` is 404 for an unknown link, 410 once spent."""

    def __init__(self, message: str, *, status: int = 410):
        super().__init__(message)
        self.status = status


def create_partnership(
    *,
    creator,
    name: str,
    kind: str,
    purpose: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    name_cy: str = "",
    purpose_cy: str = "",
) -> Partnership:
    """A new partnership, led by the person who created it."""
    with transaction.atomic():
        partnership = Partnership.objects.create(
            name=name,
            name_cy=name_cy,
            kind=kind,
            purpose=purpose,
            purpose_cy=purpose_cy,
            start_date=start_date,
            end_date=end_date,
        )
        role = PartnershipRole.objects.create(
            partnership=partnership, user=creator, role=Role.PARTNERSHIP_LEAD
        )
        record(creator, verbs.PARTNERSHIP_CREATED, partnership, partnership_id=partnership.pk)
        record(
            creator,
            verbs.ROLE_GRANTED,
            role,
            partnership_id=partnership.pk,
            user_id=creator.pk,
            role=role.role,
        )
    return partnership


def update_partnership(partnership: Partnership, *, actor, **changes) -> Partnership:
    """Change a partnership's details; the audit entry lists the fields that changed."""
    changed = {
        field: value for field, value in changes.items() if getattr(partnership, field) != value
    }
    if not changed:
        return partnership
    with transaction.atomic():
        for field, value in changed.items():
            setattr(partnership, field, value)
        partnership.save(update_fields=[*changed, "updated_at"])
        record(
            actor,
            verbs.PARTNERSHIP_UPDATED,
            partnership,
            partnership_id=partnership.pk,
            fields=sorted(changed),
        )
    return partnership


def add_member(
    partnership: Partnership,
    organisation: Organisation,
    *,
    actor,
    joined: datetime.date | None = None,
) -> Membership:
    """Bring an organisation into the partnership from today (or ``joined``)."""
    with transaction.atomic():
        if partnership.memberships.filter(organisation=organisation, left__isnull=True).exists():
            raise DirectoryError(
                _("%(organisation)s is already a member of this partnership")
                % {"organisation": organisation.name}
            )
        membership = Membership.objects.create(
            partnership=partnership,
            organisation=organisation,
            joined=joined or timezone.localdate(),
            source="partnerlens",
        )
        record(
            actor,
            verbs.MEMBERSHIP_ADDED,
            membership,
            partnership_id=partnership.pk,
            organisation_id=organisation.pk,
        )
    return membership


def add_partner_organisation(
    partnership: Partnership, *, actor, name: str, kind: str, postcode: str = ""
) -> Membership:
    """Create a non-school partner (a parent group, a business...) and make it a member."""
    if kind == OrganisationKind.SCHOOL:
        raise DirectoryError(_("Schools come from the national register: search for them"))
    with transaction.atomic():
        organisation = Organisation.objects.create(
            kind=kind, name=name, postcode=postcode.strip().upper()
        )
        record(actor, verbs.ORGANISATION_CREATED, organisation, partnership_id=partnership.pk)
        return add_member(partnership, organisation, actor=actor)


def end_membership(
    membership: Membership, *, actor, left: datetime.date | None = None
) -> Membership:
    """Record the day an organisation left; its history in the partnership stays."""
    left = left or timezone.localdate()
    if membership.left is not None:
        raise DirectoryError(_("This membership has already ended"))
    if membership.joined and left < membership.joined:
        raise DirectoryError(_("An organisation cannot leave before it joined"))
    with transaction.atomic():
        membership.left = left
        membership.save(update_fields=["left"])
        record(
            actor,
            verbs.MEMBERSHIP_ENDED,
            membership,
            partnership_id=membership.partnership_id,
            left=left.isoformat(),
        )
    return membership


@dataclass(frozen=True)
class SentInvitation:
    invitation: RoleInvitation
    link: str


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("directory:accept_invitation", args=[token])


def invite_person(
    partnership: Partnership,
    *,
    actor,
    email: str,
    role: str,
    organisation: Organisation | None = None,
    language: str = "",
) -> SentInvitation:
    """Store an invitation (only its token's hash) and email the single-use link, in
    ``language`` first ("en" or "cy"; blank: the language the inviter is using).

    The email goes out inside the transaction: if the mail server refuses it, no
    invitation is left behind that nobody received.
    """
    token = secrets.token_urlsafe(32)
    link = invitation_link(token)
    expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_DAYS)
    with transaction.atomic():
        invitation = RoleInvitation.objects.create(
            partnership=partnership,
            email=email.strip().lower(),
            role=role,
            organisation=organisation,
            token_hash=hash_token(token),
            invited_by=actor,
            expires_at=expires_at,
        )
        record(
            actor,
            verbs.INVITATION_SENT,
            invitation,
            partnership_id=partnership.pk,
            email=invitation.email,
            role=role,
        )
        inviter = actor.get_full_name() or actor.get_username()
        language = language or translation.get_language() or "en"
        emails.role_invitation(invitation, link=link, inviter=inviter, language=language).send()
    return SentInvitation(invitation=invitation, link=link)


def find_invitation(token: str) -> RoleInvitation:
    """The invitation a link points at, or an InvitationError saying why it cannot be used."""
    invitation = (
        RoleInvitation.objects.select_related("partnership", "organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Check you copied all of it."), status=404
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _("This invitation has already been used. Sign in to reach the partnership.")
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask the partnership lead to invite you again.")
        )
    return invitation


def invitation_is_for(invitation: RoleInvitation, user) -> bool:
    """Whether ``user`` is the person invited: their email address or username is the
    invited address, in any case."""
    address = invitation.email.strip().lower()
    return address in {(user.email or "").strip().lower(), user.get_username().strip().lower()}


def account_for(email: str):
    """The existing account for an email address (in any case), or None."""
    user_model = get_user_model()
    taken = Q(email__iexact=email.strip()) | Q(username__iexact=email.strip())
    return user_model.objects.filter(taken).order_by("pk").first()


def accept_invitation(token: str, *, user) -> PartnershipRole:
    """Give the invited person, signed in, the invited role; the link cannot be used again.
    Anyone else is refused (403): an invitation belongs to the address it was sent to."""
    with transaction.atomic():
        invitation = find_invitation(token)
        if not invitation_is_for(invitation, user):
            raise InvitationError(
                _("This invitation was sent to another email address."), status=403
            )
        # Lock the row so two simultaneous clicks cannot both accept it.
        invitation = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise InvitationError(_("This invitation has already been used."))
        role = (
            PartnershipRole.objects.current()
            .filter(partnership_id=invitation.partnership_id, user=user, role=invitation.role)
            .first()
        )
        if role is None:
            role = PartnershipRole.objects.create(
                partnership_id=invitation.partnership_id,
                user=user,
                role=invitation.role,
                organisation=invitation.organisation,
            )
            record(
                user,
                verbs.ROLE_GRANTED,
                role,
                partnership_id=invitation.partnership_id,
                user_id=user.pk,
                role=role.role,
                invitation=invitation.pk,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(
            user,
            verbs.INVITATION_ACCEPTED,
            invitation,
            partnership_id=invitation.partnership_id,
            role=invitation.role,
        )
    return role


def create_account_and_accept(token: str, *, name: str, password: str) -> PartnershipRole:
    """Open an account for the invited email address, then accept the invitation."""
    user_model = get_user_model()
    with transaction.atomic():
        invitation = find_invitation(token)
        if account_for(invitation.email) is not None:
            raise InvitationError(
                _("There is already an account for %(email)s. Sign in to accept.")
                % {"email": invitation.email}
            )
        user = user_model.objects.create_user(
            username=invitation.email,
            email=invitation.email,
            password=password,
            first_name=name.strip()[:150],
        )
        record(user, verbs.ACCOUNT_CREATED, user, partnership_id=invitation.partnership_id)
        return accept_invitation(token, user=user)


def end_role(role: PartnershipRole, *, actor, ended: datetime.date | None = None):
    """End someone's role today; the last partnership lead cannot be removed."""
    if role.ended is not None:
        raise DirectoryError(_("This role has already ended"))
    with transaction.atomic():
        if role.role == Role.PARTNERSHIP_LEAD:
            leads = (
                PartnershipRole.objects.current()
                .select_for_update()
                .filter(partnership_id=role.partnership_id, role=Role.PARTNERSHIP_LEAD)
            )
            if len(leads) <= 1:
                raise DirectoryError(
                    _("A partnership needs a lead. Invite another lead before ending this role.")
                )
        role.ended = ended or timezone.localdate()
        role.save(update_fields=["ended"])
        record(
            actor,
            verbs.ROLE_ENDED,
            role,
            partnership_id=role.partnership_id,
            user_id=role.user_id,
            role=role.role,
        )
    return role
