"""The survey as a respondent sees it, for the preview page: each theme with its questions,
in page order, for one role or for everyone. Nothing is saved: the page draws the same GOV.UK
components as the answering pages, but outside any form and with no button to send them."""

from __future__ import annotations

from dataclasses import dataclass, field

from partnerlens.frameworks.models import FrameworkVersion, Question, QuestionKind, Theme

RADIO_KINDS = {QuestionKind.RUBRIC, QuestionKind.AGREEMENT, QuestionKind.SINGLE_CHOICE}
TEXT_LIMITS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 5000}


@dataclass
class PreviewItem:
    id: str
    option: object  # the Option, whose label and descriptor the page shows


@dataclass
class PreviewQuestion:
    question: Question
    number: int
    name: str
    kind: str
    items: list[PreviewItem] = field(default_factory=list)
    max_length: int = 0

    @property
    def radios(self) -> bool:
        return self.kind in RADIO_KINDS or self.kind == QuestionKind.RELATIONSHIP


@dataclass
class PreviewTheme:
    theme: Theme
    number: int
    questions: list[PreviewQuestion]


def preview_themes(version: FrameworkVersion, role: str | None = None) -> list[PreviewTheme]:
    """Each theme a person in ``role`` would see (``None``: every question), numbered as
    the answering pages number them ("Theme 2 of 5", questions from 1 on each page)."""
    pages = []
    for t, (theme, questions) in enumerate(version.themes_for(role), start=1):
        blocks = []
        for n, question in enumerate(questions, start=1):
            name = f"preview-q{question.pk}"
            block = PreviewQuestion(question, n, name, question.kind)
            block.items = [
                PreviewItem(f"{name}-{i}", option)
                for i, option in enumerate(question.options.all())
            ]
            limit = question.config.get("max_length") or TEXT_LIMITS.get(question.kind, 0)
            block.max_length = int(limit)
            blocks.append(block)
        pages.append(PreviewTheme(theme, t, blocks))
    return pages
