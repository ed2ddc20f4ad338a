"""Who may see and run impact analyses; every impact view fetches its objects through here.

- The partnership lead and administrators (and superusers) register questions and run
  estimates (``RUN``).
- They, headteachers, senior leaders, governors, external advisers and brokers see the
  impact page, its families, registrations and estimates (``SEE``): people who lead or hold
  the schools to account. Teachers, support staff, parents, pupils and peer reviewers do not.
- Anyone else is refused as ``directory.access`` refuses: 404 outside the partnership, 403
  inside it without the role.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from partnerlens.directory.access import Access, get_partnership_for_user
from partnerlens.directory.models import MANAGING_ROLES, Role
from partnerlens.impact.models import ComparisonGroup, Estimate, Registration

RUN = MANAGING_ROLES
SEE = RUN | {
    Role.HEADTEACHER,
    Role.SENIOR_LEADER,
    Role.GOVERNOR,
    Role.EXTERNAL_ADVISER,
    Role.BROKER,
}


def can_see(access: Access) -> bool:
    return access.is_superuser or bool(access.roles & SEE)


def can_run(access: Access) -> bool:
    return access.is_superuser or bool(access.roles & RUN)


def get_partnership_for_impact(user, pk, *, run: bool = False) -> Access:
    """The user's access to the partnership, if they may see (or, with ``run``, run) its
    impact analyses: 404 outside it, 403 inside it without the role."""
    access = get_partnership_for_user(user, pk)
    if not can_see(access):
        raise PermissionDenied("Only the partnership's leaders and governors see impact")
    if run and not can_run(access):
        raise PermissionDenied("Only the partnership lead or an administrator may do this")
    return access


def get_registration(access: Access, pk) -> Registration:
    return access.object_or_404(Registration, pk, "registration")


def get_estimate(access: Access, pk) -> Estimate:
    return access.object_or_404(Estimate, pk, "estimate")


def get_group(access: Access, pk) -> ComparisonGroup:
    return access.object_or_404(ComparisonGroup, pk, "comparison group")
