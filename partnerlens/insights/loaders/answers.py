"""Raw answers as frames: exact, but one row per answer; for tests, small cycles and repairs.

Dashboards read the aggregates instead (``theme_scores``, ``question_stats``, ``rollups``).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from django.db.models import QuerySet

from partnerlens.enquiries.models import Answer, Cycle, Response, ResponseState
from partnerlens.frameworks.models import QuestionKind
from partnerlens.insights.analytics.frames import ITEM_COLUMNS, NO_ORGANISATION
from partnerlens.insights.loaders.questions import SCORED, question_scores, questions_frame
from partnerlens.insights.loaders.rows import (
    collector_paused,
    fetch_columns,
    ids_of,
    serials,
    source_of,
)

TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
STORED_COLUMNS = (
    "response",
    "cycle_id",
    "role",
    "organisation_id",
    "question_id",
    "theme_id",
    "kind",
    "about_organisation_id",
    "value",
    "dont_know",
)


def scored_answers(responses: QuerySet) -> pd.DataFrame:
    """Scored answers of the given submitted responses: ``STORED_COLUMNS``.

    ``response`` is the response's key as the database returns it (32 hex digits on SQLite,
    a UUID on PostgreSQL); ``value`` the option's score (NaN for "don't know", a blank or an
    option without a score); organisation columns use 0 for "none".
    """
    columns = fetch_columns(
        Answer.objects.filter(
            response__in=responses.filter(state=ResponseState.SUBMITTED),
            question__kind__in=SCORED,
        ).values_list(
            "response_id",
            "response__cycle_id",
            "response__role",
            "response__organisation_id",
            "question_id",
            "question__theme_id",
            "question__kind",
            "about_organisation_id",
            "option_value",
            "dont_know",
        ),
        [*STORED_COLUMNS[:-2], "option_value", "dont_know"],
        [object, np.int64, object, object, np.int64, np.int64, object, object, object, bool],
    )
    scores = question_scores(np.unique(columns["question_id"]).tolist())
    with collector_paused():
        values = np.array(
            [
                np.nan if dont_know else scores.get(question, {}).get(option, np.nan)
                for question, option, dont_know in zip(
                    columns["question_id"].tolist(),
                    columns["option_value"].tolist(),
                    columns["dont_know"].tolist(),
                    strict=True,
                )
            ],
            dtype=float,
        )
    frame = pd.DataFrame(
        {name: columns[name] for name in STORED_COLUMNS if name not in ("value", "dont_know")}
    )
    for column in ("organisation_id", "about_organisation_id"):
        frame[column] = frame[column].fillna(NO_ORGANISATION).astype(np.int64)
    frame["value"] = values
    frame["dont_know"] = columns["dont_know"]
    return frame


def answers_frame(cycles: Cycle | Iterable[Cycle] | QuerySet) -> pd.DataFrame:
    """The engine's canonical answers frame (``analytics.frames``) from the raw answers of
    the submitted responses of ``cycles``."""
    cycle_ids = ids_of(cycles)
    stored = scored_answers(Response.objects.filter(cycle_id__in=cycle_ids))
    versions = Cycle.objects.filter(pk__in=cycle_ids).values_list("framework_version_id", flat=True)
    questions = pd.concat([questions_frame(v) for v in set(versions)], ignore_index=True)
    keyed = stored.merge(
        questions[["question_id", "theme_key", "question_key", "dimension", *ITEM_COLUMNS]],
        on="question_id",
        how="left",
    )
    about = keyed["about_organisation_id"].astype("Int64")
    return pd.DataFrame(
        {
            "cycle_id": keyed["cycle_id"].astype(np.int64),
            "response_id": serials(keyed["response"]),
            "role": keyed["role"].astype(object),
            "organisation_id": keyed["organisation_id"].astype(np.int64),
            "theme_key": keyed["theme_key"].astype(object),
            "dimension": keyed["dimension"].astype(object),
            "question_key": keyed["question_key"].astype(object),
            "kind": keyed["kind"].astype(object),
            "value": keyed["value"].astype(float),
            "dont_know": keyed["dont_know"].astype(bool),
            "about_organisation_id": about.where(about != NO_ORGANISATION, pd.NA),
            "source": keyed["role"].map(source_of).astype(object),
            **{column: keyed[column].astype(float) for column in ITEM_COLUMNS},
        }
    )


def comments_frame(cycles: Cycle | Iterable[Cycle] | QuerySet) -> pd.DataFrame:
    """Free-text answers of submitted responses: the engine's comments frame."""
    rows = list(
        Answer.objects.filter(
            response__cycle_id__in=ids_of(cycles),
            response__state=ResponseState.SUBMITTED,
            question__kind__in=TEXT_KINDS,
        )
        .exclude(text="")
        .values_list(
            "response__cycle_id",
            "response_id",
            "response__role",
            "response__organisation_id",
            "question__theme__key",
            "question__key",
            "text",
        )
    )
    columns = [
        "cycle_id",
        "response_id",
        "role",
        "organisation_id",
        "theme_key",
        "question_key",
        "text",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["response_id"] = serials(frame["response_id"]) if len(frame) else []
    frame["organisation_id"] = frame["organisation_id"].fillna(NO_ORGANISATION).astype(np.int64)
    return frame
