"""The one place that decides who may reach a partnership and what they may do in it.

A view asks once per request. ``get_partnership_for_user(user, pk)`` (or an app's helper
built on ``get_access``, such as ``enquiries.access.get_cycle_for_user``) returns an
``Access``: the partnership, the user's current roles in it and the member schools they
lead, all read in one query. Every rule is answered from that object in memory, and the
apps' own access helpers take it instead of asking the database again.

An object outside the user's partnerships is reported as not found (404), never as
forbidden, so its existence is not revealed; a partnership the user belongs to but may not
change in the way asked is forbidden (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.models import MANAGING_ROLES, Partnership, PartnershipRole, Role

# Capabilities, and the roles that grant each. A superuser holds every capability.
MANAGE = "manage"  # change the partnership: details, members, people, cycles, frameworks
BROKER = "broker"  # see need profiles, run scenarios, decide on proposals, end support
BROKERING_ROLES = frozenset({Role.BROKER, Role.PARTNERSHIP_LEAD, Role.ADMINISTRATOR})
# A role naming a member school with one of these lets its holder speak for that school
# (record its offer of support, note progress on its support relationships).
SCHOOL_LEAD_ROLES = frozenset({Role.HEADTEACHER, Role.SENIOR_LEADER})


@dataclass(frozen=True)
class Access:
    """What one user may do in one partnership, decided from one read of their roles."""

    user: Any
    partnership: Partnership
    roles: frozenset[str]
    led_school_ids: frozenset[int]  # member schools named by the user's school-lead roles

    RULES: ClassVar[dict[str, frozenset[str]]] = {
        MANAGE: MANAGING_ROLES,
        BROKER: BROKERING_ROLES,
    }
    REFUSALS: ClassVar[dict[str, str]] = {
        MANAGE: "Only the partnership lead or an administrator may do this",
        BROKER: "Only a broker, partnership lead or administrator may do this",
    }

    @classmethod
    def from_roles(cls, user, partnership: Partnership, rows) -> Access:
        """From the user's current ``PartnershipRole`` rows in the partnership."""
        return cls(
            user=user,
            partnership=partnership,
            roles=frozenset(row.role for row in rows),
            led_school_ids=frozenset(
                row.organisation_id
                for row in rows
                if row.role in SCHOOL_LEAD_ROLES and row.organisation_id is not None
            ),
        )

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    def has(self, capability: str) -> bool:
        return self.is_superuser or bool(self.roles & self.RULES[capability])

    def require(self, capability: str) -> Access:
        """This access, if it holds the capability; PermissionDenied (403) otherwise."""
        if not self.has(capability):
            raise PermissionDenied(self.REFUSALS[capability])
        return self

    @property
    def can_manage(self) -> bool:
        return self.has(MANAGE)

    @property
    def can_broker(self) -> bool:
        return self.has(BROKER)

    def leads_school(self, organisation_id) -> bool:
        return organisation_id in self.led_school_ids

    def object_or_404(self, objects, pk, label: str):
        """Object ``pk`` of this partnership from ``objects`` (a model, or a queryset of a
        model with a ``partnership`` field); another partnership's, or none, is not found."""
        queryset = objects._default_manager.all() if isinstance(objects, type) else objects
        try:
            return queryset.get(partnership=self.partnership, pk=pk)
        except (queryset.model.DoesNotExist, ValueError, TypeError):
            raise Http404(f"No such {label}") from None


def _current_roles(user):
    return PartnershipRole.objects.current().filter(user=user).order_by()


def get_partnership_for_user(user, pk, *, manage: bool = False) -> Access:
    """The user's access to partnership ``pk``, if they hold a current role in it (404
    otherwise); with ``manage=True``, only for its lead or an administrator (403)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such partnership")
    try:
        rows = list(_current_roles(user).filter(partnership_id=pk).select_related("partnership"))
        if rows:
            partnership = rows[0].partnership
        elif user.is_superuser:
            partnership = Partnership.objects.get(pk=pk)
        else:
            raise Partnership.DoesNotExist
    except (Partnership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such partnership") from None
    access = Access.from_roles(user, partnership, rows)
    return access.require(MANAGE) if manage else access


def get_access(user, partnership: Partnership) -> Access:
    """The user's access to a partnership already in hand (reached through one of its
    objects, such as a cycle): one query for the roles, 404 if the user holds none."""
    rows = (
        list(_current_roles(user).filter(partnership=partnership)) if user.is_authenticated else []
    )
    if not rows and not user.is_superuser:
        raise Http404("No such partnership")
    return Access.from_roles(user, partnership, rows)
