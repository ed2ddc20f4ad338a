"""Framework questions and themes as the engine's frames, with each question's scale."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from partnerlens.enquiries.responding import AGREEMENT_DEFAULT, CONTINUUM_DEFAULT
from partnerlens.frameworks.models import (
    SCORED_KINDS,
    FrameworkVersion,
    Option,
    Question,
    QuestionKind,
    Theme,
)

SCORED = sorted(str(kind) for kind in SCORED_KINDS)
# Questions without options of their own use the standard scales (as the response pages do).
DEFAULT_SCALES = {
    QuestionKind.AGREEMENT: {value: score for value, _label, score in AGREEMENT_DEFAULT},
    QuestionKind.RELATIONSHIP: {value: score for value, _label, score in CONTINUUM_DEFAULT},
}


def question_scores(question_ids: Iterable[int]) -> dict[int, dict[str, float]]:
    """option value -> score for each scored question (standard scale when it has none)."""
    question_ids = list(question_ids)
    scores: dict[int, dict[str, float]] = {}
    rows = Option.objects.filter(question_id__in=question_ids, score__isnull=False)
    for question_id, value, score in rows.values_list("question_id", "value", "score"):
        scores.setdefault(question_id, {})[value] = float(score)
    kinds = Question.objects.filter(pk__in=question_ids).values_list("pk", "kind")
    for question_id, kind in kinds:
        if question_id not in scores and kind in DEFAULT_SCALES:
            scores[question_id] = dict(DEFAULT_SCALES[kind])
    return scores


def questions_frame(version: FrameworkVersion | int) -> pd.DataFrame:
    """The scored questions of a version: question_id, theme_id, theme_key, question_key,
    kind, dimension, the scale_min, scale_max of the question's theme, and the question's
    own scale and weight (item_min, item_max, item_weight: docs/methods.md)."""
    version_id = getattr(version, "pk", version)
    rows = list(
        Question.objects.filter(theme__version_id=version_id, kind__in=SCORED)
        .order_by("theme__order", "theme_id", "order", "id")
        .values_list("pk", "theme_id", "theme__key", "key", "kind", "theme__dimension", "weight")
    )
    frame = pd.DataFrame(
        rows,
        columns=[
            "question_id",
            "theme_id",
            "theme_key",
            "question_key",
            "kind",
            "dimension",
            "item_weight",
        ],
    )
    scores = question_scores(frame["question_id"])
    own_min = [min(scores.get(q, {}).values(), default=np.nan) for q in frame.question_id]
    own_max = [max(scores.get(q, {}).values(), default=np.nan) for q in frame.question_id]
    frame["item_min"] = np.array(own_min, dtype=float)
    frame["item_max"] = np.array(own_max, dtype=float)
    frame["item_weight"] = frame["item_weight"].astype(float)
    # The engine places every question on its theme's scale (the span of the theme's
    # questions), so intervals are clipped there too.
    frame["scale_min"] = pd.Series(own_min, dtype=float).groupby(frame["theme_id"]).transform("min")
    frame["scale_max"] = pd.Series(own_max, dtype=float).groupby(frame["theme_id"]).transform("max")
    return frame


def themes_frame(
    version: FrameworkVersion | int, questions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The engine's themes frame for the themes holding scored questions, in page order:
    theme_key, dimension, weight, target_level, scale_min, scale_max, plus theme_id, order and
    the titles (title_en, title_cy) for display. ``questions``: ``questions_frame`` of the
    version, if the caller has it already."""
    version_id = getattr(version, "pk", version)
    questions = questions_frame(version_id) if questions is None else questions
    scale = questions.groupby("theme_id").agg(
        scale_min=("scale_min", "min"), scale_max=("scale_max", "max")
    )
    rows = Theme.objects.filter(version_id=version_id, pk__in=list(scale.index)).order_by(
        "order", "id"
    )
    frame = pd.DataFrame(
        list(
            rows.values_list(
                "pk", "key", "dimension", "weight", "target_level", "order", "title_en", "title_cy"
            )
        ),
        columns=[
            "theme_id",
            "theme_key",
            "dimension",
            "weight",
            "target_level",
            "order",
            "title_en",
            "title_cy",
        ],
    )
    frame["target_level"] = frame["target_level"].astype(float)
    frame = frame.join(scale, on="theme_id")
    return frame[
        [
            "theme_key",
            "dimension",
            "weight",
            "target_level",
            "scale_min",
            "scale_max",
            "theme_id",
            "order",
            "title_en",
            "title_cy",
        ]
    ].reset_index(drop=True)
