"""From the database to the engine's arrays: one partnership's network on one day.

The scope (docs/methods.md, "The partnership network"): the partnership's current members,
plus every open school in the local authorities of its member schools. Among them, the ties
are only what this partnership may know:

- public ties: memberships of trusts and federations imported from GIAS groups
  (``Partnership.gias_group_uid`` set), a public record;
- this partnership's own ties: its memberships, the relationship levels its published cycles'
  releases show, and its support relationships.

Another partnership's private data (its memberships, answers, support) never enters. Every
read is a bulk query (a fixed number per partnership, plus one per published cycle).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db.models import Q

from partnerlens.brokerage.models import SupportRelationship
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
)
from partnerlens.enquiries.models import Cycle, CycleState
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.models import Release
from partnerlens.network.analytics import graph
from partnerlens.network.analytics.graph import (
    COLLABORATION,
    COOPERATION,
    COORDINATION,
    NETWORKING,
    NO_LEVEL,
    Memberships,
    Network,
    Ties,
)
from partnerlens.network.released import released

# What a shared membership means, by the partnership's kind (docs/methods.md): one legal body
# under one governance works as collaboration; a single-academy trust or an "other"
# partnership says nothing about how its members work together.
LEVEL_BY_KIND = {
    PartnershipKind.MAT: COLLABORATION,
    PartnershipKind.SAT: NO_LEVEL,
    PartnershipKind.FEDERATION: COLLABORATION,
    PartnershipKind.TEACHING_SCHOOL: COORDINATION,
    PartnershipKind.LA_PARTNERSHIP: NETWORKING,
    PartnershipKind.CLUSTER: COORDINATION,
    PartnershipKind.NETWORK: NETWORKING,
    PartnershipKind.CROSS_SECTOR: NETWORKING,
    PartnershipKind.OTHER: NO_LEVEL,
}
KIND_CODES = tuple(PartnershipKind.values)  # a partnership's type code is its index here
LEVEL_BY_TYPE = np.array([LEVEL_BY_KIND[kind] for kind in KIND_CODES], dtype=np.int8)
SUPPORT_LEVEL = COOPERATION  # one school supporting another shares staff and practice


@dataclass(frozen=True)
class Loaded:
    """The engine's input and what the snapshot needs beside it, in node order."""

    network: Network
    on: dt.date
    partnership: int  # this partnership's index in ``network.partnership_ids``
    organisations: list[dict]  # id, name, kind, member, la_code, la_name, lat, lon
    area_codes: list[str]  # la_code by area index
    area_names: dict[str, str]  # la_code -> la_name


def _day(value: dt.date | None) -> np.datetime64:
    return graph.NAT if value is None else np.datetime64(value, "D")


def scope(partnership: Partnership, on: dt.date):
    """The organisations in scope: current members, and the open schools of their areas."""
    members = Membership.objects.current(on).filter(partnership=partnership)
    member_ids = members.values("organisation_id")
    areas = (
        Organisation.objects.filter(pk__in=member_ids, kind=OrganisationKind.SCHOOL)
        .exclude(la_code="")
        .values("la_code")
    )
    open_schools = Q(kind=OrganisationKind.SCHOOL, la_code__in=areas) & (
        Q(close_date__isnull=True) | Q(close_date__gt=on)
    )
    return Organisation.objects.filter(Q(pk__in=member_ids) | open_schools)


def _nodes(partnership: Partnership, on: dt.date) -> tuple[list[dict], set[int]]:
    member_ids = set(
        Membership.objects.current(on)
        .filter(partnership=partnership)
        .values_list("organisation_id", flat=True)
    )
    rows = (
        scope(partnership, on)
        .order_by("pk")
        .values_list("pk", "name", "kind", "la_code", "la_name", "latitude", "longitude")
    )
    organisations = [
        {
            "id": pk,
            "name": name,
            "kind": "school" if kind == OrganisationKind.SCHOOL else "other",
            "member": pk in member_ids,
            "la_code": la_code,
            "la_name": la_name,
            "lat": lat,
            "lon": lon,
        }
        for pk, name, kind, la_code, la_name, lat, lon in rows
    ]
    return organisations, member_ids


def _memberships(partnership: Partnership, on: dt.date, in_scope):
    """Public groups' and this partnership's memberships among the organisations in scope."""
    return list(
        Membership.objects.filter(
            Q(partnership__gias_group_uid__isnull=False) | Q(partnership=partnership),
            organisation__in=in_scope,
        )
        .order_by("partnership_id", "organisation_id", "pk")
        .values_list("partnership_id", "partnership__kind", "organisation_id", "joined", "left")
    )


@dataclass
class _Answers:
    """One published cycle's relationship answers, as a release would show them."""

    closes_on: dt.date
    pooled: dict[tuple[int, int], int]  # (a < b) -> the pair's level, when shown
    sides: dict[tuple[int, int], int]  # (who answered, about whom) -> level, when shown
    asked_pairs: set[tuple[int, int]]  # pairs (a < b) anybody answered about
    answering: set[int]  # organisations whose people answered


def _level(median: float) -> int:
    return int(np.clip(math.floor(median), NO_LEVEL, COLLABORATION))


def _sides(frame: pd.DataFrame, policy: SuppressionPolicy, open_link: int) -> dict:
    """Each side's own level about the other, where its group reaches the threshold (the
    strictest k among its roles, not counting open-link respondents, as the pairs are)."""
    shown: dict[tuple[int, int], int] = {}
    if frame.empty:
        return shown
    grouped = frame.groupby(["organisation_id", "about_organisation_id"], sort=True)
    for (own, other), rows in grouped:
        threshold = policy.threshold_for_roles(rows["role"])
        if len(rows) - open_link >= threshold:
            shown[(int(own), int(other))] = _level(float(rows["value"].median()))
    return shown


def _cycle_answers(partnership: Partnership, in_scope: set[int]) -> list[_Answers]:
    """The partnership's published cycles with a release, oldest close first (a cycle's
    "close" is its closing date or its first release, whichever came first)."""
    cycles = list(
        Cycle.objects.filter(partnership=partnership, state=CycleState.PUBLISHED)
        .filter(pk__in=Release.objects.values("cycle_id"))
        .order_by("closes_on", "pk")
    )
    found = []
    for cycle in released(cycles):
        frame = cycle.answers
        if len(frame):
            frame = frame[
                frame["organisation_id"].astype("int64").isin(in_scope)
                & frame["about_organisation_id"].astype("int64").isin(in_scope)
            ]
        pooled = {
            pair: level
            for pair, level in cycle.shown().items()
            if pair[0] in in_scope and pair[1] in in_scope
        }
        a = np.minimum(frame["organisation_id"], frame["about_organisation_id"]).astype("int64")
        b = np.maximum(frame["organisation_id"], frame["about_organisation_id"]).astype("int64")
        found.append(
            _Answers(
                # A cycle closed early is released before its closing date: its answers
                # stand from whichever came first.
                closes_on=min(cycle.cycle.closes_on, cycle.first_released),
                pooled=pooled,
                # A side only where the release shows the pair (a parent among the other
                # side's answerers raises the pair's threshold above one side's).
                sides={
                    (own, about): level
                    for (own, about), level in _sides(frame, cycle.policy, cycle.open_link).items()
                    if (min(own, about), max(own, about)) in pooled
                },
                asked_pairs=set(zip(a.tolist(), b.tolist(), strict=True)),
                answering=set(frame["organisation_id"].astype("int64").tolist()),
            )
        )
    found.sort(key=lambda answers: answers.closes_on)  # stable: same day, by the cycles' order
    return found


def _relationship_ties(answers: list[_Answers], index: dict[int, int], p: int) -> Ties:
    """Each cycle's shown levels, dated from its close until the next published cycle that
    asked about the pair: the pooled level (undirected) and each shown side (directed)."""
    src, dst, level, answered, start, end = [], [], [], [], [], []
    next_close: dict[tuple[int, int], dt.date] = {}
    for cycle in reversed(answers):  # newest first, so each pair's next asking is known
        for pairs, directed in ((cycle.pooled, False), (cycle.sides, True)):
            for (a, b), lvl in pairs.items():
                src.append(index[a])
                dst.append(index[b])
                level.append(lvl)
                answered.append(directed)
                start.append(_day(cycle.closes_on))
                end.append(_day(next_close.get((min(a, b), max(a, b)))))
        for pair in cycle.asked_pairs:
            next_close[pair] = cycle.closes_on
    return Ties.build(
        src,
        dst,
        level=np.asarray(level, np.int8),
        source=graph.RELATIONSHIP,
        partnership=p,
        answered=np.asarray(answered, bool),
        start=np.asarray(start, graph.DAY),
        end=np.asarray(end, graph.DAY),
    )


def _support_ties(partnership: Partnership, in_scope, index: dict[int, int], p: int) -> Ties:
    rows = list(
        SupportRelationship.objects.filter(
            partnership=partnership, supporter__in=in_scope, supported__in=in_scope
        ).values_list("supporter_id", "supported_id", "started_on", "ended_on")
    )
    return Ties.build(
        [index[r[0]] for r in rows],
        [index[r[1]] for r in rows],
        level=SUPPORT_LEVEL,
        source=graph.SUPPORT,
        partnership=p,
        answered=False,
        start=np.asarray([_day(r[2]) for r in rows], graph.DAY),
        end=np.asarray([_day(r[3]) for r in rows], graph.DAY),
    )


def load(partnership: Partnership, on: dt.date) -> Loaded:
    """The partnership's network as the engine takes it, with every dated tie in scope."""
    organisations, _members = _nodes(partnership, on)
    ids = [row["id"] for row in organisations]
    index = {pk: i for i, pk in enumerate(ids)}
    in_scope_query = scope(partnership, on).values("pk")

    rows = _memberships(partnership, on, in_scope_query)
    partnership_ids = sorted({r[0] for r in rows} | {partnership.pk})
    p_index = {pk: i for i, pk in enumerate(partnership_ids)}
    kinds = dict.fromkeys(partnership_ids, partnership.kind)
    kinds.update({r[0]: r[1] for r in rows})
    p = p_index[partnership.pk]

    answers = _cycle_answers(partnership, set(ids))
    # The response rate: of this partnership's members, those asked about their relationships
    # (once a cycle has asked by ``on``) and those whose people answered in the latest.
    latest = next((a for a in reversed(answers) if a.closes_on <= on), None)
    mine = np.array([r[0] == partnership.pk for r in rows], dtype=bool)
    answering = latest.answering if latest else set()
    memberships = Memberships.build(
        [p_index[r[0]] for r in rows],
        [index[r[2]] for r in rows],
        asked=mine & (latest is not None),
        answered=mine & np.array([r[2] in answering for r in rows], dtype=bool),
        start=np.asarray([_day(r[3]) for r in rows], graph.DAY),
        end=np.asarray([_day(r[4]) for r in rows], graph.DAY),
    )
    types = np.array(
        [
            KIND_CODES.index(kinds[pk]) if kinds[pk] in KIND_CODES else graph.NONE
            for pk in partnership_ids
        ],
        dtype=np.int16,
    )
    ties = Ties.concat(
        graph.membership_ties(memberships, LEVEL_BY_TYPE, types),
        _relationship_ties(answers, index, p),
        _support_ties(partnership, in_scope_query, index, p),
    )
    area_codes = sorted({row["la_code"] for row in organisations if row["la_code"]})
    area_index = {code: i for i, code in enumerate(area_codes)}
    area_names: dict[str, str] = {}
    for row in organisations:
        if row["la_code"]:
            area_names.setdefault(row["la_code"], row["la_name"])
    network = Network.build(
        ids,
        ties,
        memberships,
        area=[area_index.get(row["la_code"], graph.NONE) for row in organisations],
        kind=[graph.SCHOOL if row["kind"] == "school" else graph.OTHER for row in organisations],
        partnership_ids=partnership_ids,
        partnership_type=types,
    )
    return Loaded(
        network=network,
        on=on,
        partnership=p,
        organisations=organisations,
        area_codes=area_codes,
        area_names=area_names,
    )
