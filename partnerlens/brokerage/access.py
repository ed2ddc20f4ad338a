"""Who may do what in brokerage; every brokerage view fetches its objects through here.

- Brokers, partnership leads and administrators (and superusers) may broker: see audit
  profiles, adjust them, record offers for any member school, create and run scenarios,
  decide on proposals and end support relationships.
- A headteacher or senior leader whose role names a member school may record that school's
  offer and add progress notes to support relationships their school is in.
- Everyone else with a current role in the partnership may see its support relationships
  and their progress, and nothing else in brokerage.

The rules themselves live in ``directory.access.Access`` (``can_broker``,
``led_school_ids``); the helpers here take the request's ``Access`` and never read roles
again. As in directory.access, an object outside the user's partnerships is "not found"
(404); a partnership the user belongs to but may not broker in is "forbidden" (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.brokerage.models import Scenario, SupportRelationship
from partnerlens.directory.access import BROKER, Access, get_partnership_for_user
from partnerlens.directory.models import Organisation, OrganisationKind, Partnership


def get_partnership_for_broker(user, pk) -> Access:
    """The user's access to the partnership, if they may broker in it (404 outside it, 403
    without the role)."""
    return get_partnership_for_user(user, pk).require(BROKER)


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


def get_school_for_offer(access: Access, pk) -> Organisation:
    """A member school whose offer the user may record: any, for a broker; their own, for a
    school lead."""
    school = get_member_school(access.partnership, pk)
    if access.can_broker or access.leads_school(school.pk):
        return school
    raise PermissionDenied("Only a broker or the school's own leaders may record its offer")


def get_scenario_for_user(access: Access, pk) -> Scenario:
    """A scenario of the access's partnership, for a user who may broker there."""
    access.require(BROKER)
    return access.object_or_404(Scenario.objects.select_related("partnership"), pk, "scenario")


def get_relationship_for_user(access: Access, pk) -> SupportRelationship:
    """A support relationship of the access's partnership; any current member may see it."""
    relationships = SupportRelationship.objects.select_related("supporter", "supported")
    return access.object_or_404(relationships, pk, "support relationship")


def can_note_progress(access: Access, relationship: SupportRelationship) -> bool:
    """Brokers, and the leaders of either school, may add progress notes."""
    return (
        access.can_broker
        or access.leads_school(relationship.supporter_id)
        or access.leads_school(relationship.supported_id)
    )
