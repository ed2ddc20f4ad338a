"""The network's input: organisations, dated ties and memberships as numpy arrays.

A thin loader fills these arrays from the database (one row a tie, one row a membership); the
engine never sees a model. Nodes are addressed by their index 0..n-1 (``node_ids`` maps an index
back to the organisation's id), partnerships by theirs (``partnership_ids``).

A tie is one statement that two organisations work together: a shared membership, one side's
answer about the other (``answered``: directed, with that side's trust and value ratings), a
support relationship or a peer review. Its level is Himmelman's continuum (1 networking ..
4 collaboration) or 0 when the source states none. Dates are ``datetime64[D]``; a tie is active
on day d when ``start <= d < end`` (``end`` NaT: still open; ``start`` NaT: since before records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np

NO_LEVEL, NETWORKING, COORDINATION, COOPERATION, COLLABORATION = 0, 1, 2, 3, 4
LEVEL_CODES = ("none", "networking", "coordination", "cooperation", "collaboration")
DEEP = COOPERATION  # "working together" in the sense: co-operation or deeper

MEMBERSHIP, RELATIONSHIP, SUPPORT, REVIEW = 0, 1, 2, 3
SOURCE_CODES = ("membership", "relationship", "support", "review")

SCHOOL, OTHER = 0, 1  # node kinds: isolation by area counts schools only
KIND_CODES = ("school", "other")

NONE = -1  # no area, no partnership, no type

DAY = "datetime64[D]"
NAT = np.datetime64("NaT", "D")


class NetworkError(ValueError):
    """Arrays of different lengths or indexes out of range: the loader's bug, not the data's."""


def day(value: dt.date | str | np.datetime64) -> np.datetime64:
    return np.datetime64(value, "D")


def _days(values, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, NAT)
    return np.asarray(values, dtype=DAY)


def _active(start: np.ndarray, end: np.ndarray, on: np.datetime64) -> np.ndarray:
    # NaT compares False both ways, hence the explicit checks.
    return (np.isnat(start) | (start <= on)) & (np.isnat(end) | (end > on))


@dataclass(frozen=True)
class Ties:
    src: np.ndarray  # int32 node index
    dst: np.ndarray  # int32 node index
    level: np.ndarray  # int8, 0..4
    source: np.ndarray  # int8, SOURCE_CODES
    partnership: np.ndarray  # int32 partnership index, NONE when the tie is outside one
    answered: np.ndarray  # bool: src's answer about dst (directed); False when both sides share it
    trust: np.ndarray  # float64, src's rating of dst, NaN when not given
    value: np.ndarray  # float64, as trust
    start: np.ndarray  # datetime64[D], NaT: since before records
    end: np.ndarray  # datetime64[D], NaT: open

    @classmethod
    def build(
        cls,
        src,
        dst,
        *,
        level=NO_LEVEL,
        source=RELATIONSHIP,
        partnership=NONE,
        answered=None,
        trust=np.nan,
        value=np.nan,
        start=None,
        end=None,
    ) -> Ties:
        """Ties from arrays or scalars (broadcast); answered defaults to source == RELATIONSHIP."""
        src = np.asarray(src, dtype=np.int32)
        n = len(src)

        def full(x, dtype):
            return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()

        source_arr = full(source, np.int8)
        return cls(
            src=src,
            dst=np.asarray(dst, dtype=np.int32),
            level=full(level, np.int8),
            source=source_arr,
            partnership=full(partnership, np.int32),
            answered=source_arr == RELATIONSHIP if answered is None else full(answered, bool),
            trust=full(trust, np.float64),
            value=full(value, np.float64),
            start=full(_days(start, n), DAY),
            end=full(_days(end, n), DAY),
        )

    def __len__(self) -> int:
        return len(self.src)

    def take(self, rows) -> Ties:
        return Ties(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    @staticmethod
    def concat(*parts: Ties) -> Ties:
        return Ties(
            **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Ties)}
        )

    def active(self, on) -> np.ndarray:
        return _active(self.start, self.end, day(on))


@dataclass(frozen=True)
class Memberships:
    partnership: np.ndarray  # int32 partnership index
    node: np.ndarray  # int32 node index
    asked: np.ndarray  # bool: asked the relationship questions
    answered: np.ndarray  # bool: answered them (the response rate's numerator)
    start: np.ndarray  # datetime64[D]
    end: np.ndarray  # datetime64[D]

    @classmethod
    def build(cls, partnership, node, *, asked=True, answered=False, start=None, end=None):
        partnership = np.asarray(partnership, dtype=np.int32)
        n = len(partnership)

        def full(x, dtype):
            return np.broadcast_to(np.asarray(x, dtype=dtype), (n,)).copy()

        return cls(
            partnership=partnership,
            node=np.asarray(node, dtype=np.int32),
            asked=full(asked, bool),
            answered=full(answered, bool),
            start=full(_days(start, n), DAY),
            end=full(_days(end, n), DAY),
        )

    def __len__(self) -> int:
        return len(self.node)

    def take(self, rows) -> Memberships:
        return Memberships(**{f.name: getattr(self, f.name)[rows] for f in fields(self)})

    def active(self, on) -> np.ndarray:
        return _active(self.start, self.end, day(on))


@dataclass(frozen=True)
class Network:
    node_ids: np.ndarray  # int64 organisation ids, index = node
    area: np.ndarray  # int32 area code, NONE when unknown
    kind: np.ndarray  # int8, KIND_CODES
    partnership_ids: np.ndarray  # int64 partnership ids, index = partnership
    partnership_type: np.ndarray  # int16 type code per partnership, NONE when untyped
    ties: Ties
    memberships: Memberships

    def __post_init__(self) -> None:
        n, p = len(self.node_ids), len(self.partnership_ids)
        if len(self.area) != n or len(self.kind) != n:
            raise NetworkError("area and kind need one value per node")
        if len(self.partnership_type) != p:
            raise NetworkError("partnership_type needs one value per partnership")
        for name, rows in (("ties", self.ties), ("memberships", self.memberships)):
            lengths = {len(getattr(rows, f.name)) for f in fields(rows)}
            if len(lengths) > 1:
                raise NetworkError(f"{name}: columns of different lengths")
        for name, idx, bound in (
            ("tie src", self.ties.src, n),
            ("tie dst", self.ties.dst, n),
            ("membership node", self.memberships.node, n),
            ("membership partnership", self.memberships.partnership, p),
        ):
            if len(idx) and (idx.min() < 0 or idx.max() >= bound):
                raise NetworkError(f"{name} out of range")
        tp = self.ties.partnership
        if len(tp) and (tp.min() < NONE or tp.max() >= p):
            raise NetworkError("tie partnership out of range")

    @classmethod
    def build(
        cls,
        node_ids,
        ties: Ties,
        memberships: Memberships | None = None,
        *,
        area=None,
        kind=None,
        partnership_ids=None,
        partnership_type=None,
    ) -> Network:
        node_ids = np.asarray(node_ids, dtype=np.int64)
        n = len(node_ids)
        memberships = memberships or Memberships.build([], [])
        if partnership_ids is None:
            top = max(
                int(memberships.partnership.max(initial=-1)), int(ties.partnership.max(initial=-1))
            )
            partnership_ids = np.arange(top + 1)
        partnership_ids = np.asarray(partnership_ids, dtype=np.int64)
        p = len(partnership_ids)
        return cls(
            node_ids=node_ids,
            area=np.full(n, NONE, np.int32) if area is None else np.asarray(area, np.int32),
            kind=np.full(n, SCHOOL, np.int8) if kind is None else np.asarray(kind, np.int8),
            partnership_ids=partnership_ids,
            partnership_type=np.full(p, NONE, np.int16)
            if partnership_type is None
            else np.asarray(partnership_type, np.int16),
            ties=ties,
            memberships=memberships,
        )

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    def at(self, on) -> Network:
        """The network as it stood on one day: the ties and memberships active then."""
        return Network(
            node_ids=self.node_ids,
            area=self.area,
            kind=self.kind,
            partnership_ids=self.partnership_ids,
            partnership_type=self.partnership_type,
            ties=self.ties.take(self.ties.active(on)),
            memberships=self.memberships.take(self.memberships.active(on)),
        )

    def tie_type(self) -> np.ndarray:
        """Each tie's partnership type (NONE for a tie outside a partnership)."""
        p = self.ties.partnership
        return np.where(p >= 0, self.partnership_type[np.maximum(p, 0)], NONE)


def membership_ties(memberships: Memberships, level_by_type=None, partnership_type=None) -> Ties:
    """One undirected tie for every pair of members of a partnership, dated by their overlap.

    The level is NO_LEVEL unless ``level_by_type`` (indexed by type code) says what a shared
    membership of that type means, e.g. a federation as collaboration: the loader decides.
    """
    order = np.argsort(memberships.partnership, kind="stable")
    part = memberships.partnership[order]
    cuts = np.flatnonzero(np.diff(part)) + 1
    groups = np.split(order, cuts) if len(order) else []
    pairs = []
    for rows in groups:
        if len(rows) > 1:
            i, j = np.triu_indices(len(rows), 1)
            pairs.append((rows[i], rows[j]))
    if not pairs:
        return Ties.build([], [], source=MEMBERSHIP)
    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    m = memberships
    # The overlap of two dated memberships; NaT start = earliest, NaT end = open.
    sa, sb = m.start[a], m.start[b]
    start = np.where(np.isnat(sa), sb, np.where(np.isnat(sb), sa, np.maximum(sa, sb)))
    ea, eb = m.end[a], m.end[b]
    end = np.where(np.isnat(ea), eb, np.where(np.isnat(eb), ea, np.minimum(ea, eb)))
    keep = (m.node[a] != m.node[b]) & (np.isnat(start) | np.isnat(end) | (start < end))
    partnership = m.partnership[a]
    level = NO_LEVEL
    if level_by_type is not None and partnership_type is not None:
        types = np.asarray(partnership_type)[partnership]
        table = np.asarray(level_by_type, dtype=np.int8)
        level = np.where(types >= 0, table[np.maximum(types, 0)], NO_LEVEL)
    ties = Ties.build(
        m.node[a],
        m.node[b],
        level=level,
        source=MEMBERSHIP,
        partnership=partnership,
        answered=False,
        start=start,
        end=end,
    )
    return ties.take(keep)


def weighted_pairs(n: int, ties: Ties) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All ties folded into one undirected graph: each pair once (u < v), weight = the deepest
    level any source or either side gives it, a level-less tie counting as networking (1)."""
    src = ties.src.astype(np.int64)
    dst = ties.dst.astype(np.int64)
    keep = src != dst
    u, v = np.minimum(src, dst)[keep], np.maximum(src, dst)[keep]
    weight = np.maximum(ties.level[keep], NETWORKING).astype(np.float64)
    if not len(u):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    key = u * n + v
    order = np.lexsort((-weight, key))  # the deepest first within each pair
    key, weight = key[order], weight[order]
    first = np.concatenate([[True], key[1:] != key[:-1]])
    key = key[first]
    return key // n, key % n, weight[first]
