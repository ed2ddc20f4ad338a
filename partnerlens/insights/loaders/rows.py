"""Reading rows fast, and the columns every loaded frame shares.

``response_id`` in a frame is a serial number within that frame (1, 2, ...), never the stored
UUID: the engine needs integers, and frames that leave the database carry no stored key.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import QuerySet

from partnerlens.enquiries.models import Cycle

# Peer reviewers and external advisers review the partnership; everyone else evaluates it
# from inside. The engine compares these sources (self vs peer vs external).
SOURCE_OF_ROLE = {"peer_reviewer": "peer", "external_adviser": "external"}


def source_of(role: str) -> str:
    return SOURCE_OF_ROLE.get(role, "self")


def ids_of(cycles: Cycle | Iterable[Cycle | int] | QuerySet) -> list[int]:
    if isinstance(cycles, Cycle):
        return [cycles.pk]
    if isinstance(cycles, QuerySet):
        return list(cycles.values_list("pk", flat=True))
    return [c if isinstance(c, int) else c.pk for c in cycles]


def serials(keys: pd.Series | np.ndarray) -> np.ndarray:
    """1, 2, ... in order of first appearance: the frame's response_id."""
    codes, _ = pd.factorize(np.asarray(keys, dtype=object))
    return codes.astype(np.int64) + 1


def typed_columns(rows: list[tuple], names: Sequence[str], types: Sequence = ()) -> dict:
    """Columns of fetched rows, typed (faster than building a frame from tuples).

    ``types`` gives a numpy dtype per column (default object); float columns turn None
    into NaN.
    """
    types = list(types) or [object] * len(names)
    if not rows:
        return {name: np.array([], dtype=kind) for name, kind in zip(names, types, strict=True)}
    columns = zip(*rows, strict=True)
    return {
        name: np.array(column, dtype=kind)
        for name, kind, column in zip(names, types, columns, strict=True)
    }


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while tens of thousands of tuples are made.

    Each burst of allocations would otherwise start collections that walk the whole heap
    of a Django process, several times slower than the work itself; tuples of numbers and
    text hold no cycles, so nothing is left for the collector to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset, straight from the database cursor.

    Same SQL as iterating the queryset (locks included), without Django's per-row value
    conversion, which costs more than the query itself over tens of thousands of rows. Only
    for columns whose raw form is what the caller wants: numbers, text, booleans (0/1 on
    SQLite), keys as the database stores them.
    """
    sql, params = queryset.query.sql_with_params()
    with collector_paused(), connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_columns(queryset: QuerySet, names: Sequence[str], types: Sequence = ()) -> dict:
    """``fetch_rows`` as typed columns (see ``typed_columns``)."""
    rows = fetch_rows(queryset)
    with collector_paused():
        return typed_columns(rows, names, types)
