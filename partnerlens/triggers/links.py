"""The link from a trigger to a new action in the partnership's plan (the actions app),
and the resolver that turns the link's ``?source=trigger&id=N`` back into a finding.

Actions sit below triggers in the layer stack, so triggers registers its resolver with
``actions.sources`` (in ``apps.py``) and names the actions URL; the resolver reads only
triggers of the partnership the action is being made in.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

ACTION_CREATE = "actions:action_create"
SOURCE = "trigger"


def action_link(trigger) -> str | None:
    try:
        path = reverse(ACTION_CREATE, args=[trigger.partnership_id])
    except NoReverseMatch:  # no actions app installed
        return None
    return f"{path}?source={SOURCE}&id={trigger.pk}"


def resolve_trigger(partnership, pk: int, ref: str):
    """The finding for one of the partnership's triggers, or None."""
    from partnerlens.actions.sources import Finding, member_school_ids
    from partnerlens.triggers.models import Trigger

    trigger = (
        Trigger.objects.select_related("indicator", "organisation")
        .filter(partnership=partnership, pk=pk)
        .first()
    )
    if trigger is None:
        return None
    members = set(member_school_ids(partnership))
    label = f"{trigger.indicator.label} · {trigger.organisation.name} · {trigger.period_now}"
    return Finding(
        kind=SOURCE,
        id=trigger.pk,
        label=label[:300],
        school_ids=(trigger.organisation_id,) if trigger.organisation_id in members else (),
    )


def register_resolver() -> None:
    from partnerlens.actions import sources

    sources.register(SOURCE, resolve_trigger)
