"""The finding an action is made from: read from the "Create an action" link's query
(``?source=<kind>&id=<id>&ref=<key>``), checked against the partnership, and turned into
what the new action's form starts with (its source, label, schools and success measure).

Theme, gap and priority findings are in an insights release of the partnership (the id is
the release's, ``ref`` a theme key or a dashboard section key); an impact result is one of
its impact estimates (read here: impact sits below actions). Triggers sit above actions, so
the triggers app ``register``s its resolver (``resolver(partnership, id, ref) -> Finding |
None``, its label in the active language); a kind without one takes the link's own
``label`` and ``schools``, checked against the partnership's members.

The action keeps the finding's name in both languages, as it was when the action was made:
``resolve`` asks again with the other language active (theme and cycle titles through
``localised``, measure names through the translated ``measure_name``), so a Welsh reader of
an action an English-speaking lead made still reads the Welsh name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.utils import translation

from partnerlens.actions.codes import RELEASE_SOURCES, SourceKind
from partnerlens.core.bilingual import ENGLISH, WELSH, localised, welsh_active
from partnerlens.directory.models import OrganisationKind, Partnership
from partnerlens.enquiries.models import CycleState
from partnerlens.frameworks.models import Theme
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.models.estimates import Estimate
from partnerlens.impact.panel import own_measure_names
from partnerlens.insights.models import Release

LABEL_LENGTH = 300


@dataclass(frozen=True)
class Finding:
    kind: str
    id: int | None
    ref: str = ""
    label: str = ""  # English (``label_cy``: Welsh; blank where it would be the same words)
    label_cy: str = ""
    school_ids: tuple[int, ...] = ()
    theme_key: str = ""  # a theme the finding is about: the success measure starts there
    measure: str = ""  # an outcome measure it is about (an impact result's)
    themes: tuple[tuple[str, str], ...] = field(default=())  # (key, title) to choose from

    @property
    def kind_label(self) -> str:
        return str(SourceKind(self.kind).label)


Resolver = Callable[[Partnership, int, str], "Finding | None"]
_resolvers: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    _resolvers[kind] = resolver


def member_school_ids(partnership: Partnership) -> list[int]:
    return list(
        partnership.memberships.current()
        .filter(organisation__kind=OrganisationKind.SCHOOL)
        .values_list("organisation_id", flat=True)
    )


def release_themes(release: Release) -> list[tuple[str, str]]:
    """The themes of a release's framework: (key, title in the reader's language)."""
    themes = Theme.objects.filter(version_id=release.cycle.framework_version_id).order_by(
        "order", "pk"
    )
    return [(theme.key, localised(theme, "title")) for theme in themes]


def _from_release(partnership: Partnership, kind: str, pk: int, ref: str) -> Finding | None:
    release = (
        Release.objects.light()
        .select_related("cycle")
        .filter(
            pk=pk,
            cycle__partnership=partnership,
            cycle__state__in=(CycleState.CLOSED, CycleState.PUBLISHED),
        )
        .first()
    )
    if release is None:
        return None
    cycle = release.cycle
    themes = release_themes(release)
    titles = dict(themes)
    theme_key = ref if ref in titles else ""
    # Names as typed, never sentences: the page says what kind of finding it was.
    title = localised(cycle, "title")
    label = f"{titles[theme_key]} · {title}" if theme_key else title
    members = set(member_school_ids(partnership))
    asked = set(cycle.audience_organisations.values_list("pk", flat=True)) & members
    return Finding(
        kind=kind,
        id=release.pk,
        ref=ref[:80],
        label=label[:LABEL_LENGTH],
        school_ids=tuple(sorted(asked or members)),
        theme_key=theme_key,
        themes=tuple(themes),
    )


def _from_impact(partnership: Partnership, pk: int, ref: str) -> Finding | None:
    """An impact estimate of the partnership: its measure, start year and schools."""
    estimate = Estimate.objects.filter(partnership=partnership, pk=pk).first()
    if estimate is None:
        return None
    own = own_measure_names(partnership)
    year = f"{estimate.start_year}-{(estimate.start_year + 1) % 100:02d}"
    members = set(member_school_ids(partnership))
    return Finding(
        kind=SourceKind.IMPACT,
        id=estimate.pk,
        ref=ref[:80],
        label=f"{measure_name(estimate.measure, own)} · {year}"[:LABEL_LENGTH],
        school_ids=tuple(sorted(set(estimate.schools or []) & members)),
        measure=estimate.measure,
    )


register(SourceKind.IMPACT, _from_impact)


def _as_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def resolve(partnership: Partnership, query) -> Finding | None:
    """The finding a query names, if it is one of this partnership's; None otherwise. Its
    ``label`` is English and ``label_cy`` Welsh; the rest (the themes offered) is in the
    reader's language."""
    finding = _resolve(partnership, query)
    if finding is None:
        return None
    other = ENGLISH if welsh_active() else WELSH
    with translation.override(other):
        again = _resolve(partnership, query)
    other_label = again.label if again is not None else ""
    english, welsh = (
        (other_label, finding.label) if other == ENGLISH else (finding.label, other_label)
    )
    # A Welsh name that is the English one (nothing in it has Welsh) is no Welsh: pages then
    # mark it lang="en".
    return replace(finding, label=english, label_cy="" if welsh == english else welsh)


def _resolve(partnership: Partnership, query) -> Finding | None:
    kind = query.get("source", "")
    pk = _as_int(query.get("id"))
    ref = str(query.get("ref", ""))[:80]
    if kind not in SourceKind.values or not kind or pk is None:
        return None
    if kind in RELEASE_SOURCES:
        return _from_release(partnership, kind, pk, ref)
    if kind in _resolvers:
        return _resolvers[kind](partnership, pk, ref)
    members = set(member_school_ids(partnership))
    schools = {_as_int(s) for s in query.getlist("schools")} if hasattr(query, "getlist") else set()
    return Finding(
        kind=kind,
        id=pk,
        ref=ref,
        label=str(query.get("label", ""))[:LABEL_LENGTH],
        school_ids=tuple(sorted(s for s in schools if s in members)),
    )
