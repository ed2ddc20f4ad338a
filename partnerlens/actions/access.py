"""Who may do what in actions; every actions view fetches its objects through here.

- Everyone with a current role in the partnership sees its action plan, the evidence log
  (and downloads its files), activities and the benefits register.
- The partnership lead and administrators (``Access.can_manage``) create and change
  actions, add evidence, activities and benefits, and change their wording.
- An action's owner may add updates to it, and evidence tagged to it, and change the wording
  of evidence tagged to it (whoever may add a record may correct its words).

As everywhere (directory.access): another partnership's object is "not found" (404); a
partnership the user belongs to but may not change in the way asked is "forbidden" (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from partnerlens.actions.models import Action, Activity, Benefit, EvidenceItem
from partnerlens.directory.access import Access


def get_action_for_user(access: Access, pk) -> Action:
    """An action of the access's partnership, for any of its people."""
    return access.object_or_404(Action.objects.select_related("owner"), pk, "action")


def get_evidence_for_user(access: Access, pk) -> EvidenceItem:
    return access.object_or_404(EvidenceItem, pk, "evidence")


def get_activity_for_user(access: Access, pk) -> Activity:
    return access.object_or_404(Activity, pk, "activity")


def get_benefit_for_user(access: Access, pk) -> Benefit:
    return access.object_or_404(Benefit, pk, "benefit")


def owns(access: Access, action: Action) -> bool:
    return action.owner_id is not None and action.owner_id == getattr(access.user, "pk", None)


def can_update(access: Access, action: Action) -> bool:
    """The lead, an administrator, or the action's owner may add updates and evidence."""
    return access.can_manage or owns(access, action)


def require_update(access: Access, action: Action) -> Action:
    if not can_update(access, action):
        raise PermissionDenied("Only the partnership lead or the action's owner may do this")
    return action


def may_add_evidence(access: Access) -> bool:
    """Leads add evidence anywhere; owners add it to their own actions (the form offers
    only those)."""
    return (
        access.can_manage
        or Action.objects.filter(partnership=access.partnership, owner_id=access.user.pk).exists()
    )


def may_change_evidence(access: Access, item: EvidenceItem) -> bool:
    """Leads change any evidence's wording; an owner, that of evidence tagged to one of their
    actions (``item.actions`` prefetched on lists, so a page asks once)."""
    return access.can_manage or any(owns(access, action) for action in item.actions.all())


def require_change_evidence(access: Access, item: EvidenceItem) -> EvidenceItem:
    if not may_change_evidence(access, item):
        raise PermissionDenied("Only the partnership lead or an action's owner may do this")
    return item
