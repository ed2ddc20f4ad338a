"""Releases: a cycle's results, built once, checked against every earlier release, stored.

``make_release`` is the one way results become visible. It runs in the task queue
(``insights.jobs``) after a cycle closes, after it is published (if nothing was released
since the last change) and after a partnership's insight settings change, and from
``manage.py release_insights``. Steps:

1. read the cycle's frames (``data.load_cycle``: earlier cycles count with their latest
   release's responses only);
2. compare the respondents with every earlier release (``analytics.releases.changed_cells``):
   cells that changed by fewer than k people are forced hidden, cells identical to the
   latest release's are public anyway (known); if the partnership as a whole changed by
   fewer than k people, no release is made and the earlier one stays (outcome
   ``too_few_changed``, which the results page explains to the lead);
3. build the dashboard with that policy (its suppression already runs the engine's audit,
   ``disclosure.secure``), then audit every published table with every earlier release's,
   the first release included (``analytics.releases.secure_release``, which calls
   ``analytics.disclosure.audit``); while the audit finds figures it can pin down exactly,
   hide more and build again (at most ``engine.AUDIT_ROUNDS`` times), else make no release.
   The reader is a lead, who knows how many people they invited to each role in each
   school (the Invitee rows, ``engine.invited_cells``): both the engine and the audit take
   those as upper bounds on hidden counts, and the stored tables keep them (``invited``);
4. build the page in each language and store it all as one immutable ``Release``; each
   page other than English keeps the English texts that stood in for missing Welsh.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import pandas as pd
from django.db import transaction
from django.utils import timezone, translation

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core import bilingual
from partnerlens.enquiries.models import Cycle, CycleState, Response
from partnerlens.insights import dashboard as dashboards
from partnerlens.insights.aggregates import lock_cycles
from partnerlens.insights.analytics import releases as engine
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.analytics.suppression import CELL_COLUMNS, SuppressionPolicy
from partnerlens.insights.dashboard import codec
from partnerlens.insights.data import load_cycle
from partnerlens.insights.loaders.rows import source_of
from partnerlens.insights.models import InsightSettings, Release, ReleaseReason
from partnerlens.insights.signals import release_made

LANGUAGES = ("en", "cy")
LEVELS = ("theme", "dimension", "framework")
TABLE_COLUMNS = (
    *CELL_COLUMNS,
    "n",
    "n_responses",
    "n_dont_know",
    "mean",
    "sd",
    "suppressed",
    "suppression_reason",
    "scale_min",
    "scale_max",
    "invited",  # the reader's upper bound at the time (``disclosure.with_invited``)
    "concealed",  # left out of every output when hidden (``suppression.LEFT_OUT``)
)
UNIT_COLUMNS = {
    "theme": ("cycle_id", "theme_key"),
    "dimension": ("cycle_id", "dimension"),
    "framework": ("cycle_id",),
}

# Outcome codes (the results page turns them into sentences).
MADE = "made"
UNCHANGED = "unchanged"
TOO_FEW_CHANGED = "too_few_changed"
NO_RESULTS = "no_results"
AUDIT_FAILED = "audit_failed"


@dataclass(frozen=True)
class Outcome:
    code: str
    release: Release | None = None
    changed: int = 0  # people who joined or left since the latest release


def latest_release(cycle: Cycle, *, light: bool = True) -> Release | None:
    """The cycle's latest release (without the download and audit tables when ``light``)."""
    releases = Release.objects.filter(cycle_id=cycle.pk)
    if light:
        releases = releases.light()
    return releases.order_by("-number").first()


def visible_release(user, cycle: Cycle, *, light: bool = True) -> Release | None:
    """The latest release this user may see: ``access.get_result_cycle_for_user`` already
    decided the user may see this cycle's results in its present state (leads: closed or
    published; members: published)."""
    if cycle.state not in (CycleState.CLOSED, CycleState.PUBLISHED):
        return None
    return latest_release(cycle, light=light)


def people_frame(cycle: Cycle) -> pd.DataFrame:
    """One row per submitted response: response_id (text), role, organisation_id, source,
    channel (the shape ``analytics.releases.changed_cells`` reads)."""
    rows = list(
        Response.objects.submitted()
        .for_cycle(cycle)
        .values_list("id", "role", "organisation_id", "channel")
    )
    return pd.DataFrame(
        {
            "response_id": [str(r[0]) for r in rows],
            "role": [r[1] for r in rows],
            "organisation_id": [NO_ORGANISATION if r[2] is None else int(r[2]) for r in rows],
            "source": [source_of(r[1]) for r in rows],
            "channel": [r[3] for r in rows],
        },
        columns=["response_id", "role", "organisation_id", "source", "channel"],
    )


def table_records(table: pd.DataFrame, level: str) -> list[dict]:
    """A protected breakdown as JSON records (missing values as None)."""
    columns = [*UNIT_COLUMNS[level], *TABLE_COLUMNS]
    frame = table.reindex(columns=columns).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def shown_cells(tables: dict[str, list[dict]]) -> frozenset:
    """Cells a release showed in every unit (of every level) where they appear."""
    shown, hidden = set(), set()
    for level in LEVELS:
        records = tables.get(level) or []
        if not records:
            continue
        frame = pd.DataFrame.from_records(records)
        keys = engine.keys_of(frame)
        suppressed = frame["suppressed"].to_numpy(dtype=bool)
        shown.update(keys)
        hidden.update(key for key, s in zip(keys, suppressed, strict=True) if s)
    return frozenset(shown - hidden)


def _frames(tables: dict[str, list[dict]]) -> dict[str, pd.DataFrame]:
    """A release's stored tables as frames, level by level (what the audit reads)."""
    return {
        level: pd.DataFrame.from_records(records) for level, records in tables.items() if records
    }


def _withheld(actor, cycle: Cycle, reason: str, code: str) -> None:
    record(
        actor,
        verbs.INSIGHTS_RELEASE_WITHHELD,
        cycle,
        partnership_id=cycle.partnership_id,
        reason=reason,
        code=code,
    )


def make_release(cycle: Cycle, *, reason: str, actor=None, force: bool = False) -> Outcome:
    """Build, check and store a new release of ``cycle`` (see the module docstring).

    Makes none when nothing changed since the latest release (same respondents, same
    policy; ``force`` builds one anyway, e.g. after a rebuild of the aggregates) or when
    the partnership changed by fewer than k people. Runs inside the caller's transaction
    when there is one (closing a cycle: the release and the new state commit together).
    """
    with transaction.atomic():
        lock_cycles([cycle.pk])
        settings = InsightSettings.for_partnership(cycle.partnership)
        base = settings.policy()
        people = people_frame(cycle)
        if people.empty:
            return Outcome(NO_RESULTS)
        earlier = list(
            Release.objects.filter(cycle_id=cycle.pk)
            .only("number", "k", "parent_k", "members", "tables")
            .order_by("number")
        )
        changed = engine.ChangedCells()
        if earlier:
            latest = earlier[-1]
            same_people = set(latest.members) == set(people["response_id"])
            same_policy = (latest.k, latest.parent_k) == (
                base.threshold(),
                base.threshold("parent"),
            )
            if same_people and same_policy and not force:
                return Outcome(UNCHANGED, latest)
        frames = load_cycle(cycle, (CycleState.PUBLISHED,), released=True)
        if "channel" not in frames.history.columns:
            people["channel"] = "invited"  # the breakdowns do not tell channels apart
        # The lead knows whom they invited: upper bounds for the engine and the audit.
        invited = engine.invited_cells(frames.invited_by, people)
        base = replace(base, invited=invited)
        if earlier:
            changed = engine.changed_cells(
                people,
                [release.members for release in earlier],
                base,
                shown_before=shown_cells(latest.tables),
            )
            if changed.total_changed_too_little:
                _withheld(actor, cycle, reason, TOO_FEW_CHANGED)
                return Outcome(TOO_FEW_CHANGED, latest, changed.total_changed)
        earlier_tables = [_frames(release.tables) for release in earlier]

        def build(policy: SuppressionPolicy):
            dashboard = dashboards.build(frames, policy)
            protected = {lv: dashboard.protected[lv] for lv in LEVELS if lv in dashboard.protected}
            # Audited as built: the stored records hold the same cells and counts.
            return dashboard, protected

        with translation.override("en"):
            secured = engine.secure_release(build, base, changed, earlier_tables)
        if not secured.ok:  # better no release than one that gives people away
            _withheld(actor, cycle, reason, AUDIT_FAILED)
            return Outcome(AUDIT_FAILED, earlier[-1] if earlier else None)
        policy, english = secured.policy, secured.built
        tables = {level: table_records(table, level) for level, table in secured.tables.items()}
        pages, exports = _render(frames, policy, english)
        benchmark = next((t for t in exports["en"] if t["key"] == "benchmark"), None)
        release = Release(
            cycle=cycle,
            number=(earlier[-1].number + 1) if earlier else 1,
            created_at=timezone.now(),
            reason=reason,
            k=base.threshold(),
            parent_k=base.threshold("parent"),
            respondents=len(people),
            hidden_changed=len(changed.hidden),
            members=sorted(people["response_id"]),
            page=pages,
            exports=exports,
            tables=tables,
            benchmark=benchmark,
        )
        release.save()
        record(
            actor,
            verbs.INSIGHTS_RELEASED,
            cycle,
            partnership_id=cycle.partnership_id,
            number=release.number,
            reason=reason,
        )
        release_made.send(sender=Release, release=release, cycle=cycle)
    return Outcome(MADE, release, changed.total_changed)


def _encoded(language: str, dashboard) -> tuple[dict, list]:
    with translation.override(language):
        return codec.encode_page(dashboard), codec.encode_exports(dashboard)


def _in_language(language: str, frames, policy, tables) -> tuple[dict, list]:
    """The page and downloads in another language. The page keeps the English texts that
    stood in for missing Welsh (``english``), for the results page to mark ``lang="en"``."""
    with translation.override(language), bilingual.recording_fallbacks() as fallbacks:
        page, exports = _encoded(language, dashboards.build(frames, policy, tables=tables))
    page["english"] = sorted(fallbacks)
    return page, exports


def _render(frames, policy, english) -> tuple[dict, dict]:
    """Pages and download tables in every language. The other languages are built in a
    worker thread while the English one is encoded: building touches no database, the
    translations are per thread, and the chart renderer runs outside the interpreter's
    lock, so the two overlap on a second core."""
    pages, exports = {}, {}
    others = [language for language in LANGUAGES if language != "en"]
    with ThreadPoolExecutor(max_workers=1) as pool:
        futures = {
            language: pool.submit(_in_language, language, frames, policy, english.protected)
            for language in others
        }
        pages["en"], exports["en"] = _encoded("en", english)
        for language, future in futures.items():
            pages[language], exports[language] = future.result()
    return {lang: pages[lang] for lang in LANGUAGES}, {lang: exports[lang] for lang in LANGUAGES}


def release_on_state_change(cycle: Cycle, before: str, target: str, actor=None) -> None:
    """Closing asks for a release; publishing asks for one too, which ``make_release`` skips
    if nothing changed since the last. The build runs in the task queue once the change
    commits (``insights.jobs``)."""
    from partnerlens.insights.jobs import request_release

    if target == CycleState.CLOSED:
        again = Release.objects.filter(cycle_id=cycle.pk).exists()
        reason = ReleaseReason.REOPENED_AND_CLOSED if again else ReleaseReason.CLOSED
        request_release(cycle, reason=reason, actor=actor)
    elif target == CycleState.PUBLISHED:
        request_release(cycle, reason=ReleaseReason.PUBLISHED, actor=actor)


def release_after_settings(partnership, actor=None) -> list:
    """Ask for new releases of the partnership's closed and published cycles under new
    settings (made even when k stayed: the benchmarking choice changes what the page shows).
    Returns the queued jobs."""
    from partnerlens.insights.jobs import request_release

    cycles = Cycle.objects.for_partnership(partnership).filter(
        state__in=(CycleState.CLOSED, CycleState.PUBLISHED)
    )
    return [
        request_release(cycle, reason=ReleaseReason.SETTINGS, actor=actor, force=True)
        for cycle in cycles
    ]
