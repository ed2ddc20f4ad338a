"""Who may use the privacy pages, and over which partnerships.

A superuser (the site admin) sees every partnership and may erase; a partnership's lead
or administrator (its data-protection contact) may export what is held about a person
within the partnerships they manage, and nothing else. Anyone else is told the page does
not exist (404), as elsewhere.
"""

from __future__ import annotations

from django.http import Http404

from partnerlens.directory.models import MANAGING_ROLES, PartnershipRole


def export_scope(user) -> list[int] | None:
    """The partnership ids ``user`` may export from; None means every one (site admin)."""
    if user.is_superuser:
        return None
    ids = sorted(
        set(
            PartnershipRole.objects.current()
            .filter(user=user, role__in=MANAGING_ROLES)
            .values_list("partnership_id", flat=True)
        )
    )
    if not ids:
        raise Http404
    return ids


def require_site_admin(user) -> None:
    if not user.is_superuser:
        raise Http404
