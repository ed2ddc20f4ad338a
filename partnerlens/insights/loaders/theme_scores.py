"""Respondents' stored theme scores (``ResponseThemeScore``) as an answers-shaped frame."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

import numpy as np
import pandas as pd
from django.db.models import QuerySet

from partnerlens.enquiries.models import Cycle, Response, ResponseState
from partnerlens.insights.analytics.frames import NO_ORGANISATION
from partnerlens.insights.links import person_column
from partnerlens.insights.loaders.rows import fetch_columns, ids_of, source_of
from partnerlens.insights.models import ResponseThemeScore, respondent_key


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
    cycle_ids = ids_of(cycles)
    fields = ["respondent", "theme_id", "score", "dont_know"]
    if len(cycle_ids) > 1:  # one cycle: its id need not be read 60,000 times
        fields.append("cycle_id")
    scores = fetch_columns(
        ResponseThemeScore.objects.filter(cycle_id__in=cycle_ids).values_list(*fields),
        ("respondent", "theme_id", "value", "dont_know", "cycle_id")[: len(fields)],
        (np.int64, np.int64, float, bool, np.int64)[: len(fields)],
    )
    if "cycle_id" not in scores:
        scores["cycle_id"] = np.full(len(scores["respondent"]), cycle_ids[0] if cycle_ids else 0)
    people = fetch_columns(
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
