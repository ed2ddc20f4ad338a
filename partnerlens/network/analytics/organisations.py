"""Per-organisation measures on one day: collaborations, types, strongest tie, trust and value
given and received, and isolation with since when.

Isolation (the issue's two codes): ``no_tie``, no active tie of any source; ``no_deep_tie``,
ties, but none at co-operation level or deeper (whichever side gave the level). Since when: the
day the last qualifying tie ended (ends are exclusive, so that is the first day without it);
NaT when none is on record, i.e. isolated for as long as the records go back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .graph import DEEP, NONE, Network, day, weighted_pairs

CONNECTED, NO_DEEP_TIE, NO_TIE = 0, 1, 2
ISOLATION_CODES = ("connected", "no_deep_tie", "no_tie")


@dataclass(frozen=True)
class Ratings:
    given: np.ndarray  # float64 mean of the node's ratings of others, NaN when none
    given_n: np.ndarray  # int64 how many
    received: np.ndarray  # float64 mean of others' ratings of the node
    received_n: np.ndarray


@dataclass(frozen=True)
class OrganisationMeasures:
    partnerships: np.ndarray  # int64 distinct active partnerships
    partners: np.ndarray  # int64 distinct organisations tied to (any source, either side)
    partnership_types: np.ndarray  # int64 distinct types among its partnerships
    strongest_level: np.ndarray  # int8, the deepest level of its ties, -1 without ties
    trust: Ratings
    value: Ratings
    isolation: np.ndarray  # int8, ISOLATION_CODES
    isolated_since: np.ndarray  # datetime64[D], NaT when connected or none on record
    isolated_days: np.ndarray  # float64, days up to ``on``, NaN when unknown


def _count_distinct(n: int, node: np.ndarray, other: np.ndarray) -> np.ndarray:
    if not len(node):
        return np.zeros(n, np.int64)
    key = np.unique(node.astype(np.int64) * (int(other.max()) + 2) + (other.astype(np.int64) + 1))
    return np.bincount(key // (int(other.max()) + 2), minlength=n)


def _ratings(n: int, src, dst, score) -> Ratings:
    ok = np.isfinite(score)
    src, dst, score = src[ok], dst[ok], score[ok]
    given_n = np.bincount(src, minlength=n)
    received_n = np.bincount(dst, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        given = np.bincount(src, score, minlength=n) / given_n
        received = np.bincount(dst, score, minlength=n) / received_n
    return Ratings(given, given_n, received, received_n)


def _last_end(n: int, src, dst, end) -> np.ndarray:
    out = np.full(n, np.iinfo(np.int64).min)  # NaT's integer
    stamp = end.astype(np.int64)
    np.maximum.at(out, src, stamp)
    np.maximum.at(out, dst, stamp)
    return out.astype("datetime64[D]")


def measures(network: Network, on) -> OrganisationMeasures:
    on = day(on)
    n = network.n_nodes
    now = network.at(on)
    ties, members = now.ties, now.memberships

    u, v, _ = weighted_pairs(n, ties)
    partners = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
    partnerships = _count_distinct(n, members.node, members.partnership)
    types = network.partnership_type[members.partnership]
    typed = types != NONE
    partnership_types = _count_distinct(n, members.node[typed], types[typed])

    strongest = np.full(n, -1, np.int8)
    np.maximum.at(strongest, ties.src, ties.level)
    np.maximum.at(strongest, ties.dst, ties.level)

    answers = ties.take(ties.answered)
    trust = _ratings(n, answers.src, answers.dst, answers.trust)
    value = _ratings(n, answers.src, answers.dst, answers.value)

    isolation = np.where(
        strongest < 0, NO_TIE, np.where(strongest < DEEP, NO_DEEP_TIE, CONNECTED)
    ).astype(np.int8)

    past = network.ties
    ended = ~np.isnat(past.end) & (past.end <= on)
    last_any = _last_end(n, past.src[ended], past.dst[ended], past.end[ended])
    deep = ended & (past.level >= DEEP)
    last_deep = _last_end(n, past.src[deep], past.dst[deep], past.end[deep])
    since = np.full(n, np.datetime64("NaT", "D"))
    since[isolation == NO_TIE] = last_any[isolation == NO_TIE]
    since[isolation == NO_DEEP_TIE] = last_deep[isolation == NO_DEEP_TIE]
    days = (on - since).astype(np.float64)
    days[np.isnat(since)] = np.nan

    return OrganisationMeasures(
        partnerships=partnerships,
        partners=partners,
        partnership_types=partnership_types,
        strongest_level=strongest,
        trust=trust,
        value=value,
        isolation=isolation,
        isolated_since=since,
        isolated_days=days,
    )
