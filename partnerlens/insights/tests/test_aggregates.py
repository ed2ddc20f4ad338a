"""The aggregates kept at submission always equal a recomputation from the raw answers.

Responses are made and submitted through the real enquiry services (open link, theme pages,
submit); the expected figures are recomputed here with pandas from the stored Answer rows,
independently of ``insights.aggregates``.
"""

from __future__ import annotations

import math
from datetime import timedelta

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Role,
)
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Answer, Response
from partnerlens.enquiries.responding import AnswerValue, partners_for, themes_for
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import save_theme_answers, submit_response
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    Option,
    Question,
    QuestionKind,
    Theme,
    VersionStatus,
)
from partnerlens.insights.aggregates import add_responses
from partnerlens.insights.models import QuestionStat, ResponseThemeScore, ThemeRollup
from partnerlens.insights.question_stats import AggregateError
from partnerlens.insights.services import rebuild_aggregates
from partnerlens.insights.tests.helpers import start_as_invited

# The standard scales, as the product promises them (docs/frameworks.md), written out here
# rather than imported so the recomputation does not share code with what it checks.
AGREEMENT = {"1": 1.0, "2": 2.0, "3": 3.0, "4": 4.0, "5": 5.0}
CONTINUUM = {
    "none": 0.0,
    "networking": 1.0,
    "coordination": 2.0,
    "cooperation": 3.0,
    "collaboration": 4.0,
}
RUBRIC = [("emerging", 1.0), ("developing", 2.0), ("embedded", 3.0), ("leading", 4.0)]
ROLES = [Role.TEACHER, Role.HEADTEACHER, Role.PARENT, Role.PEER_REVIEWER, Role.GOVERNOR]
MAIL = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


# --- building a partnership, a framework and cycles -------------------------------------


def make_partnership(name: str, schools: int) -> tuple[Partnership, list[Organisation]]:
    partnership = Partnership.objects.create(name=name, kind=PartnershipKind.CLUSTER)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(kind=OrganisationKind.SCHOOL, name=f"{name} school {i}")
            for i in range(schools)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(partnership=partnership, organisation=o) for o in organisations]
    )
    return partnership, organisations


def make_framework(slug: str) -> FrameworkVersion:
    """Four themes: rubric and agreement; relationship and a headteachers-only agreement;
    agreement plus free text; free text only (no score at all)."""
    framework = Framework.objects.create(slug=slug, name_en="Partnership health")
    version = FrameworkVersion.objects.create(framework=framework, number=1)
    themes = {
        key: Theme.objects.create(
            version=version,
            key=key,
            order=order,
            dimension=dimension,
            title_en=key.title(),
            weight=weight,
            target_level=target,
        )
        for order, (key, dimension, weight, target) in enumerate(
            [
                ("purpose", "deep", 1.0, 3.0),
                ("relations", "tight", 2.0, None),
                ("voice", "deep", 1.0, None),
                ("stories", "", 1.0, None),
            ]
        )
    }

    def question(theme: str, key: str, kind: str, **extra) -> Question:
        return Question.objects.create(
            theme=themes[theme],
            key=key,
            order=Question.objects.count(),
            kind=kind,
            text_en=f"{key}?",
            **extra,
        )

    levels = question("purpose", "aims", QuestionKind.RUBRIC)
    for order, (value, score) in enumerate(RUBRIC):
        Option.objects.create(
            question=levels, order=order, value=value, label_en=value, score=score
        )
    # Mixed scales (1-4 rubric with 1-5 agreement; 0-4 continuum with 1-5 agreement) and
    # question weights: theme scores must put every answer on one scale and weigh it.
    question("purpose", "direction", QuestionKind.AGREEMENT, weight=2.0)
    question("relations", "closeness", QuestionKind.RELATIONSHIP)
    question(
        "relations", "heads-trust", QuestionKind.AGREEMENT, roles=[Role.HEADTEACHER], weight=0.5
    )
    question("voice", "heard", QuestionKind.AGREEMENT)
    question("voice", "say-more", QuestionKind.SHORT_TEXT)
    question("stories", "story", QuestionKind.LONG_TEXT)
    FrameworkVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.PUBLISHED, published_at=timezone.now()
    )
    version.refresh_from_db()
    return version


def make_open_cycle(partnership, version, mode: str = "anonymous"):
    today = timezone.localdate()
    cycle = create_cycle(
        partnership,
        actor=None,
        framework_version=version,
        title=f"Cycle {mode}",
        opens_on=today,
        closes_on=today + timedelta(days=14),
        anonymity_mode=mode,
    )
    with MAIL:
        open_cycle(cycle, actor=None)
    return cycle, create_open_link(cycle, actor=None)


# A plan for one question (or one partner): skip it, "don't know", an option by position,
# or evidence without an answer (a stored row that holds no value).
SKIP, DONT_KNOW, EVIDENCE_ONLY = "skip", "dont_know", "evidence_only"


def value_for(question: Question, choice) -> AnswerValue | None:
    if choice == SKIP:
        return None
    if choice == DONT_KNOW:
        return AnswerValue(dont_know=True)
    if choice == EVIDENCE_ONLY:
        return AnswerValue(evidence_note="minutes of the March meeting")
    if question.kind == QuestionKind.RUBRIC:
        return AnswerValue(option_value=RUBRIC[choice % len(RUBRIC)][0])
    if question.kind == QuestionKind.RELATIONSHIP:
        return AnswerValue(option_value=list(CONTINUUM)[choice % len(CONTINUUM)])
    if question.kind == QuestionKind.AGREEMENT:
        return AnswerValue(option_value=list(AGREEMENT)[choice % len(AGREEMENT)])
    return AnswerValue(text=f"words {choice}")


def respond(cycle, link: str, role: str, organisation, choices, submit: bool = True):
    """Answer every page through the services; ``choices`` yields one plan per answer."""
    response = start_as_invited(link, role=role, organisation=organisation)
    partners = partners_for(response)
    for theme, questions in themes_for(response):
        answers = {}
        for question in questions:
            abouts = [p.pk for p in partners] if question.kind == "relationship" else [None]
            for about in abouts:
                value = value_for(question, next(choices))
                if value is not None:
                    answers[(question.pk, about)] = value
        if answers:
            save_theme_answers(response, theme, answers)
    if submit:
        assert submit_response(response)
    return response


# --- the recomputation -------------------------------------------------------------------


def stored_scores() -> dict[int, dict[str, float]]:
    scores: dict[int, dict[str, float]] = {}
    for question_id, value, score in Option.objects.values_list("question_id", "value", "score"):
        if score is not None:
            scores.setdefault(question_id, {})[value] = score
    for question_id, kind in Question.objects.values_list("pk", "kind"):
        if question_id not in scores:
            scores[question_id] = {"agreement": AGREEMENT, "relationship": CONTINUUM}.get(kind, {})
    return scores


def recompute(cycle) -> tuple[dict, dict, dict]:
    """(question stats, theme scores, roll-ups) of a cycle from its raw answers."""
    rows = Answer.objects.filter(
        response__cycle=cycle,
        response__state="submitted",
        question__kind__in=["rubric", "agreement", "relationship"],
    ).values(
        "response_id",
        "response__role",
        "response__organisation_id",
        "question_id",
        "question__theme_id",
        "about_organisation_id",
        "option_value",
        "dont_know",
    )
    answers = pd.DataFrame(list(rows))
    if answers.empty:
        return {}, {}, {}
    scores = stored_scores()
    answers["value"] = [
        math.nan if dk else scores[q].get(option, math.nan)
        for q, option, dk in zip(
            answers.question_id, answers.option_value, answers.dont_know, strict=True
        )
    ]
    # Each question's own scale and weight; a theme's scale spans its questions' scales.
    own = {
        q: (min(levels.values()), max(levels.values())) for q, levels in scores.items() if levels
    }
    weights = dict(Question.objects.values_list("pk", "weight"))
    spans: dict[int, tuple[float, float]] = {}
    for question_id, theme_id in Question.objects.values_list("pk", "theme_id"):
        if question_id in own:
            low, high = spans.get(theme_id, own[question_id])
            spans[theme_id] = (min(low, own[question_id][0]), max(high, own[question_id][1]))

    def on_theme(question_id: int, theme_id: int, value: float) -> float:
        low, high = own[question_id]
        theme_low, theme_high = spans[theme_id]
        return theme_low + (value - low) / (high - low) * (theme_high - theme_low)

    answers["org"] = answers["response__organisation_id"].fillna(0).astype(int)
    answers["about"] = answers["about_organisation_id"].fillna(0).astype(int)
    answers["role"] = answers["response__role"]
    answers["theme"] = answers["question__theme_id"]

    def summary(frame: pd.DataFrame) -> dict:
        values = frame["value"].dropna()
        return {
            "n_asked": len(frame),
            "n_responses": int((frame["value"].notna() | frame["dont_know"]).sum()),
            "n_dont_know": int(frame["dont_know"].sum()),
            "n": len(values),
            "total": float(values.sum()),
            "total_squares": float((values**2).sum()),
            "levels": {float(v): int(c) for v, c in values.value_counts().items()},
        }

    # One item per respondent and question: a relationship question's answers are averaged.
    items = answers.groupby(["response_id", "question_id"], as_index=False).agg(
        org=("org", "first"),
        role=("role", "first"),
        theme=("theme", "first"),
        value=("value", "mean"),
        dont_know=("dont_know", "any"),
    )
    stats = {
        (org, role, question, 0): summary(group)
        for (org, role, question), group in items.groupby(["org", "role", "question_id"])
    }
    partner_rows = answers[answers["about"] != 0]
    for (org, role, question, about), group in partner_rows.groupby(
        ["org", "role", "question_id", "about"]
    ):
        stats[(org, role, question, about)] = summary(group)
    # A theme score: the weighted mean of the answers, each first put on the theme's scale.
    items["placed"] = [
        on_theme(q, t, v)
        for q, t, v in zip(items.question_id, items.theme, items.value, strict=True)
    ]
    items["weight"] = [
        0.0 if math.isnan(v) else weights[q]
        for q, v in zip(items.question_id, items.value, strict=True)
    ]
    items["weighted"] = (items["placed"] * items["weight"]).fillna(0.0)
    themes = items.groupby(["response_id", "theme"], as_index=False).agg(
        role=("role", "first"),
        weighted=("weighted", "sum"),
        weights=("weight", "sum"),
        dont_know=("dont_know", "any"),
    )
    themes["score"] = [
        w / total if total > 0 else math.nan
        for w, total in zip(themes["weighted"], themes["weights"], strict=True)
    ]
    theme_scores = {(r.response_id, r.theme): (r.score, r.dont_know) for r in themes.itertuples()}
    rollups = {}
    for (theme, role), group in themes.groupby(["theme", "role"]):
        scored = group["score"].dropna()
        mine = answers[(answers.theme == theme) & (answers.role == role)].dropna(subset="value")
        given = pd.Series(
            [on_theme(q, theme, v) for q, v in zip(mine.question_id, mine.value, strict=True)],
            dtype=float,
        )
        rollups[(theme, role)] = {
            "n": len(scored),
            "total": scored.sum(),
            "total_squares": (scored**2).sum(),
            "n_dont_know": int(group["dont_know"].sum()),
            "n_answers": len(given),
            "answer_total": given.sum(),
            "answer_total_squares": (given**2).sum(),
        }
    return stats, theme_scores, rollups


def assert_same(expected: dict, actual: dict, what: str) -> None:
    assert set(actual) == set(expected), f"{what}: different keys"
    for key, want in expected.items():
        got = actual[key]
        for field, value in want.items():
            if field == "levels":
                assert got[field] == value, f"{what} {key} {field}"
            else:
                assert got[field] == pytest.approx(value, abs=1e-9), f"{what} {key} {field}"


def assert_matches_raw_answers(cycle) -> None:
    stats, theme_scores, rollups = recompute(cycle)
    stored_stats = {
        (s.organisation_id, s.role, s.question_id, s.about_organisation_id): {
            **{f: getattr(s, f) for f in ("n_asked", "n_responses", "n_dont_know", "n")},
            "total": s.total,
            "total_squares": s.total_squares,
            "levels": {float(level): count for level, count in s.levels.items()},
        }
        for s in QuestionStat.objects.filter(cycle=cycle)
    }
    assert_same(stats, stored_stats, "question stat")
    stored_scores_ = {
        (t.response_id, t.theme_id): (t.score, t.dont_know)
        for t in ResponseThemeScore.objects.filter(cycle=cycle)
    }
    assert set(stored_scores_) == set(theme_scores)
    for key, (score, dont_know) in theme_scores.items():
        got_score, got_dont_know = stored_scores_[key]
        assert got_dont_know == dont_know
        if math.isnan(score):
            assert got_score is None
        else:
            assert got_score == pytest.approx(score, abs=1e-12)
    fields = tuple(
        "n total total_squares n_dont_know n_answers answer_total answer_total_squares".split()
    )
    stored_rollups = {
        (r.theme_id, r.role): {f: getattr(r, f) for f in fields}
        for r in ThemeRollup.objects.filter(cycle=cycle)
    }
    assert_same(rollups, stored_rollups, "roll-up")


# --- the property ------------------------------------------------------------------------

plans = st.one_of(
    st.sampled_from([SKIP, DONT_KNOW, EVIDENCE_ONLY]), st.integers(min_value=0, max_value=4)
)
people = st.lists(
    st.tuples(
        st.sampled_from(ROLES),
        st.integers(min_value=-1, max_value=2),  # -1: answering for no organisation
        st.booleans(),  # submitted, or left as a draft
        st.lists(plans, min_size=1, max_size=12),
    ),
    max_size=7,
)


@MAIL
class TestAggregatesEqualRecomputation(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.partnership, cls.schools = make_partnership("Northern", schools=3)
        cls.version = make_framework("health")

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(cycles=st.lists(people, min_size=1, max_size=2))
    def test_every_aggregate_row_equals_a_recomputation_from_raw_answers(self, cycles):
        made = []
        for number, respondents in enumerate(cycles):
            mode = ["anonymous", "confidential"][number % 2]
            cycle, link = make_open_cycle(self.partnership, self.version, mode)
            for role, school, submitted, choices in respondents:
                organisation = None if school < 0 else self.schools[school]
                endless = iter(choices * 50)
                respond(cycle, link, role, organisation, endless, submit=submitted)
            made.append(cycle)
        for cycle in made:
            assert_matches_raw_answers(cycle)
        # A repair recount gives the same rows as the increments did.
        for cycle in made:
            before = sorted(
                QuestionStat.objects.filter(cycle=cycle).values_list(
                    "organisation_id",
                    "role",
                    "question_id",
                    "about_organisation_id",
                    "n",
                    "n_dont_know",
                    "levels",
                )
            )
            rebuild_aggregates(cycle)
            after = sorted(
                QuestionStat.objects.filter(cycle=cycle).values_list(
                    "organisation_id",
                    "role",
                    "question_id",
                    "about_organisation_id",
                    "n",
                    "n_dont_know",
                    "levels",
                )
            )
            assert after == before
            assert_matches_raw_answers(cycle)


# --- specific behaviours -------------------------------------------------------------------


@pytest.fixture
def cycle_and_link(db):
    partnership, schools = make_partnership("Southern", schools=3)
    version = make_framework("south")
    cycle, link = make_open_cycle(partnership, version)
    return cycle, link, schools


def test_a_submission_is_counted_at_once_and_a_draft_not_at_all(cycle_and_link):
    cycle, link, schools = cycle_and_link
    respond(cycle, link, Role.TEACHER, schools[0], iter([3] * 20), submit=False)
    assert not QuestionStat.objects.filter(cycle=cycle).exists()
    respond(cycle, link, Role.TEACHER, schools[0], iter([3] * 20))
    stat = QuestionStat.objects.get(cycle=cycle, question__key="direction")
    assert (stat.n, stat.total, stat.levels) == (1, 4.0, {"4.0": 1})
    assert ResponseThemeScore.objects.filter(cycle=cycle).count() == 3  # stories has no score


def test_a_relationship_question_keeps_one_row_per_partner_and_one_per_respondent(
    cycle_and_link,
):
    cycle, link, schools = cycle_and_link
    # Two partners: "coordination" (2) about the first, "collaboration" (4) about the second.
    respond(cycle, link, Role.TEACHER, schools[0], iter([0, 0, 2, 4] + [0] * 10))
    rows = {
        s.about_organisation_id: (s.n, s.total)
        for s in QuestionStat.objects.filter(cycle=cycle, question__key="closeness")
    }
    assert rows == {0: (1, 3.0), schools[1].pk: (1, 2.0), schools[2].pk: (1, 4.0)}


def test_dont_know_is_counted_apart_and_never_as_a_score(cycle_and_link):
    cycle, link, _schools = cycle_and_link
    respond(cycle, link, Role.PARENT, None, iter([DONT_KNOW] * 20))
    stat = QuestionStat.objects.get(cycle=cycle, question__key="direction")
    assert (stat.organisation_id, stat.n_dont_know, stat.n, stat.n_responses) == (0, 1, 0, 1)
    assert stat.total == 0 and stat.levels == {}
    score = ResponseThemeScore.objects.get(cycle=cycle, theme__key="purpose")
    assert score.score is None and score.dont_know


def test_adding_a_response_twice_fails_instead_of_counting_it_twice(cycle_and_link):
    cycle, link, schools = cycle_and_link
    response = respond(cycle, link, Role.TEACHER, schools[1], iter([1] * 20))
    with pytest.raises(AggregateError, match="already added"):
        add_responses([response.pk])
    assert QuestionStat.objects.get(cycle=cycle, question__key="direction").n == 1


def test_a_refused_submission_adds_nothing(cycle_and_link):
    cycle, link, schools = cycle_and_link
    Question.objects.filter(key="direction").update(required=True)  # bypasses the freeze
    response = respond(cycle, link, Role.TEACHER, schools[0], iter([SKIP] * 20), submit=False)
    with pytest.raises(EnquiryError):
        submit_response(response)
    assert not QuestionStat.objects.exists() and not ThemeRollup.objects.exists()


def test_the_command_rebuilds_a_cycle_after_answers_were_removed_behind_its_back(
    cycle_and_link, capsys
):
    cycle, link, schools = cycle_and_link
    for school in schools:
        respond(cycle, link, Role.TEACHER, school, iter([2] * 20))
    Answer.objects.filter(question__key="direction", response__organisation=schools[0]).delete()
    assert QuestionStat.objects.filter(cycle=cycle, question__key="direction").count() == 3
    call_command("rebuild_insights", str(cycle.pk))
    assert f"cycle {cycle.pk}" in capsys.readouterr().out
    assert QuestionStat.objects.filter(cycle=cycle, question__key="direction").count() == 2
    assert_matches_raw_answers(cycle)


def test_the_command_names_cycles_that_do_not_exist(db):
    with pytest.raises(CommandError, match="No cycle with id 999"):
        call_command("rebuild_insights", "999")
    with pytest.raises(CommandError, match="or --all"):
        call_command("rebuild_insights")


def test_no_aggregate_row_can_lead_to_a_person(cycle_and_link):
    """Group tables hold no response at all; the per-respondent table holds only the
    response, which in an anonymous cycle points at nobody."""
    cycle, link, schools = cycle_and_link
    respond(cycle, link, Role.TEACHER, schools[0], iter([1] * 20))
    for model in (QuestionStat, ThemeRollup):
        related = {f.related_model for f in model._meta.fields if f.is_relation}
        assert Response not in related
    links = {f.name for f in ResponseThemeScore._meta.fields if f.is_relation}
    assert links == {"response", "cycle", "theme"}
    assert Response.objects.get().invitee_id is None
