"""Re-surveys ask only about ties that are new or have changed (issue 15, part 4).

A cycle whose lead chose ``relationships_asked = "changed"`` asks each person about a
partner only when, since the partnership's previous published cycle closed:

- the partner joined the partnership;
- a support relationship between the two organisations started or ended; or
- that cycle's results showed no level for the pair (nobody was asked, or too few answered
  to show it).

Every other pair keeps the level that cycle's release showed: the network's loader dates
a released level until the next published cycle that asked about the pair, so the latest
released level per pair is the one that stands.

The previous published cycle is the partnership's latest published cycle with a release
that closed on or before this cycle opened and whose framework asks about relationships.
Without one, everyone is asked about everyone. "Showed a level" means the pair's standing
level: what the latest such cycle that asked about the pair released, so after a re-survey
that left a pair alone the level shown before it still counts (a chain of re-surveys does
not ask everyone again). A released level is the first relationship question's pooled pair
level (``insights.analytics.maturity.relationship_levels`` over the aggregates, with the
release's group sizes), as the network loader reads them. The rule works on organisations
and released figures only, never on a person's earlier answers.

``register()`` hands ``changed_partners`` to ``enquiries.partners`` (the network app's
``ready()`` calls it). On a respondent's page it costs two queries: the cached reference
(Django's cache, which is the database) and one query for partners who joined and support
that started or ended since.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.core.cache import cache
from django.db.models import Case, Exists, F, OuterRef, Q, When

from partnerlens.brokerage.models import SupportRelationship
from partnerlens.directory.models import Membership
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.enquiries.partners import register_changed_partners
from partnerlens.frameworks.models import Question, QuestionKind
from partnerlens.insights.models import Release
from partnerlens.network.released import released

# A release never changes, but a later one (or another cycle published) may replace the
# reference; pages see that within this long.
CACHE_SECONDS = 300


def register() -> None:
    register_changed_partners(changed_partners)


def changed_partners(
    cycle: Cycle, organisation_id: int, partner_ids: Collection[int]
) -> set[int] | None:
    """Of ``partner_ids``, those whose tie with ``organisation_id`` is new or has changed
    since the previous published cycle; None when there is none to compare with."""
    reference = _reference(cycle)
    if reference is None:
        return None
    since = dt.date.fromisoformat(reference["closes_on"])
    shown = set(reference["shown"].get(str(organisation_id), ()))
    moved = _joined_or_supported_since(cycle.partnership_id, organisation_id, since)
    return {p for p in partner_ids if p not in shown or p in moved}


def _joined_or_supported_since(partnership_id: int, organisation_id: int, since: dt.date):
    """Partners who joined after ``since``, and organisations whose support relationship
    with ``organisation_id`` started or ended after it: one query."""
    joined = (
        Membership.objects.filter(partnership_id=partnership_id, joined__gt=since)
        .exclude(organisation_id=organisation_id)
        .values_list("organisation_id")
        .order_by()
    )
    supported = (
        SupportRelationship.objects.filter(partnership_id=partnership_id)
        .filter(Q(supporter_id=organisation_id) | Q(supported_id=organisation_id))
        .filter(Q(started_on__gt=since) | Q(ended_on__gt=since))
        .annotate(
            other=Case(
                When(supporter_id=organisation_id, then=F("supported_id")),
                default=F("supporter_id"),
            )
        )
        .values_list("other")
        .order_by()
    )
    return {pk for (pk,) in joined.union(supported)}


def cache_key(cycle: Cycle) -> str:
    return f"network:resurvey:{cycle.pk}"


def _reference(cycle: Cycle) -> dict | None:
    """The previous published cycle's close and the pairs its release showed a level for
    (``{"closes_on": iso, "shown": {org: [partners]}}``), cached; None without one."""
    key = cache_key(cycle)
    found = cache.get(key)
    if found is None:
        found = _compute_reference(cycle) or {}
        cache.set(key, found, CACHE_SECONDS)
    return found or None


def published_before(cycle: Cycle) -> list[Cycle]:
    """The partnership's published cycles with a release that closed by the time ``cycle``
    opened and ask about relationships, oldest close first."""
    relationship_question = Question.objects.filter(
        theme__version_id=OuterRef("framework_version_id"), kind=QuestionKind.RELATIONSHIP
    )
    return list(
        Cycle.objects.filter(
            partnership_id=cycle.partnership_id,
            state=CycleState.PUBLISHED,
            closes_on__lte=cycle.opens_on,
        )
        .exclude(pk=cycle.pk)
        .filter(Exists(Release.objects.filter(cycle_id=OuterRef("pk"))))
        .filter(Exists(relationship_question))
        .order_by("closes_on", "pk")
    )


def _compute_reference(cycle: Cycle) -> dict | None:
    earlier = published_before(cycle)
    if not earlier:
        return None
    # Each pair's standing: what the latest cycle that asked about it released (a level, or
    # none when too few answered), so a pair an earlier re-survey left alone keeps the level
    # shown before it.
    standing: dict[tuple[int, int], bool] = {}
    for asked, shown in _released_pairs(earlier):
        for pair in asked:
            standing[pair] = pair in shown
    settled: dict[str, list[int]] = defaultdict(list)
    for (a, b), has_level in sorted(standing.items()):
        if has_level:
            settled[str(a)].append(b)
            settled[str(b)].append(a)
    previous = earlier[-1]
    return {
        "cycle": previous.pk,
        "closes_on": previous.closes_on.isoformat(),
        "shown": dict(settled),
    }


def _released_pairs(cycles: list[Cycle]):
    """Per cycle, oldest first: the pairs (a < b) anyone answered about, and those its
    latest release showed a level for (``network.released``, as the loader reads them)."""
    for cycle in released(cycles):
        yield cycle.asked(), set(cycle.shown())
