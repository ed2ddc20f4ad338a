"""Which cycles' results a user may see (built on ``enquiries.access.get_cycle_for_user``).

Rule: results exist only for closed and published cycles. Every member of the partnership
sees a published cycle's results; a closed cycle's results are for its leads (partnership
lead, administrator) to check before publishing, so members get 403 there. Another
partnership's cycle is 404, as everywhere. Draft and open cycles have no results (404):
figures that moved as each answer arrived would give answers away.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import Access
from partnerlens.enquiries.access import get_cycle_for_user
from partnerlens.enquiries.models import Cycle, CycleState


def get_result_cycle_for_user(user, pk) -> tuple[Cycle, Access]:
    """The cycle, if the user may see its results now, with their access to its partnership."""
    cycle, access = get_cycle_for_user(user, pk)
    if cycle.state == CycleState.PUBLISHED:
        return cycle, access
    if cycle.state == CycleState.CLOSED:
        if access.can_manage:
            return cycle, access
        raise PermissionDenied("Results are shared with everyone once the lead publishes them")
    raise Http404("This cycle has no results yet")


@dataclass(frozen=True)
class Withheld:
    """For the lead: the cycle has responses its latest release does not count, because
    they changed the partnership by fewer than k people (message code ``too_few_changed``),
    because the latest build was withheld by the disclosure audit (``audit_failed``), or
    because no release exists yet (``no_release``)."""

    code: str
    k: int


def withheld(cycle: Cycle, release, job=None) -> Withheld | None:
    """Why the cycle's results differ from its responses, if they do (one count query).
    ``job``: the cycle's ``ReleaseJob``, whose outcome tells an audit that withheld the
    latest build (``releases.AUDIT_FAILED``) from a release that was never asked for."""
    from partnerlens.enquiries.models import Response
    from partnerlens.insights.models import InsightSettings
    from partnerlens.insights.releases import AUDIT_FAILED

    if job is not None and job.outcome == AUDIT_FAILED:
        settings = InsightSettings.for_partnership(cycle.partnership)
        return Withheld(AUDIT_FAILED, release.k if release else settings.min_group_size)
    submitted = Response.objects.submitted().for_cycle(cycle).count()
    if release is None:
        if not submitted:
            return None
        k = InsightSettings.for_partnership(cycle.partnership).min_group_size
        return Withheld("no_release", k)
    if submitted == release.respondents:
        return None
    return Withheld("too_few_changed", release.k)
