"""Factories for enquiry tests: a small published framework and a cycle around personas."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerlens.directory.models import Membership, Role
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    Option,
    Question,
    QuestionKind,
    ReflectionPrompt,
    Theme,
    VersionStatus,
)

RUBRIC_LEVELS = [
    ("emerging", "Emerging", "Ymddangosol"),
    ("developing", "Developing", "Datblygu"),
    ("embedded", "Embedded", "Wedi ymwreiddio"),
    ("leading", "Leading", "Arwain"),
]

# The test framework: each theme (key, English and Welsh title) with its questions in order.
# A question is Question's keyword arguments; "options" are (value, English, Welsh) rows.
THEMES = {
    ("purpose", "Clarity of purpose", "Eglurder pwrpas"): [
        {
            "key": "shared-aims",
            "kind": QuestionKind.RUBRIC,
            "text_en": "How well do partners share their aims?",
            "text_cy": "Pa mor dda mae partneriaid yn rhannu eu nodau?",
            "required": True,
            "options": RUBRIC_LEVELS,
        },
        {
            "key": "agree-direction",
            "kind": QuestionKind.AGREEMENT,
            "text_en": "I know where the partnership is heading.",
            "text_cy": "Rwy'n gwybod i ble mae'r bartneriaeth yn mynd.",
            "evidence_required": True,
        },
        {
            "key": "governor-view",
            "kind": QuestionKind.SHORT_TEXT,
            "text_en": "What do governors hear about the partnership?",
            "roles": [Role.GOVERNOR],
        },
    ],
    ("practice", "Depth of engagement", "Dyfnder ymgysylltu"): [
        {
            "key": "visits",
            "kind": QuestionKind.NUMBER,
            "text_en": "How many visits to partner schools did you make this year?",
            "text_cy": "Sawl ymweliad â phartner ysgolion a wnaethoch eleni?",
            "config": {"min": 0, "max": 500},
        },
        {
            "key": "story",
            "kind": QuestionKind.LONG_TEXT,
            "text_en": "Describe one change the partnership made to your practice.",
            "text_cy": "Disgrifiwch un newid a wnaeth y bartneriaeth i'ch ymarfer.",
        },
        {
            "key": "activities",
            "kind": QuestionKind.MULTIPLE_CHOICE,
            "text_en": "Which activities did you take part in?",
            "text_cy": "Ym mha weithgareddau y cymeroch ran?",
            "allow_dont_know": False,
            "options": [
                ("cpd", "Joint training", "Hyfforddiant ar y cyd"),
                ("review", "Peer review", "Adolygiad cymheiriaid"),
                ("moderation", "Moderation", "Cymedroli"),
            ],
        },
    ],
    ("relations", "Working with partners", "Gweithio gyda phartneriaid"): [
        {
            "key": "depth",
            "kind": QuestionKind.RELATIONSHIP,
            "text_en": "How closely do you work with each partner?",
            "text_cy": "Pa mor agos ydych chi'n gweithio gyda phob partner?",
        },
    ],
}


def _add_question(theme: Theme, order: int, spec: dict) -> None:
    fields = {name: value for name, value in spec.items() if name != "options"}
    question = Question.objects.create(theme=theme, order=order, **fields)
    for position, (value, en, cy) in enumerate(spec.get("options", ()), start=1):
        # Rubric levels carry a descriptor and score their position; choices do neither.
        scored = {}
        if question.kind == QuestionKind.RUBRIC:
            scored = {"descriptor_en": f"{en} practice", "score": position}
        Option.objects.create(
            question=question, order=position, value=value, label_en=en, label_cy=cy, **scored
        )


@pytest.fixture
def make_framework(db):
    """A published framework with three themes covering every question kind."""

    def make(slug: str = "test-quality", *, owner=None, published: bool = True):
        framework = Framework.objects.create(
            slug=slug, name_en="Partnership quality", name_cy="Ansawdd partneriaeth", owner=owner
        )
        version = FrameworkVersion.objects.create(
            framework=framework, number=1, status=VersionStatus.DRAFT
        )
        for theme_order, ((key, title_en, title_cy), questions) in enumerate(
            THEMES.items(), start=1
        ):
            theme = Theme.objects.create(
                version=version, key=key, order=theme_order, title_en=title_en, title_cy=title_cy
            )
            for order, spec in enumerate(questions, start=1):
                _add_question(theme, order, spec)
        ReflectionPrompt.objects.create(
            version=version,
            key="my-role",
            order=1,
            text_en="What role will you play in leading partnership work?",
            text_cy="Pa rôl fyddwch chi'n ei chwarae wrth arwain gwaith partneriaeth?",
            roles=[Role.PARTNERSHIP_LEAD],
        )
        if published:  # content is frozen once published, so publish last
            FrameworkVersion.objects.filter(pk=version.pk).update(
                status=VersionStatus.PUBLISHED, published_at=timezone.now()
            )
            version.refresh_from_db()
        return version

    return make


@pytest.fixture
def cluster(personas, make_school):
    """Partnership A with three member schools."""
    a = personas["a"]
    extra = [make_school("Riverside Infants"), make_school("Hilltop High")]
    for school in extra:
        Membership.objects.create(partnership=a, organisation=school)
    return {**personas, "schools": [personas["school_a"], *extra]}


@pytest.fixture
def make_cycle(cluster, make_framework):
    from partnerlens.enquiries.services.cycles import create_cycle

    def make(mode: str = "confidential", **extra):
        version = extra.pop("framework_version", None) or make_framework(
            slug=f"fw-{mode}-{timezone.now().timestamp()}"
        )
        today = timezone.localdate()
        return create_cycle(
            cluster["a"],
            actor=cluster["lead_a"],
            framework_version=version,
            title=extra.pop("title", "Spring review"),
            opens_on=extra.pop("opens_on", today),
            closes_on=extra.pop("closes_on", today + timedelta(days=21)),
            anonymity_mode=mode,
            audience_roles=extra.pop("audience_roles", [Role.TEACHER, Role.HEADTEACHER]),
            audience_organisations=extra.pop("audience_organisations", cluster["schools"]),
        )

    return make


@pytest.fixture
def invite(cluster):
    """Invite people to a cycle: each row is (email, role, organisation index, language)."""
    from partnerlens.enquiries.invitee_files import InviteeRow
    from partnerlens.enquiries.services.invitees import invite_people

    def make(cycle, *people):
        rows = [
            InviteeRow(n, email, email.split("@")[0].title(), role, cluster["schools"][org], lang)
            for n, (email, role, org, lang) in enumerate(people, start=2)
        ]
        return invite_people(cycle, rows, actor=cluster["lead_a"]).created

    return make


def link_from(message_body: str, language: str = "en") -> str:
    """The respondent token in an email body's link for the given language."""
    import re

    prefix = "/cy" if language == "cy" else ""
    match = re.search(rf"https?://[^/\s]+{prefix}/enquiries/r/([A-Za-z0-9_-]+)/", message_body)
    assert match, message_body
    return match.group(1)


def later(days: int):
    return timezone.now() + timedelta(days=days)


def answer_everything(response) -> None:
    """Fill every question for the response's role with valid answers."""
    from partnerlens.enquiries.responding import AnswerValue, partners_for, themes_for
    from partnerlens.enquiries.services.responses import save_theme_answers

    for theme, questions in themes_for(response):
        answers = {}
        for question in questions:
            if question.kind == "relationship":
                for partner in partners_for(response):
                    answers[(question.id, partner.id)] = AnswerValue(option_value="networking")
            elif question.kind in ("rubric", "agreement"):
                answers[(question.id, None)] = AnswerValue(
                    option_value="leading" if question.kind == "rubric" else "4",
                    evidence_note="Minutes of the March meeting",
                )
            elif question.kind == "number":
                answers[(question.id, None)] = AnswerValue(number=Decimal("3"))
            elif question.kind == "multiple_choice":
                answers[(question.id, None)] = AnswerValue(choices=["cpd"])
            else:
                answers[(question.id, None)] = AnswerValue(text="Some words")
        save_theme_answers(response, theme, answers)


@pytest.fixture
def opened(make_cycle, invite, cluster, smtp_server):
    """An open cycle with one invited teacher; returns (cycle, token)."""

    from partnerlens.enquiries.services.cycles import open_cycle

    def make(mode: str = "confidential"):
        cycle = make_cycle(mode)
        invite(cycle, ("ann@example.org", Role.TEACHER, 0, "en"))
        open_cycle(cycle, actor=cluster["lead_a"])
        token = link_from(smtp_server.body(smtp_server.to("ann@example.org")[-1]))
        return cycle, token

    return make
