"""Builders for the insights tests: hand-made answer sets (``answers``, ``themes``) and a cycle
answered through the real enquiry services (``make_results_framework``, ``fill_cycle``).

The people who answer a filled cycle (``PEOPLE``), by role and school, are chosen so that
some groups are too small to show (two teachers at Hilltop High) and others just large
enough (ten parents, the parents' minimum). The fixtures using them are in ``conftest.py``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

import pandas as pd
from django.test import override_settings
from django.utils import timezone

from partnerlens.directory.models import Organisation, Role
from partnerlens.enquiries.models import Channel, Cycle, Response
from partnerlens.enquiries.responding import AnswerValue, partners_for, themes_for
from partnerlens.enquiries.services.cycles import (
    close_cycle,
    create_cycle,
    open_cycle,
    publish_cycle,
)
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import (
    save_theme_answers,
    start_open_link_response,
    submit_response,
)
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    Option,
    Question,
    QuestionKind,
    Theme,
    VersionStatus,
)
from partnerlens.insights.analytics import frames


def answers(rows: list[dict], themes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Validated answers from short dicts; unspecified fields get plain defaults."""
    defaults = {
        "cycle_id": 1,
        "organisation_id": 1,
        "theme_key": "trust",
        "dimension": "",
        "question_key": "q1",
        "kind": "agreement",
        "dont_know": False,
        "about_organisation_id": None,
        "source": "self",
    }
    filled = []
    for row in rows:
        merged = {**defaults, **row}
        merged.setdefault("value", float("nan"))
        filled.append(merged)
    return frames.validate_answers(pd.DataFrame(filled), themes)


def themes(*rows: dict) -> pd.DataFrame:
    defaults = {
        "dimension": "",
        "weight": 1.0,
        "target_level": float("nan"),
        "scale_min": 1.0,
        "scale_max": 5.0,
    }
    return frames.validate_themes(pd.DataFrame([{**defaults, **row} for row in rows]))


# --- a cycle answered through the real services ------------------------------------------

LEVELS = [("emerging", 1.0), ("developing", 2.0), ("embedded", 3.0), ("leading", 4.0)]
SMALL_TEACHER_SCHOOL = "Hilltop High"
# (role, school index or None, how many, rubric level, agreement answer, relationship level)
PEOPLE = [
    (Role.HEADTEACHER, 0, 2, "leading", "5", "collaboration"),
    (Role.HEADTEACHER, 1, 2, "leading", "5", "collaboration"),
    (Role.HEADTEACHER, 2, 2, "leading", "4", "collaboration"),
    (Role.TEACHER, 0, 7, "developing", "3", "networking"),
    (Role.TEACHER, 1, 6, "embedded", "3", "coordination"),
    (Role.TEACHER, 2, 2, "developing", "2", "networking"),  # too few to show at Hilltop
    (Role.GOVERNOR, None, 5, "embedded", "4", "cooperation"),
    (Role.PARENT, None, 10, "developing", "4", "none"),  # parents need 10: just enough
    (Role.PEER_REVIEWER, None, 5, "developing", "3", "networking"),
]
MAIL = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def make_results_framework(slug: str = "results-test", *, previous=None) -> FrameworkVersion:
    """Three themes: purpose (rubric + agreement, target 3), practice (agreement, free text;
    target 4), relations (one relationship question). Published."""
    if previous is None:
        framework = Framework.objects.create(slug=slug, name_en="Partnership results")
        number = 1
    else:
        framework, number = previous.framework, previous.number + 1
    version = FrameworkVersion.objects.create(
        framework=framework, number=number, status=VersionStatus.DRAFT
    )
    purpose = Theme.objects.create(
        version=version, key="purpose", order=1, title_en="Clarity of purpose", target_level=3
    )
    rubric = Question.objects.create(
        theme=purpose, key="aims", order=1, kind=QuestionKind.RUBRIC, text_en="Shared aims?"
    )
    for order, (value, score) in enumerate(LEVELS, start=1):
        Option.objects.create(
            question=rubric, order=order, value=value, label_en=value.title(), score=score
        )
    Question.objects.create(
        theme=purpose, key="direction", order=2, kind=QuestionKind.AGREEMENT, text_en="Direction"
    )
    practice = Theme.objects.create(
        version=version, key="practice", order=2, title_en="Depth of practice", target_level=4
    )
    Question.objects.create(
        theme=practice, key="changed", order=1, kind=QuestionKind.AGREEMENT, text_en="Changed?"
    )
    Question.objects.create(
        theme=practice, key="story", order=2, kind=QuestionKind.LONG_TEXT, text_en="Your story"
    )
    relations = Theme.objects.create(
        version=version, key="relations", order=3, title_en="Working with partners"
    )
    Question.objects.create(
        theme=relations,
        key="closeness",
        order=1,
        kind=QuestionKind.RELATIONSHIP,
        text_en="How closely do you work with each partner?",
    )
    FrameworkVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def answer(response, rubric: str, agreement: str, relationship: str, comment: str) -> None:
    for theme, questions in themes_for(response):
        values = {}
        for question in questions:
            if question.kind == QuestionKind.RELATIONSHIP:
                for partner in partners_for(response):
                    values[(question.id, partner.id)] = AnswerValue(option_value=relationship)
            elif question.kind == QuestionKind.RUBRIC:
                # Built-in rubrics name their levels differently: take the same rank.
                options = [o.value for o in question.options.all()]
                rank = [name for name, _score in LEVELS].index(rubric)
                chosen = rubric if rubric in options else options[min(rank, len(options) - 1)]
                values[(question.id, None)] = AnswerValue(option_value=chosen)
            elif question.kind == QuestionKind.AGREEMENT:
                values[(question.id, None)] = AnswerValue(option_value=agreement)
            elif comment:
                values[(question.id, None)] = AnswerValue(text=comment)
        save_theme_answers(response, theme, values)


@dataclass
class Filled:
    cycle: Cycle
    schools: list[Organisation]
    people: dict


def start_as_invited(token: str, *, role: str, organisation) -> Response:
    """A response started from the open link that then counts as an invited respondent's
    (role and school set by the lead, not self-declared). Quicker than an emailed link per
    person; the open-link group has tests of its own."""
    response, _resume = start_open_link_response(token, role=role, organisation=organisation)
    Response.objects.filter(pk=response.pk).update(channel=Channel.INVITED)
    response.channel = Channel.INVITED
    return response


def fill_cycle(
    partnership,
    lead,
    schools,
    version,
    people=PEOPLE,
    *,
    title="Spring review",
    comments=None,
    publish=True,
    opens_on=None,
    open_link=False,
) -> Cycle:
    """Open a cycle, submit ``people``'s responses, close it (and publish it). ``comments``
    maps a role to the comment each of its people writes. The responses start from the public
    link; unless ``open_link``, they then count as invited respondents."""
    today = timezone.localdate()
    opens_on = opens_on or today
    cycle = create_cycle(
        partnership,
        actor=lead,
        framework_version=version,
        title=title,
        opens_on=opens_on,
        closes_on=max(opens_on, today) + timedelta(days=10),
        audience_roles=sorted({p[0] for p in people}),
    )
    with MAIL:
        open_cycle(cycle, actor=lead)
    token = create_open_link(cycle, actor=lead)
    comments = comments or {}
    counter = itertools.count(1)
    for role, school, count, rubric, agreement, relationship in people:
        for _ in range(count):
            organisation = schools[school] if school is not None else None
            if open_link:
                response, _resume = start_open_link_response(
                    token, role=role, organisation=organisation
                )
            else:
                response = start_as_invited(token, role=role, organisation=organisation)
            text = comments.get(role, "")
            answer(
                response, rubric, agreement, relationship, f"{text} {next(counter)}" if text else ""
            )
            assert submit_response(response)
    close_cycle(cycle, actor=lead)
    if publish:
        publish_cycle(cycle, actor=lead)
    cycle.refresh_from_db()
    return cycle
