"""Which cycles' results a user may see (built on ``enquiries.access.get_cycle_for_user``).

Rule: results exist only for closed and published cycles. Every member of the partnership
sees a published cycle's results; a closed cycle's results are for its leads (partnership
lead, administrator) to check before publishing, so members get 403 there. Another
partnership's cycle is 404, as everywhere. Draft and open cycles have no results (404):
figures that moved as each answer arrived would give answers away.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import can_manage
from partnerlens.enquiries.access import get_cycle_for_user
from partnerlens.enquiries.models import Cycle, CycleState


def get_result_cycle_for_user(user, pk: int) -> Cycle:
    cycle = get_cycle_for_user(user, pk)
    if cycle.state == CycleState.PUBLISHED:
        return cycle
    if cycle.state == CycleState.CLOSED:
        if can_manage(user, cycle.partnership):
            return cycle
        raise PermissionDenied("Results are shared with everyone once the lead publishes them")
    raise Http404("This cycle has no results yet")
