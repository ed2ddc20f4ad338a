"""The stored ``QuestionStat`` rows as frames: per cell, and a cycle's relationship answers."""

from __future__ import annotations

import json
from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from partnerlens.enquiries.models import Cycle
from partnerlens.insights.loaders.rows import (
    collector_paused,
    fetch_columns,
    ids_of,
    source_of,
)
from partnerlens.insights.models import NONE, QuestionStat

STAT_FIELDS = (
    "cycle_id",
    "organisation_id",
    "role",
    "question_id",
    "about_organisation_id",
    "n_asked",
    "n_responses",
    "n_dont_know",
    "n",
    "total",
    "total_squares",
    "levels",
)


def question_stats_frame(
    cycles: Cycle | Iterable[Cycle] | QuerySet, questions: pd.DataFrame
) -> pd.DataFrame:
    """The stored ``QuestionStat`` rows with their question's keys (``questions_frame``)."""
    types = [
        object if name in ("role", "levels") else float if name.startswith("total") else np.int64
        for name in STAT_FIELDS
    ]
    columns = fetch_columns(
        QuestionStat.objects.filter(cycle_id__in=ids_of(cycles))
        # as text on every database, to be parsed below in one go
        .annotate(levels_text=Cast("levels", output_field=TextField()))
        .values_list(*STAT_FIELDS[:-1], "levels_text"),
        STAT_FIELDS,
        types,
    )
    # One parse of all the level maps at once, rather than one per row.
    texts = columns["levels"]
    columns["levels"] = np.empty(len(texts), dtype=object)
    with collector_paused():
        columns["levels"][:] = json.loads("[" + ",".join(texts) + "]") if len(texts) else []
    position = pd.Index(questions["question_id"]).get_indexer(columns["question_id"])
    if (position < 0).any():
        raise LookupError("a question statistic is about a question missing from `questions`")
    for column in (
        "theme_key",
        "question_key",
        "kind",
        "dimension",
        "scale_min",
        "scale_max",
        *(c for c in ("item_min", "item_max") if c in questions),
    ):
        columns[column] = questions[column].to_numpy()[position]
    return pd.DataFrame(columns)


def relationship_frame(
    cycle: Cycle, questions: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, int]]:
    """A cycle's relationship answers as counted by ``QuestionStat``, and, per question, how
    many respondents gave at least one of them a value.

    ``questions``: question_id, question_key, theme_key of the relationship questions. The
    frame has the answers-frame shape with one row per valued answer about a partner, rebuilt
    from the per-partner rows' level counts, so the engine's pair medians and group sizes come
    out exactly as from the raw answers. Its ``response_id`` numbers the answers, not people:
    within one question a person answers about each partner once, so per question and pair
    the rows are the people; across questions use the respondent counts instead.
    """
    columns = [
        "cycle_id",
        "response_id",
        "role",
        "organisation_id",
        "theme_key",
        "question_key",
        "kind",
        "value",
        "dont_know",
        "about_organisation_id",
        "source",
    ]
    ids = questions["question_id"].tolist()
    if not ids:
        return pd.DataFrame(columns=columns), {}
    stats = fetch_columns(
        QuestionStat.objects.filter(cycle_id=cycle.pk, question_id__in=ids, n__gt=0)
        .annotate(levels_text=Cast("levels", output_field=TextField()))
        .values_list(
            "organisation_id", "role", "question_id", "about_organisation_id", "n", "levels_text"
        ),
        ("organisation_id", "role", "question_id", "about_organisation_id", "n", "levels"),
        (np.int64, object, np.int64, np.int64, np.int64, object),
    )
    position = pd.Index(questions["question_id"]).get_indexer(stats["question_id"])
    keys = questions["question_key"].to_numpy(dtype=object)[position]
    own = stats["about_organisation_id"] == NONE
    respondents: dict[str, int] = {}
    for key, n in zip(keys[own].tolist(), stats["n"][own].tolist(), strict=True):
        respondents[key] = respondents.get(key, 0) + n
    partner = np.flatnonzero(~own)
    texts = stats["levels"][partner]
    levels = json.loads("[" + ",".join(texts) + "]") if len(texts) else []
    sizes = np.array([sum(m.values()) for m in levels], dtype=np.int64)
    row = np.repeat(partner, sizes)  # one per valued answer
    values = np.array(
        [float(v) for m in levels for v, count in m.items() for _ in range(count)], dtype=float
    )
    frame = pd.DataFrame(
        {
            "cycle_id": np.full(len(row), cycle.pk, dtype=np.int64),
            "response_id": np.arange(1, len(row) + 1, dtype=np.int64),
            "role": stats["role"][row],
            "organisation_id": stats["organisation_id"][row],
            "theme_key": questions["theme_key"].to_numpy(dtype=object)[position][row],
            "question_key": keys[row],
            "kind": "relationship",
            "value": values,
            "dont_know": np.zeros(len(row), dtype=bool),
            "about_organisation_id": pd.array(stats["about_organisation_id"][row], dtype="Int64"),
            "source": np.array([source_of(r) for r in stats["role"][row]], dtype=object),
        },
        columns=columns,
    )
    return frame, respondents
