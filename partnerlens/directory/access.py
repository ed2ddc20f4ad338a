"""The one place that decides which partnership objects a user may reach.

Every view, API endpoint and export fetches partnership-scoped objects through these
helpers, so tenant scoping cannot be forgotten. An object outside the user's partnerships
is reported as not found (404), never as forbidden, so its existence is not revealed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.models import MANAGING_ROLES, Partnership, PartnershipRole


def roles_of(user, partnership: Partnership) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        PartnershipRole.objects.current()
        .filter(partnership=partnership, user=user)
        .values_list("role", flat=True)
    )


def can_manage(user, partnership: Partnership) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user, partnership) & MANAGING_ROLES)


def get_partnership_for_user(user, pk: int, *, manage: bool = False) -> Partnership:
    """The partnership if the user holds a current role in it; with manage=True, a lead role."""
    try:
        partnership = Partnership.objects.visible_to(user).get(pk=pk)
    except (Partnership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such partnership") from None
    if manage and not can_manage(user, partnership):
        raise PermissionDenied("Only the partnership lead or an administrator may do this")
    return partnership
