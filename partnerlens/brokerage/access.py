"""Who may do what in brokerage; every brokerage view fetches its objects through here.

- Brokers, partnership leads and administrators (and superusers) may broker: see audit
  profiles, adjust them, record offers for any member school, create and run scenarios,
  decide on proposals and end support relationships.
- A headteacher or senior leader whose role names a member school may record that school's
  offer and add progress notes to support relationships their school is in.
- Everyone else with a current role in the partnership may see its support relationships
  and their progress, and nothing else in brokerage.

As in directory.access, an object outside the user's partnerships is "not found" (404); a
partnership the user belongs to but may not broker in is "forbidden" (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.brokerage.models import Scenario, SupportRelationship
from partnerlens.directory.access import get_partnership_for_user, roles_of
from partnerlens.directory.models import (
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Role,
)

BROKERING_ROLES = frozenset({Role.BROKER, Role.PARTNERSHIP_LEAD, Role.ADMINISTRATOR})
SCHOOL_LEAD_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER})


def can_broker(user, partnership: Partnership) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user, partnership) & BROKERING_ROLES)


def led_school_ids(user, partnership: Partnership) -> set[int]:
    """Member schools the user leads (headteacher or senior leader role naming the school)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PartnershipRole.objects.current()
        .filter(
            partnership=partnership,
            user=user,
            role__in=SCHOOL_LEAD_ROLES,
            organisation__isnull=False,
        )
        .values_list("organisation_id", flat=True)
    )


def get_partnership_for_broker(user, pk) -> Partnership:
    """The partnership, if the user may broker in it (404 outside it, 403 without the role)."""
    partnership = get_partnership_for_user(user, pk)
    if not can_broker(user, partnership):
        raise PermissionDenied("Only a broker, partnership lead or administrator may do this")
    return partnership


def get_member_school(partnership: Partnership, pk) -> Organisation:
    """A school that is a current member of the partnership, or 404."""
    membership = (
        partnership.memberships.current()
        .filter(organisation_id=pk, organisation__kind=OrganisationKind.SCHOOL)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such member school")
    return membership.organisation


def get_school_for_offer(user, partnership: Partnership, pk) -> Organisation:
    """A member school whose offer the user may record: any, for a broker; their own, for a
    school lead."""
    school = get_member_school(partnership, pk)
    if can_broker(user, partnership) or school.pk in led_school_ids(user, partnership):
        return school
    raise PermissionDenied("Only a broker or the school's own leaders may record its offer")


def get_scenario_for_user(user, partnership: Partnership, pk) -> Scenario:
    """A scenario of this partnership, for a user already checked by get_partnership_for_broker."""
    if not can_broker(user, partnership):
        raise PermissionDenied("Only a broker, partnership lead or administrator may do this")
    try:
        return Scenario.objects.select_related("partnership").get(partnership=partnership, pk=pk)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise Http404("No such scenario") from None


def get_relationship_for_user(user, partnership: Partnership, pk) -> SupportRelationship:
    """A support relationship of this partnership; any current member may see it."""
    try:
        return SupportRelationship.objects.select_related("supporter", "supported").get(
            partnership=partnership, pk=pk
        )
    except (SupportRelationship.DoesNotExist, ValueError, TypeError):
        raise Http404("No such support relationship") from None


def can_note_progress(user, relationship: SupportRelationship) -> bool:
    partnership = relationship.partnership
    if can_broker(user, partnership):
        return True
    schools = led_school_ids(user, partnership)
    return relationship.supporter_id in schools or relationship.supported_id in schools
