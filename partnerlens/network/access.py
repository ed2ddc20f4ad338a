"""Who may see a partnership's network, and who may ask for it to be worked out again.

- Its lead and administrators, its brokers, the leaders of member schools (headteacher,
  senior leader), governors and external advisers see the network (the picture, the isolated
  schools, each organisation's ties, the ties the two sides rate differently): the same
  readers as the early warnings (``triggers.access.SEEING_ROLES``).
- Those who manage or broker the partnership may ask for a fresh snapshot.
- Anyone else in the partnership is refused (403); outside it, nothing exists (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from partnerlens.directory.access import Access, get_partnership_for_user
from partnerlens.triggers.access import SEEING_ROLES


def can_see(access: Access) -> bool:
    return access.is_superuser or bool(access.roles & SEEING_ROLES)


def can_refresh(access: Access) -> bool:
    return access.can_manage or access.can_broker


def get_partnership_for_network(user, pk, *, refresh: bool = False) -> Access:
    """The user's access, if they may see the partnership's network (``refresh=True``: and
    ask for it again); 404 outside the partnership, 403 inside it without the role."""
    access = get_partnership_for_user(user, pk)
    if not can_see(access):
        raise PermissionDenied("Only the partnership's leaders may see its network")
    if refresh and not can_refresh(access):
        raise PermissionDenied("Only a broker, partnership lead or administrator may do this")
    return access
