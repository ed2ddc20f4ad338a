"""Who may do what with early-warning triggers; every triggers view goes through here.

- The partnership's lead and administrators configure indicators, ask for an evaluation,
  and change any trigger's status.
- They, brokers, the leaders of member schools (headteacher, senior leader), governors
  and external advisers see the register, the recurring concerns and the heatmap; a
  school's own leaders may also acknowledge or resolve that school's triggers.
- Anyone else in the partnership is refused (403); outside it, nothing exists (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from partnerlens.directory.access import (
    BROKERING_ROLES,
    SCHOOL_LEAD_ROLES,
    Access,
    get_partnership_for_user,
)
from partnerlens.directory.models import MANAGING_ROLES, Role
from partnerlens.triggers.models import Indicator, Trigger

SEEING_ROLES = (
    MANAGING_ROLES
    | BROKERING_ROLES
    | SCHOOL_LEAD_ROLES
    | frozenset({Role.GOVERNOR, Role.EXTERNAL_ADVISER})
)


def can_see(access: Access) -> bool:
    return access.is_superuser or bool(access.roles & SEEING_ROLES)


def get_partnership_for_viewer(user, pk) -> Access:
    """The user's access, if they may see the partnership's triggers (404 outside, 403)."""
    access = get_partnership_for_user(user, pk)
    if not can_see(access):
        raise PermissionDenied("Only the partnership's leaders may see its early warnings")
    return access


def get_partnership_for_lead(user, pk) -> Access:
    return get_partnership_for_user(user, pk, manage=True)


def get_trigger(access: Access, pk) -> Trigger:
    triggers = Trigger.objects.select_related("indicator", "organisation")
    return access.object_or_404(triggers, pk, "trigger")


def get_indicator(access: Access, pk) -> Indicator:
    return access.object_or_404(Indicator, pk, "indicator")


def can_change_status(access: Access, trigger: Trigger) -> bool:
    return access.can_manage or access.leads_school(trigger.organisation_id)
