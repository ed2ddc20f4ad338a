"""Which framework versions a user may reach, within a partnership they belong to.

A partnership sees the built-in frameworks and its own; another partnership's framework is
reported as not found (404) so its existence is not revealed. Changing a framework needs a
managing role in the owning partnership (403 otherwise); built-ins can never be changed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import can_manage
from partnerlens.directory.models import Partnership
from partnerlens.frameworks.models import FrameworkVersion


def get_framework_version_for_user(
    user, partnership: Partnership, version_pk, *, manage: bool = False
) -> FrameworkVersion:
    """The version if it is built-in or owned by ``partnership``.

    ``partnership`` must come from ``get_partnership_for_user`` (which checked membership).
    With ``manage=True`` the version must belong to the partnership and the user must be
    allowed to manage it.
    """
    try:
        version = (
            FrameworkVersion.objects.available_to(partnership)
            .select_related("framework", "framework__based_on__framework")
            .get(pk=version_pk)
        )
    except (FrameworkVersion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such framework version") from None
    if manage:
        if version.framework.owner_id != partnership.pk:
            raise PermissionDenied("Built-in frameworks cannot be changed; flex one instead")
        if not can_manage(user, partnership):
            raise PermissionDenied("Only the partnership lead or an administrator may do this")
    return version
