"""Read-only views of a cycle for pages: response rates (counts only) and a response review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.translation import gettext as _

from partnerlens.core.bilingual import marked
from partnerlens.directory.models import Organisation, Role
from partnerlens.enquiries.disclosure import minimum_group_size
from partnerlens.enquiries.models import Cycle, Response
from partnerlens.enquiries.rate_table import ALL, Figure, protect
from partnerlens.enquiries.responding import (
    AnswerValue,
    options_for,
    partners_for,
    stored_answers,
    themes_for,
)
from partnerlens.frameworks.models import QuestionKind


@dataclass
class RateRow:
    role: str
    organisation: str
    figure: Figure
    is_total: bool = False


@dataclass
class Progress:
    """The response-rate table, protected: see ``rate_table.protect``."""

    minimum: int
    anonymous: bool
    invited: int
    overall: Figure
    rows: list[RateRow]
    open_link: int

    @property
    def percent(self) -> int | None:
        if self.overall.submitted is None or not self.invited:
            return None
        return round(100 * self.overall.submitted / self.invited)


def completed_count(cycle: Cycle) -> int:
    """How many invited people have submitted, counted from responses in every mode
    (anonymous cycles keep no completion on the invitee)."""
    return Response.objects.for_cycle(cycle).submitted().invited().count()


def progress_of(cycle: Cycle) -> Progress:
    """Invited and submitted counts by role and organisation, small counts protected in
    every mode. Never who answered what; in anonymous cycles, no count below the minimum."""
    k = minimum_group_size(cycle)
    invited = {
        (g["role"], g["organisation_id"] or 0): g["n"]
        for g in cycle.invitees.values("role", "organisation_id").annotate(n=Count("id"))
    }
    responses = Response.objects.for_cycle(cycle).submitted()
    submitted = {
        (g["role"], g["organisation_id"] or 0): g["n"]
        for g in responses.invited().values("role", "organisation_id").annotate(n=Count("id"))
    }
    cells = {key: (invited.get(key, 0), submitted.get(key, 0)) for key in {*invited, *submitted}}
    figures = protect(cells, k, anonymous=cycle.is_anonymous)
    names = dict(
        Organisation.objects.filter(pk__in={o for _r, o in cells}).values_list("pk", "name")
    )
    everyone = str(_("All organisations"))
    rows = []
    for role in sorted({r for r, _o in cells}, key=_role_label):
        for org in sorted({o for r, o in cells if r == role}, key=lambda o: names.get(o, "")):
            rows.append(RateRow(_role_label(role), names.get(org, ""), figures[(role, org)]))
        rows.append(RateRow(_role_label(role), everyone, figures[(role, ALL)], is_total=True))
    all_roles = str(_("All roles"))
    for org in sorted({o for _r, o in cells}, key=lambda o: names.get(o, "")):
        rows.append(RateRow(all_roles, names.get(org, ""), figures[(ALL, org)], is_total=True))
    overall = figures.get((ALL, ALL), Figure(0, None, None))
    return Progress(
        minimum=k,
        anonymous=cycle.is_anonymous,
        invited=overall.invited,
        overall=overall,
        rows=rows,
        open_link=responses.open_link().count(),
    )


def _role_label(code: str) -> str:
    return str(Role(code).label) if code in Role.values else code


def _shown(question, value: AnswerValue | None, labels: dict[str, str]) -> str:
    """The answer as the page shows it; an option's label is HTML (``options_for``)."""
    if value is None or not value.has_answer:
        return ""
    if value.dont_know:
        return _("I don't know")
    if value.option_value:
        return conditional_escape(labels.get(value.option_value, value.option_value))
    if value.choices:
        return format_html_join(", ", "{}", ((labels.get(c, c),) for c in value.choices))
    if value.number is not None:
        return format(value.number.normalize(), "f")
    return value.text


@dataclass
class ReviewRow:
    question: object
    label: str
    answer: str
    evidence: list[str]
    anchor: str


def review_rows(response: Response) -> list[tuple[int, object, list[ReviewRow]]]:
    """For "Check your answers": each theme's questions with the answer as the person sees it."""
    stored = stored_answers(response)
    partners = partners_for(response)
    sections = []
    for number, (theme, questions) in enumerate(themes_for(response), start=1):
        rows = []
        for question in questions:
            labels = {v: label for v, label, _s in options_for(question)}
            name = f"q{question.id}"
            if question.kind == QuestionKind.RELATIONSHIP:
                values = [(p.name, stored.get((question.id, p.id))) for p in partners]
                for index, (partner, value) in enumerate(values):
                    rows.append(
                        ReviewRow(
                            question,
                            format_html("{}: {}", marked(question, "text"), partner),
                            _shown(question, value, labels),
                            _evidence(value) if index == 0 else [],
                            f"{name}-o{partners[index].id}-0",
                        )
                    )
                continue
            value = stored.get((question.id, None))
            rows.append(
                ReviewRow(
                    question,
                    marked(question, "text"),
                    _shown(question, value, labels),
                    _evidence(value),
                    name,
                )
            )
        sections.append((number, theme, rows))
    return sections


def _evidence(value: AnswerValue | None) -> list[str]:
    if value is None:
        return []
    return [text for text in (value.evidence_note, value.evidence_link) if text]
