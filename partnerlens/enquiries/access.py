"""The one place that decides which cycles a user may reach (see directory/access.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import can_manage
from partnerlens.enquiries.models import Cycle


def get_cycle_for_user(user, pk: int, *, manage: bool = False) -> Cycle:
    """A cycle in one of the user's partnerships; with manage=True, only for its leads.

    Cycles elsewhere are reported as not found, so their existence is not revealed.
    """
    try:
        cycle = (
            Cycle.objects.visible_to(user)
            .select_related("partnership", "framework_version__framework")
            .get(pk=pk)
        )
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cycle") from None
    if manage and not can_manage(user, cycle.partnership):
        raise PermissionDenied("Only the partnership lead or an administrator may do this")
    return cycle
