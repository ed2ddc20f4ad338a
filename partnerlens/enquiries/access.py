"""The one place that decides which cycles a user may reach (see directory/access.py)."""

from __future__ import annotations

from django.http import Http404

from partnerlens.directory.access import MANAGE, Access, get_access
from partnerlens.enquiries.models import Cycle


def get_cycle_for_user(user, pk, *, manage: bool = False) -> tuple[Cycle, Access]:
    """A cycle in one of the user's partnerships, with the user's access to that partnership;
    with ``manage=True``, only for its leads (403 for other members).

    Cycles elsewhere are reported as not found, so their existence is not revealed.
    """
    try:
        cycle = Cycle.objects.select_related("partnership", "framework_version__framework").get(
            pk=pk
        )
    except (Cycle.DoesNotExist, ValueError, TypeError):
        raise Http404("No such cycle") from None
    access = get_access(user, cycle.partnership)
    return cycle, access.require(MANAGE) if manage else access
