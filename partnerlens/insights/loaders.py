"""Thin loaders: stored answers and aggregates as the frames ``insights.analytics`` reads.

Read with ``values_list`` (no model instances), shaped with pandas, from two sources:

- raw answers (``scored_answers``, ``answers_frame``, ``comments_frame``): exact, but one row
  per answer; for tests, small cycles, trends and repairs;
- the aggregates kept by ``insights.aggregates`` (``theme_scores_frame``,
  ``question_stats_frame``, ``rollup_frame``): what the dashboard and the national roll-up
  read, a few thousand rows however many people answered.

``response_id`` in a frame is a serial number within that frame (1, 2, ...), never the stored
UUID: the engine needs integers, and frames that leave the database carry no stored key.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from django.db import connections
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from partnerlens.enquiries.models import Answer, Cycle, Response, ResponseState
from partnerlens.enquiries.responding import AGREEMENT_DEFAULT, CONTINUUM_DEFAULT
from partnerlens.frameworks.models import (
    SCORED_KINDS,
    FrameworkVersion,
    Option,
    Question,
    QuestionKind,
    Theme,
)
from partnerlens.insights.analytics.frames import ITEM_COLUMNS, NO_ORGANISATION
from partnerlens.insights.links import person_column
from partnerlens.insights.models import (
    NONE,
    QuestionStat,
    ResponseThemeScore,
    ThemeRollup,
    respondent_key,
)

SCORED = sorted(str(kind) for kind in SCORED_KINDS)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
# Peer reviewers and external advisers review the partnership; everyone else evaluates it
# from inside. The engine compares these sources (self vs peer vs external).
SOURCE_OF_ROLE = {"peer_reviewer": "peer", "external_adviser": "external"}
# Questions without options of their own use the standard scales (as the response pages do).
DEFAULT_SCALES = {
    QuestionKind.AGREEMENT: {value: score for value, _label, score in AGREEMENT_DEFAULT},
    QuestionKind.RELATIONSHIP: {value: score for value, _label, score in CONTINUUM_DEFAULT},
}
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


def source_of(role: str) -> str:
    return SOURCE_OF_ROLE.get(role, "self")


def _cycle_ids(cycles: Cycle | Iterable[Cycle | int] | QuerySet) -> list[int]:
    if isinstance(cycles, Cycle):
        return [cycles.pk]
    if isinstance(cycles, QuerySet):
        return list(cycles.values_list("pk", flat=True))
    return [c if isinstance(c, int) else c.pk for c in cycles]


def _serials(keys: pd.Series | np.ndarray) -> np.ndarray:
    """1, 2, ... in order of first appearance: the frame's response_id."""
    codes, _ = pd.factorize(np.asarray(keys, dtype=object))
    return codes.astype(np.int64) + 1


# --- frameworks ----------------------------------------------------------------------


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
            "question_id", "theme_id", "theme_key", "question_key", "kind", "dimension",
            "item_weight",
        ],
    )  # fmt: skip
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


# --- raw answers ---------------------------------------------------------------------


def scored_answers(responses: QuerySet) -> pd.DataFrame:
    """Scored answers of the given submitted responses: ``STORED_COLUMNS``.

    ``response`` is the response's key as the database returns it (32 hex digits on SQLite,
    a UUID on PostgreSQL); ``value`` the option's score (NaN for "don't know", a blank or an
    option without a score); organisation columns use 0 for "none".
    """
    columns = _fetch(
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
    cycle_ids = _cycle_ids(cycles)
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
            "response_id": _serials(keyed["response"]),
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
            response__cycle_id__in=_cycle_ids(cycles),
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
    frame["response_id"] = _serials(frame["response_id"]) if len(frame) else []
    frame["organisation_id"] = frame["organisation_id"].fillna(NO_ORGANISATION).astype(np.int64)
    return frame


# --- aggregates ----------------------------------------------------------------------


def _columns(rows: list[tuple], names: Sequence[str], types: Sequence = ()) -> dict:
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


def _fetch(queryset: QuerySet, names: Sequence[str], types: Sequence = ()) -> dict:
    """``fetch_rows`` as typed columns (see ``_columns``)."""
    rows = fetch_rows(queryset)
    with collector_paused():
        return _columns(rows, names, types)


def theme_scores_frame(
    cycles: Cycle | Iterable[Cycle | int] | QuerySet,
    themes: pd.DataFrame,
    link: bool = False,
    members: Mapping[int, Collection[str]] | None = None,
):
    """Respondents' theme scores in the shape of an answers frame, one row per respondent
    and theme, each theme acting as a single item (``question_key`` = ``theme_key``).

    ``scores.breakdown`` over this frame gives exactly the theme, dimension and framework
    figures it gives over the raw answers, because those levels only ever see a respondent's
    theme scores. (Not for the question level, and not for ``validate_answers``: a theme can
    hold both a score and a "don't know".) ``themes`` needs theme_id, theme_key and
    dimension (``themes_frame`` has them), for every theme of the cycles' versions.
    ``link``: fill ``person`` so trends can pair people. ``members``: only these responses
    count in the cycles it names (cycle id -> response ids, e.g. its latest release)."""
    cycle_ids = _cycle_ids(cycles)
    fields = ["respondent", "theme_id", "score", "dont_know"]
    if len(cycle_ids) > 1:  # one cycle: its id need not be read 60,000 times
        fields.append("cycle_id")
    scores = _fetch(
        ResponseThemeScore.objects.filter(cycle_id__in=cycle_ids).values_list(*fields),
        ("respondent", "theme_id", "value", "dont_know", "cycle_id")[: len(fields)],
        (np.int64, np.int64, float, bool, np.int64)[: len(fields)],
    )
    if "cycle_id" not in scores:
        scores["cycle_id"] = np.full(len(scores["respondent"]), cycle_ids[0] if cycle_ids else 0)
    people = _fetch(
        Response.objects.filter(cycle_id__in=cycle_ids, state=ResponseState.SUBMITTED).values_list(
            "id", "role", "organisation_id", "channel", "cycle_id"
        ),
        ("id", "role", "organisation_id", "channel", "cycle_id"),
    )
    keys = np.array([respondent_key(pk) for pk in people["id"]], dtype=np.int64)
    person = pd.Index(keys).get_indexer(scores["respondent"])
    if (person < 0).any():
        raise LookupError("a theme score belongs to no submitted response: rebuild the cycle")
    if members:
        allowed = {cycle: {respondent_key(pk) for pk in ids} for cycle, ids in members.items()}
        pairs = zip(keys, people["cycle_id"], strict=True)
        counted = np.array([c not in allowed or key in allowed[c] for key, c in pairs])
        scores = {name: values[counted[person]] for name, values in scores.items()}
        person = person[counted[person]]
    # Labels are looked up by position (per theme, per person), not mapped row by row.
    theme_position = pd.Index(themes["theme_id"]).get_indexer(scores["theme_id"])
    if (theme_position < 0).any():
        raise LookupError("a theme score belongs to a theme missing from `themes`")
    theme_key = themes["theme_key"].to_numpy(dtype=object)[theme_position]
    organisation = np.array(
        [NO_ORGANISATION if o is None else o for o in people["organisation_id"]], dtype=np.int64
    )
    sources = np.array([source_of(r) for r in people["role"]], dtype=object)
    return pd.DataFrame(
        {
            "cycle_id": scores["cycle_id"],
            "response_id": person.astype(np.int64) + 1,
            "role": people["role"][person],
            "organisation_id": organisation[person],
            "theme_key": theme_key,
            "dimension": themes["dimension"].to_numpy(dtype=object)[theme_position],
            "question_key": theme_key,
            "kind": "agreement",
            "value": scores["value"],
            "dont_know": scores["dont_know"],
            "about_organisation_id": pd.array([pd.NA] * len(theme_key), dtype="Int64"),
            "source": sources[person],
            "channel": np.asarray(people["channel"], dtype=object)[person],
            # Trends pair a person's answers across cycles (none with a single cycle).
            "person": person_column(keys, cycle_ids, link)[person],
        }
    )


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
    columns = _fetch(
        QuestionStat.objects.filter(cycle_id__in=_cycle_ids(cycles))
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
        "theme_key", "question_key", "kind", "dimension", "scale_min", "scale_max",
        *(c for c in ("item_min", "item_max") if c in questions),
    ):  # fmt: skip
        columns[column] = questions[column].to_numpy()[position]
    return pd.DataFrame(columns)


ROLLUP_KEYS = ("cycle_id", "theme_id", "role")
ROLLUP_SUMS = (
    "n",
    "n_dont_know",
    "total",
    "total_squares",
    "n_answers",
    "answer_total",
    "answer_total_squares",
)


def rollup_frame(
    cycles: Cycle | Iterable[Cycle] | QuerySet | None = None,
    sums: Sequence[str] = ROLLUP_SUMS,
) -> pd.DataFrame:
    """The stored ``ThemeRollup`` rows of ``cycles`` (every cycle when None): partnership_id,
    cycle_id, theme_id, theme_key, role and the ``sums`` asked for."""
    rows = ThemeRollup.objects.all()
    cycle_rows = Cycle.objects.all()
    if cycles is not None:
        cycle_ids = _cycle_ids(cycles)
        rows = rows.filter(cycle_id__in=cycle_ids)
        cycle_rows = cycle_rows.filter(pk__in=cycle_ids)
    fields = [*ROLLUP_KEYS, *sums]
    types = [object if f == "role" else float if "total" in f else np.int64 for f in fields]
    columns = _fetch(rows.values_list(*fields), fields, types)
    # Two small look-ups instead of joining every row to its cycle and theme.
    owners = _fetch(
        cycle_rows.values_list("pk", "partnership_id"), ("pk", "partnership_id"), (np.int64,) * 2
    )
    theme_ids = np.unique(columns["theme_id"]).tolist()
    keys = _fetch(
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
    stats = _fetch(
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
