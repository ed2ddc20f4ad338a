"""System-wide measures: connected components, and isolated schools by area."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse import csgraph

from .graph import SCHOOL
from .organisations import NO_DEEP_TIE, NO_TIE


@dataclass(frozen=True)
class Components:
    label: np.ndarray  # int64 per node; component 0 is the largest (ties: lowest node first)
    sizes: np.ndarray  # int64 per component, largest first

    @property
    def count(self) -> int:
        return len(self.sizes)


@dataclass(frozen=True)
class AreaIsolation:
    area: np.ndarray  # int64 area codes with at least one school, ascending
    schools: np.ndarray  # int64 schools in the area
    no_tie: np.ndarray  # int64 of those, with no tie at all
    no_deep_tie: np.ndarray  # int64 with ties, none at co-operation or deeper


def components(n: int, u: np.ndarray, v: np.ndarray) -> Components:
    """From ``weighted_pairs``: an organisation with no tie is a component of one."""
    adjacency = sparse.csr_matrix((np.ones(len(u)), (u, v)), shape=(n, n))
    _, raw = csgraph.connected_components(adjacency, directed=False)
    sizes = np.bincount(raw)
    first = np.full(len(sizes), n)
    np.minimum.at(first, raw, np.arange(n))
    order = np.lexsort((first, -sizes))  # largest first, then by the lowest node in it
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return Components(label=rank[raw].astype(np.int64), sizes=sizes[order].astype(np.int64))


def isolated_schools_by_area(
    area: np.ndarray, kind: np.ndarray, isolation: np.ndarray
) -> AreaIsolation:
    """From ``Network.area``, ``Network.kind`` and ``OrganisationMeasures.isolation``."""
    school = kind == SCHOOL
    codes, where = np.unique(area[school], return_inverse=True)
    iso = isolation[school]
    size = len(codes)
    return AreaIsolation(
        area=codes.astype(np.int64),
        schools=np.bincount(where, minlength=size),
        no_tie=np.bincount(where, iso == NO_TIE, minlength=size).astype(np.int64),
        no_deep_tie=np.bincount(where, iso == NO_DEEP_TIE, minlength=size).astype(np.int64),
    )
