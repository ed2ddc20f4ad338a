"""The stored ``ThemeRollup`` rows as a frame, for comparisons across partnerships."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from django.db.models import QuerySet

from partnerlens.enquiries.models import Cycle
from partnerlens.frameworks.models import Theme
from partnerlens.insights.loaders.rows import fetch_columns, ids_of
from partnerlens.insights.models import ROLLUP_KEY, ROLLUP_SUMS, ThemeRollup


def rollup_frame(
    cycles: Cycle | Iterable[Cycle] | QuerySet | None = None,
    sums: Sequence[str] = ROLLUP_SUMS,
) -> pd.DataFrame:
    """The stored ``ThemeRollup`` rows of ``cycles`` (every cycle when None): partnership_id,
    cycle_id, theme_id, theme_key, role and the ``sums`` asked for."""
    rows = ThemeRollup.objects.all()
    cycle_rows = Cycle.objects.all()
    if cycles is not None:
        cycle_ids = ids_of(cycles)
        rows = rows.filter(cycle_id__in=cycle_ids)
        cycle_rows = cycle_rows.filter(pk__in=cycle_ids)
    fields = [*ROLLUP_KEY, *sums]
    types = [object if f == "role" else float if "total" in f else np.int64 for f in fields]
    columns = fetch_columns(rows.values_list(*fields), fields, types)
    # Two small look-ups instead of joining every row to its cycle and theme.
    owners = fetch_columns(
        cycle_rows.values_list("pk", "partnership_id"), ("pk", "partnership_id"), (np.int64,) * 2
    )
    theme_ids = np.unique(columns["theme_id"]).tolist()
    keys = fetch_columns(
        Theme.objects.filter(pk__in=theme_ids).values_list("pk", "key"),
        ("pk", "key"),
        (np.int64, object),
    )
    owner = pd.Index(owners["pk"]).get_indexer(columns["cycle_id"])
    key = pd.Index(keys["pk"]).get_indexer(columns["theme_id"])
    return pd.DataFrame(
        {
            "partnership_id": owners["partnership_id"][owner],
            "theme_key": keys["key"][key],
            **columns,
        }
    )
