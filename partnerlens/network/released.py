"""The relationship levels a partnership's published cycles released: the one reading that
the network's loader (ties) and the re-survey rule (which pairs still stand) share.

For each cycle, the answers to its framework's first relationship question (how the
relationship stands now; later ones ask where it should be, which is not a tie), rebuilt
from the aggregates (``insights.loaders.question_stats.relationship_frame``), and the pooled
pair levels ``insights.analytics.maturity.relationship_levels`` gives them with the cycle's
latest release's group sizes, not counting open-link respondents towards a group. Only
answers by someone speaking for one organisation about another count.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
from django.db.models import Count
from django.utils import timezone

from partnerlens.enquiries.models import Channel, Cycle, Response, ResponseState
from partnerlens.frameworks.models import Question, QuestionKind
from partnerlens.insights.analytics import maturity
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.loaders.question_stats import relationship_frame
from partnerlens.insights.models import Release


@dataclass(frozen=True)
class Released:
    cycle: Cycle
    first_released: dt.date  # the day of its first release
    policy: SuppressionPolicy  # its latest release's group sizes
    open_link: int  # submitted open-link responses: none may complete a group
    answers: pd.DataFrame  # one row per valued answer about a partner (relationship_frame)
    levels: pd.DataFrame  # relationship_levels: organisation_a < organisation_b, suppressed …

    def shown(self) -> dict[tuple[int, int], int]:
        """The pairs (a < b) the release shows a level for, with that level."""
        return {
            (int(row.organisation_a), int(row.organisation_b)): int(row.level)
            for row in self.levels.itertuples(index=False)
            if not row.suppressed
        }

    def asked(self) -> set[tuple[int, int]]:
        """The pairs (a < b) anyone answered about, shown or not."""
        return {
            (int(row.organisation_a), int(row.organisation_b))
            for row in self.levels.itertuples(index=False)
        }


def released(cycles: list[Cycle]) -> Iterator[Released]:
    """For each of ``cycles`` (published, with a release) whose framework asks about
    relationships, in the order given: what its release shows. A fixed number of queries,
    plus one per cycle."""
    if not cycles:
        return
    policies: dict[int, SuppressionPolicy] = {}
    first_released: dict[int, dt.date] = {}
    for cycle_id, k, parent_k, created_at in (
        Release.objects.filter(cycle__in=cycles)
        .order_by("cycle_id", "number")
        .values_list("cycle_id", "k", "parent_k", "created_at")
    ):
        policies[cycle_id] = SuppressionPolicy(k=k, role_k={"parent": parent_k})  # latest wins
        first_released.setdefault(cycle_id, timezone.localdate(created_at))
    first: dict[int, tuple[int, str, str]] = {}
    for version, pk, key, theme in (
        Question.objects.filter(
            theme__version_id__in={c.framework_version_id for c in cycles},
            kind=QuestionKind.RELATIONSHIP,
        )
        .order_by("theme__order", "order", "pk")
        .values_list("theme__version_id", "pk", "key", "theme__key")
    ):
        first.setdefault(version, (pk, key, theme))
    open_links = defaultdict(
        int,
        Response.objects.filter(
            cycle__in=cycles, channel=Channel.OPEN_LINK, state=ResponseState.SUBMITTED
        )
        .order_by()
        .values("cycle_id")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "n"),
    )
    for cycle in cycles:  # one query each: a partnership publishes a few cycles a year
        question = first.get(cycle.framework_version_id)
        if question is None or cycle.pk not in policies:
            continue
        frame, _respondents = relationship_frame(
            cycle, pd.DataFrame([question], columns=["question_id", "question_key", "theme_key"])
        )
        if len(frame):
            own = frame["organisation_id"].astype("int64")
            about = frame["about_organisation_id"].astype("int64")
            frame = frame[(own != NO_ORGANISATION) & (own != about)]
        policy, open_link = policies[cycle.pk], open_links[cycle.pk]
        yield Released(
            cycle=cycle,
            first_released=first_released[cycle.pk],
            policy=policy,
            open_link=open_link,
            answers=frame,
            levels=maturity.relationship_levels(frame, policy, open_link=open_link),
        )
