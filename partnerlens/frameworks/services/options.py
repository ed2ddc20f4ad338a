"""Options of a draft question (choices, or rubric levels with descriptors): add, change and
remove one. Each goes through ``questions.update_question``, so the document's rules hold
(a rubric keeps two levels with distinct scores, a choice question two options) and the
change is audited as the question's. Agreement and relationship questions keep their
standard scale, which is never edited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import Option, Question, QuestionKind
from partnerlens.frameworks.schema import FIXED_SCALE_KINDS, NO_OPTION_KINDS, Problem, slugify_key
from partnerlens.frameworks.services.documents import option_documents
from partnerlens.frameworks.services.questions import update_question
from partnerlens.frameworks.services.versions import ensure_draft


def _editable(question: Question) -> None:
    ensure_draft(question.theme.version)
    if question.kind in FIXED_SCALE_KINDS or question.kind in NO_OPTION_KINDS:
        raise FrameworkChangeError(
            Problem("options", "change.options_fixed", {"kind": question.get_kind_display()})
        )


def _texts(label_en, label_cy, descriptor_en, descriptor_cy) -> dict[str, Any]:
    if not label_en.strip():
        raise FrameworkChangeError(Problem("label_en", "change.option_label"))
    return {
        "label": {"en": label_en.strip(), "cy": label_cy.strip()},
        "descriptor": {"en": descriptor_en.strip(), "cy": descriptor_cy.strip()},
    }


def _score(question: Question, score: float | None, documents) -> float | None:
    if question.kind != QuestionKind.RUBRIC:
        return None
    if score is None:
        scores = [d["score"] for d in documents if d["score"] is not None]
        return (max(scores) if scores else 0) + 1
    return score


@transaction.atomic
def save_option(
    question: Question,
    option: Option | None = None,
    *,
    label_en: str,
    label_cy: str = "",
    descriptor_en: str = "",
    descriptor_cy: str = "",
    score: float | None = None,
    actor=None,
) -> Question:
    """Change ``option``'s texts (both languages) and, for a rubric level, its score; without
    ``option``, a new one at the end (a rubric level scored one above the highest if no score
    is given)."""
    _editable(question)
    documents = option_documents(question)
    texts = _texts(label_en, label_cy, descriptor_en, descriptor_cy)
    if option is None:
        value = slugify_key(label_en[:40], [d["value"] for d in documents])[:40]
        documents.append({"value": value, **texts, "score": _score(question, score, documents)})
    else:
        document = next(d for d in documents if d["value"] == option.value)
        document.update(texts)
        if question.kind == QuestionKind.RUBRIC and score is not None:
            document["score"] = score
    return update_question(question, options=documents, actor=actor)


@transaction.atomic
def remove_option(option: Option, *, actor=None) -> Question:
    """Remove one option; refused when the question would have fewer than two."""
    question = option.question
    _editable(question)
    documents = [d for d in option_documents(question) if d["value"] != option.value]
    if len(documents) < 2:
        raise FrameworkChangeError(
            Problem("options", "change.last_options", {"kind": question.get_kind_display()})
        )
    return update_question(question, options=documents, actor=actor)
