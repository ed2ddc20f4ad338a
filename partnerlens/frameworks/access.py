"""Which framework versions a user may reach, within a partnership they belong to.

A partnership sees the built-in frameworks and its own; another partnership's framework is
reported as not found (404) so its existence is not revealed. Changing a framework needs a
managing role in the owning partnership (403 otherwise); built-ins can never be changed.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partnerlens.directory.access import MANAGE, Access
from partnerlens.frameworks.models import FrameworkVersion


def get_framework_version_for_user(
    access: Access, version_pk, *, manage: bool = False
) -> FrameworkVersion:
    """The version if it is built-in or owned by the access's partnership.

    ``access`` comes from ``get_partnership_for_user`` (which checked membership). With
    ``manage=True`` the version must belong to the partnership and the user must be allowed
    to manage it.
    """
    partnership = access.partnership
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
        access.require(MANAGE)
    return version


def may_change(access: Access, version: FrameworkVersion) -> bool:
    """Whether the user may change this version's framework (its own partnership's, as lead)."""
    return access.can_manage and version.framework.owner_id == access.partnership.pk
