"""Everything a cycle's dashboard reads from the database, as the engine's frames.

``load_cycle`` is the only function here that a view calls: a fixed number of queries
(about 20, independent of the number of respondents, themes or organisations; pinned in
``tests/test_views.py``) that returns a ``CycleFrames`` holding plain pandas frames and
dicts. ``insights.dashboard`` turns that into what the page, the PDF and the exports show,
without touching the database.

Where a loader of ``insights.loaders`` exists it is used. The thin readers below fill the
gaps until the storage layer has them (see each docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Count, Max, Min, Q

from partnerlens.directory.access import Access
from partnerlens.directory.models import Membership, Organisation
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.enquiries.summaries import completed_count
from partnerlens.frameworks.models import (
    SCORED_KINDS,
    FrameworkVersion,
    Question,
    QuestionKind,
    Theme,
)
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.loaders.answers import comments_frame
from partnerlens.insights.loaders.question_stats import relationship_frame
from partnerlens.insights.loaders.questions import themes_frame
from partnerlens.insights.loaders.theme_scores import theme_scores_frame
from partnerlens.insights.models import InsightSettings, Release

# Built-in framework slugs whose special views the dashboard adds.
MATURITY_FRAMEWORK = "self-improving-system"
DEEP_TIGHT_FRAMEWORK = "deep-and-tight"
# The deep x tight axes: the built-in framework calls its dimensions "depth" and "tightness";
# the engine's default names ("deep", "tight") are accepted too.
DEEP_DIMENSIONS = ("depth", "deep")
TIGHT_DIMENSIONS = ("tightness", "tight")
# Results exist once a cycle stops taking answers. Leads see them when it closes (to check
# before publishing); everyone in the partnership once it is published. Open cycles never
# show results: figures that change as each answer arrives would give answers away.
RESULT_STATES = (CycleState.CLOSED, CycleState.PUBLISHED)


@dataclass(frozen=True)
class TypedText:
    """A question's text in both languages; each language's page picks with ``localised``."""

    text_en: str
    text_cy: str = ""


@dataclass(frozen=True)
class CycleFrames:
    """The frames one cycle's dashboard needs (pure data: no models, no querysets)."""

    cycle_id: int
    cycle_title: str
    partnership_id: int
    partnership_name: str
    partnership_kind: str
    framework_slug: str  # the built-in lineage it comes from ("" for a partnership's own)
    themes: pd.DataFrame  # themes_frame of the cycle's version
    history: pd.DataFrame  # respondent theme scores (answers-frame shape), lineage cycles
    cycles: pd.DataFrame  # cycle_id, order, label, label_cy: the lineage cycles up to this one
    # Relationship answers of this cycle (answers-frame shape, one row per valued answer about
    # a partner: see ``relationship_frame``), the questions (key -> text in both languages)
    # and how many people gave each question a value.
    relationships: pd.DataFrame
    relationship_questions: dict[str, TypedText]
    comments: pd.DataFrame  # comments_frame of this cycle
    organisations: dict[int, str]  # member organisation id -> name
    invited: int
    completed: int
    settings: InsightSettings
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)  # benchmarking "others"
    relationship_respondents: dict[str, int] = field(default_factory=dict)
    # People invited per organisation (``NO_ORGANISATION`` for none) and role, from the
    # Invitee rows (known to the lead in every mode): organisation_id, role, invited.
    invited_by: pd.DataFrame = field(default_factory=pd.DataFrame)
    # What each lineage cycle's version asked per theme (``lineage_questions``), so trends
    # do not compare a theme whose questions changed between versions. Empty: one version.
    questions: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The Welsh beside ``cycle_title`` and ``partnership_name`` (blank: none), so each
    # language's page and downloads name them in that language (``core.bilingual``).
    cycle_title_cy: str = ""
    partnership_name_cy: str = ""

    @property
    def answers(self) -> pd.DataFrame:
        """This cycle's respondent theme scores."""
        return self.history[self.history["cycle_id"] == self.cycle_id].reset_index(drop=True)


def result_cycle_states(access: Access) -> tuple[str, ...]:
    """The cycle states whose results this user may see in the access's partnership."""
    if access.can_manage:
        return RESULT_STATES
    return (CycleState.PUBLISHED,)


def framework_slug(cycle: Cycle) -> str:
    """The built-in framework a cycle's framework is (or was flexed from), else its own slug."""
    framework = cycle.framework_version.framework
    if framework.owner_id is None:
        return framework.slug
    if framework.based_on_id is not None:
        based_on = (
            FrameworkVersion.objects.filter(pk=framework.based_on_id)
            .values_list("framework__slug", "framework__owner_id")
            .first()
        )
        if based_on and based_on[1] is None:
            return based_on[0]
    return ""


def lineage_cycles(cycle: Cycle, states: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(cycle id, framework version id, title) of the partnership's cycles on the same
    framework, in time order, up to and including ``cycle``."""
    rows = (
        Cycle.objects.filter(
            partnership_id=cycle.partnership_id,
            framework_version__framework_id=cycle.framework_version.framework_id,
            state__in=states,
        )
        .filter(Q(opens_on__lt=cycle.opens_on) | Q(opens_on=cycle.opens_on, pk__lte=cycle.pk))
        .order_by("opens_on", "pk")
        .values_list("pk", "framework_version_id", "title")
    )
    found = list(rows)
    if cycle.pk not in {row[0] for row in found}:
        found.append((cycle.pk, cycle.framework_version_id, cycle.title))
    return found


def theme_scores_for(
    cycle_rows: list[tuple[int, int, str]], members: dict[int, list[str]] | None = None
) -> pd.DataFrame:
    """Respondents' theme scores for several cycles, whatever their framework versions.

    One query for the themes of every version (the key links them across versions) and one
    for the stored scores (``loaders.theme_scores``). ``members``: for the cycles it
    names, only these responses count (an earlier cycle's latest release: trends use what
    was released, never responses that came later).
    """
    version_ids = sorted({version for _cycle, version, _title in cycle_rows})
    themes = pd.DataFrame(
        list(
            Theme.objects.filter(version_id__in=version_ids).values_list("pk", "key", "dimension")
        ),
        columns=["theme_id", "theme_key", "dimension"],
    )
    cycle_ids = [c for c, _v, _t in cycle_rows]
    link = len(cycle_ids) > 1  # pair people across cycles (trends) where the mode allows
    return theme_scores_frame(cycle_ids, themes, link=link, members=members)


def relationships_of(cycle: Cycle) -> tuple[pd.DataFrame, dict[str, str], dict[str, int]]:
    """The cycle's relationship answers from the aggregates (``relationship_frame``),
    the questions (key -> text, in page order) and how many people answered each."""
    questions = list(
        Question.objects.filter(
            theme__version_id=cycle.framework_version_id, kind=QuestionKind.RELATIONSHIP
        )
        .select_related("theme")
        .order_by("theme__order", "order", "pk")
    )
    frame, respondents = relationship_frame(
        cycle,
        pd.DataFrame(
            [(q.pk, q.key, q.theme.key) for q in questions],
            columns=["question_id", "question_key", "theme_key"],
        ),
    )
    return frame, {q.key: TypedText(q.text_en, q.text_cy) for q in questions}, respondents


def benchmark_others(cycle: Cycle, partnership_kind: str) -> pd.DataFrame:
    """Theme scores of other partnerships of the same kind that agreed to share, from the
    latest release of each one's latest published cycle on the same framework: the
    ``others`` frame of ``analytics.benchmarking`` (never shown as such: the engine returns
    quartiles only)."""
    sharing = InsightSettings.objects.filter(
        share_benchmarks=True, partnership__kind=partnership_kind
    ).exclude(partnership_id=cycle.partnership_id)
    latest: dict[int, int] = {}
    for pk, partnership_id in (
        Cycle.objects.filter(
            partnership_id__in=sharing.values("partnership_id"),
            state=CycleState.PUBLISHED,
            framework_version__framework_id=cycle.framework_version.framework_id,
        )
        .order_by("partnership_id", "-opens_on", "-pk")
        .values_list("pk", "partnership_id")
    ):
        latest.setdefault(partnership_id, pk)
    columns = ["partnership_id", "partnership_kind", "shares", "theme_key", "mean", "n"]
    if not latest:
        return pd.DataFrame(columns=columns)
    # Each one's figures as its own latest release published them (under its own k), never
    # the live aggregates: responses no release counted must not reach anyone else's page.
    newest: dict[int, int] = {}
    for pk, cycle_id in (
        Release.objects.filter(cycle_id__in=list(latest.values()))
        .order_by("cycle_id", "-number")
        .values_list("pk", "cycle_id")
    ):
        newest.setdefault(cycle_id, pk)
    partnership_of = {cycle_id: p for p, cycle_id in latest.items()}
    rows = []
    for cycle_id, tables in Release.objects.filter(pk__in=list(newest.values())).values_list(
        "cycle_id", "tables"
    ):
        for row in tables.get("theme", []):
            if row.get("group") != "partnership" or row.get("suppressed"):
                continue
            if row.get("mean") is None or not row.get("n"):
                continue
            rows.append(
                (partnership_of[cycle_id], row["theme_key"], float(row["mean"]), int(row["n"]))
            )
    if not rows:
        return pd.DataFrame(columns=columns)
    found = pd.DataFrame(rows, columns=["partnership_id", "theme_key", "mean", "n"])
    return pd.DataFrame(
        {
            "partnership_id": found["partnership_id"].to_numpy(),
            "partnership_kind": partnership_kind,
            "shares": True,
            "theme_key": found["theme_key"].to_numpy(),
            "mean": found["mean"].to_numpy(dtype=float),
            "n": found["n"].to_numpy(dtype=np.int64),
        }
    )


def lineage_questions(lineage: list[tuple[int, int, str]]) -> pd.DataFrame:
    """cycle_id, theme_key, question_key, kind, scale_min, scale_max: the scored questions
    each lineage cycle's version asked (``analytics.trends.question_sets``). One query, and
    none when every cycle ran on the same version (nothing can have changed)."""
    columns = ["cycle_id", "theme_key", "question_key", "kind", "scale_min", "scale_max"]
    versions = {version for _cycle, version, _title in lineage}
    if len(versions) < 2:
        return pd.DataFrame(columns=columns)
    asked = pd.DataFrame(
        list(
            Question.objects.filter(theme__version_id__in=versions, kind__in=list(SCORED_KINDS))
            .annotate(low=Min("options__score"), high=Max("options__score"))
            .values_list("theme__version_id", "theme__key", "key", "kind", "low", "high")
        ),
        columns=["version_id", *columns[1:]],
    )
    cycles = pd.DataFrame([(c, v) for c, v, _t in lineage], columns=["cycle_id", "version_id"])
    return cycles.merge(asked, on="version_id")[columns]


def released_members(cycle_ids: list[int]) -> dict[int, list[str]]:
    """The response ids of each cycle's latest release (cycles without one are left out)."""
    latest: dict[int, list[str]] = {}
    for cycle_id, members in (
        Release.objects.filter(cycle_id__in=cycle_ids)
        .order_by("cycle_id", "-number")
        .values_list("cycle_id", "members")
    ):
        latest.setdefault(cycle_id, members)
    return latest


def load_cycle(
    cycle: Cycle, states: tuple[str, ...] = RESULT_STATES, *, released: bool = False
) -> CycleFrames:
    """Read a cycle's results and what surrounds them (lineage, partners, benchmarks).

    ``states``: which of the lineage's earlier cycles count for trends (members see only
    published ones; see ``result_cycle_states``). ``released``: earlier cycles count only
    with the responses of their latest release, and not at all without one (how a release
    is built: trends never show what no release showed).
    """
    partnership = cycle.partnership
    settings = InsightSettings.for_partnership(partnership)
    themes = themes_frame(cycle.framework_version_id)
    lineage = lineage_cycles(cycle, states)
    members = None
    if released:
        members = released_members([pk for pk, _v, _t in lineage if pk != cycle.pk])
        lineage = [row for row in lineage if row[0] == cycle.pk or row[0] in members]
    history = theme_scores_for(lineage, members)
    questions = lineage_questions(lineage)
    welsh = dict(
        Cycle.objects.filter(pk__in=[pk for pk, _v, _t in lineage]).values_list("pk", "title_cy")
    )
    cycles = pd.DataFrame(
        [(pk, order, title, welsh.get(pk, "")) for order, (pk, _v, title) in enumerate(lineage)],
        columns=["cycle_id", "order", "label", "label_cy"],
    )
    relationships, relationship_questions, relationship_respondents = relationships_of(cycle)
    organisations = dict(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(partnership=partnership).values("organisation_id")
        ).values_list("pk", "name")
    )
    invitees = cycle.invitees.all()
    invited_by = pd.DataFrame(
        list(
            invitees.order_by().values_list("organisation_id", "role").annotate(invited=Count("pk"))
        ),
        columns=["organisation_id", "role", "invited"],
    )
    invited_by["organisation_id"] = invited_by["organisation_id"].fillna(NO_ORGANISATION)
    invited_by = invited_by.astype({"organisation_id": "int64", "invited": "int64"})
    invited = int(invited_by["invited"].sum())
    completed = completed_count(cycle)
    peers = (
        benchmark_others(cycle, partnership.kind) if settings.share_benchmarks else pd.DataFrame()
    )
    return CycleFrames(
        cycle_id=cycle.pk,
        cycle_title=cycle.title,
        cycle_title_cy=cycle.title_cy,
        partnership_id=partnership.pk,
        partnership_name=partnership.name,
        partnership_name_cy=partnership.name_cy,
        partnership_kind=partnership.kind,
        framework_slug=framework_slug(cycle),
        themes=themes,
        history=history,
        cycles=cycles,
        relationships=relationships,
        relationship_questions=relationship_questions,
        comments=comments_frame(cycle),
        organisations=organisations,
        invited=invited,
        completed=completed,
        invited_by=invited_by,
        settings=settings,
        peers=peers,
        questions=questions,
        relationship_respondents=relationship_respondents,
    )
