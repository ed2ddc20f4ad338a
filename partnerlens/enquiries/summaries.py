"""Read-only views of a cycle for pages: response rates (counts only) and a response review."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Cycle, Response
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
    invited: int
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.invited) if self.invited else 0


@dataclass
class Progress:
    invited: int
    emailed: int
    completed: int
    submitted: int
    drafts: int
    rows: list[RateRow]

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.invited) if self.invited else 0


def progress_of(cycle: Cycle) -> Progress:
    """Counts of invitations and completions. Never who answered what, in any mode."""
    invitees = cycle.invitees.all()
    totals = invitees.aggregate(
        invited=Count("id"),
        emailed=Count("id", filter=Q(sent_at__isnull=False)),
        completed=Count("id", filter=Q(completed=True)),
    )
    grouped = (
        invitees.values("role", "organisation__name")
        .annotate(invited=Count("id"), completed=Count("id", filter=Q(completed=True)))
        .order_by("role", "organisation__name")
    )
    rows = [
        RateRow(
            str(Role(g["role"]).label) if g["role"] in Role.values else g["role"],
            g["organisation__name"] or "",
            g["invited"],
            g["completed"],
        )
        for g in grouped
    ]
    responses = Response.objects.for_cycle(cycle)
    return Progress(
        invited=totals["invited"],
        emailed=totals["emailed"],
        completed=totals["completed"],
        submitted=responses.submitted().count(),
        drafts=responses.drafts().count(),
        rows=rows,
    )


def _shown(question, value: AnswerValue | None, labels: dict[str, str]) -> str:
    if value is None or not value.has_answer:
        return ""
    if value.dont_know:
        return _("I don't know")
    if value.option_value:
        return labels.get(value.option_value, value.option_value)
    if value.choices:
        return ", ".join(labels.get(c, c) for c in value.choices)
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
                            f"{question.text}: {partner}",
                            _shown(question, value, labels),
                            _evidence(value) if index == 0 else [],
                            f"{name}-o{partners[index].id}-0",
                        )
                    )
                continue
            value = stored.get((question.id, None))
            rows.append(
                ReviewRow(
                    question, question.text, _shown(question, value, labels), _evidence(value), name
                )
            )
        sections.append((number, theme, rows))
    return sections


def _evidence(value: AnswerValue | None) -> list[str]:
    if value is None:
        return []
    return [text for text in (value.evidence_note, value.evidence_link) if text]
