"""What a respondent sees: the themes and questions for their role, and their partners.

Read-only helpers shared by the services (which check answers) and the forms and views
(which show them). Answer values here are plain data, free of HTTP and forms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import marked
from partnerlens.directory.models import Membership, Organisation
from partnerlens.enquiries.models import Answer, RelationshipsAsked, Response
from partnerlens.enquiries.partners import changed_partners
from partnerlens.frameworks.models import Question, QuestionKind, Theme
from partnerlens.frameworks.structure import structure

MAX_TEXT = 5000
MAX_SHORT_TEXT = 500

AGREEMENT_DEFAULT = [
    ("1", _("Strongly disagree"), 1.0),
    ("2", _("Disagree"), 2.0),
    ("3", _("Neither agree nor disagree"), 3.0),
    ("4", _("Agree"), 4.0),
    ("5", _("Strongly agree"), 5.0),
]
CONTINUUM_DEFAULT = [
    ("none", _("None"), 0.0),
    ("networking", _("Networking"), 1.0),
    ("coordination", _("Co-ordination"), 2.0),
    ("cooperation", _("Co-operation"), 3.0),
    ("collaboration", _("Collaboration"), 4.0),
]


@dataclass
class AnswerValue:
    """One answer as the respondent gave it; empty means "clear what was there"."""

    option_value: str = ""
    number: Decimal | None = None
    text: str = ""
    choices: list[str] = field(default_factory=list)
    dont_know: bool = False
    evidence_note: str = ""
    evidence_link: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.option_value
            or self.number is not None
            or self.text
            or self.choices
            or self.dont_know
            or self.evidence_note
            or self.evidence_link
        )

    @property
    def has_answer(self) -> bool:
        return bool(
            self.option_value or self.number is not None or self.text or self.choices
        ) or bool(self.dont_know)

    @classmethod
    def from_answer(cls, answer: Answer) -> AnswerValue:
        return cls(
            option_value=answer.option_value,
            number=answer.number,
            text=answer.text,
            choices=list(answer.choices or []),
            dont_know=answer.dont_know,
            evidence_note=answer.evidence_note,
            evidence_link=answer.evidence_link,
        )


def options_for(question: Question) -> list[tuple[str, str, float | None]]:
    """(value, label, score) choices, falling back to the standard scales. A typed label is
    HTML (``core.bilingual.marked``): an English fallback on a Welsh page is marked
    ``lang="en"``."""
    options = [(o.value, marked(o, "label"), o.score) for o in question.options.all()]
    if options:
        return options
    if question.kind == QuestionKind.AGREEMENT:
        return [(v, str(label), s) for v, label, s in AGREEMENT_DEFAULT]
    if question.kind == QuestionKind.RELATIONSHIP:
        return [(v, str(label), s) for v, label, s in CONTINUUM_DEFAULT]
    return []


def themes_for(response: Response) -> list[tuple[Theme, list[Question]]]:
    """The themes that hold at least one question for the respondent's role, in order.

    Read from the version's cached structure (``frameworks.structure``): the objects are
    shared between requests, so read them and never change them."""
    result = []
    for theme, questions in structure(response.cycle.framework_version):
        asked = [q for q in questions if q.asks(response.role)]
        if asked:
            result.append((theme, asked))
    return result


@dataclass(frozen=True)
class AskedPartners:
    """The partners a relationship question asks about, and whether a re-survey narrowed
    them to those whose tie is new or has changed (the page then says so)."""

    partners: list[Organisation]
    narrowed: bool = False


def asked_partners(response: Response) -> AskedPartners:
    """The other current member organisations a relationship question asks about: all of
    them, or in a cycle that asks only about new or changed ties, those the registered
    rule names (``enquiries.partners``; every partner when it cannot tell)."""
    memberships = (
        Membership.objects.current()
        .filter(partnership=response.cycle.partnership)
        .exclude(organisation_id=response.organisation_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    partners = [m.organisation for m in memberships]
    if response.cycle.relationships_asked != RelationshipsAsked.CHANGED:
        return AskedPartners(partners)
    ids = tuple(p.pk for p in partners)
    # Kept on the response for the request: "Check your answers" and a saved page each ask
    # more than once, and the rule costs queries.
    memo = getattr(response, "_changed_partners", None)
    if memo is None or memo[0] != ids:
        memo = (ids, changed_partners(response.cycle, response.organisation_id, ids))
        response._changed_partners = memo
    changed = memo[1]
    if changed is None:
        return AskedPartners(partners)
    return AskedPartners([p for p in partners if p.pk in changed], narrowed=True)


def partners_for(response: Response) -> list[Organisation]:
    """The partners a relationship question asks this respondent about (``asked_partners``)."""
    return asked_partners(response).partners


def stored_answers(response: Response) -> dict[tuple[int, int | None], AnswerValue]:
    return {
        (a.question_id, a.about_organisation_id): AnswerValue.from_answer(a)
        # No ORDER BY: the default ordering joins the framework's tables, and a dict needs none.
        for a in response.answers.order_by()
    }


@dataclass(frozen=True)
class Gap:
    """Something that stops submission: an unanswered required question, missing evidence."""

    theme_number: int
    question: Question
    reason: str


def gaps_in(response: Response) -> list[Gap]:
    answers = stored_answers(response)
    themes = themes_for(response)
    # Partners are read only when a question asks about them.
    asks_partners = any(q.kind == QuestionKind.RELATIONSHIP for _t, qs in themes for q in qs)
    partners = partners_for(response) if asks_partners else []
    gaps = []
    for number, (_theme, questions) in enumerate(themes, start=1):
        for question in questions:
            if question.kind == QuestionKind.RELATIONSHIP:
                given = [answers.get((question.id, p.id)) for p in partners]
            else:
                given = [answers.get((question.id, None))]
            answered = [a for a in given if a and a.has_answer]
            if question.required and len(answered) < len(given):
                gaps.append(Gap(number, question, str(_("Answer this question"))))
            elif question.evidence_required and any(
                not a.dont_know and not (a.evidence_note or a.evidence_link) for a in answered
            ):
                gaps.append(Gap(number, question, str(_("Add evidence: a note or a link"))))
    return gaps
