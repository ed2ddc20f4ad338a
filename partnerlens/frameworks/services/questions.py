"""Questions of a draft: add, change and remove them, checked by the document's rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from pydantic import ValidationError

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.frameworks.errors import FrameworkChangeError
from partnerlens.frameworks.models import Option, Question, Theme
from partnerlens.frameworks.schema import (
    STANDARD_OPTIONS,
    OptionDoc,
    Problem,
    QuestionDoc,
    check_question,
    format_errors,
    slugify_key,
)
from partnerlens.frameworks.services.documents import (
    ROLE_CODES,
    next_after,
    option_documents,
    option_rows,
    question_row,
)
from partnerlens.frameworks.services.versions import ensure_draft, partnership_id

# What a draft question's page changes directly (its settings go into ``config``).
EDITED_FIELDS = (
    "text_en",
    "text_cy",
    "help_en",
    "help_cy",
    "roles",
    "required",
    "evidence_required",
    "allow_dont_know",
    "weight",
)


def _question_doc(fields: dict[str, Any], options: list[dict[str, Any]]) -> QuestionDoc:
    try:
        return QuestionDoc.model_validate({**fields, "options": options})
    except ValidationError as exc:
        raise FrameworkChangeError(format_errors(exc)) from None


def _checked_question(theme: Theme, fields: dict[str, Any], options, *, exclude_pk=None):
    doc = _question_doc(fields, options or [])
    errors = check_question(doc, "question", ROLE_CODES)
    keys = Question.objects.filter(theme__version_id=theme.version_id, key=doc.key)
    if exclude_pk is not None:
        keys = keys.exclude(pk=exclude_pk)
    if keys.exists():
        errors.append(Problem("question.key", "change.question_key_taken", {"key": doc.key}))
    if errors:
        raise FrameworkChangeError(errors)
    if doc.kind in STANDARD_OPTIONS:
        doc.options = [OptionDoc(**o) for o in STANDARD_OPTIONS[doc.kind]]
    return doc


@transaction.atomic
def add_question(
    theme: Theme,
    *,
    kind: str,
    text_en: str,
    text_cy: str = "",
    help_en: str = "",
    help_cy: str = "",
    roles: Iterable[str] = (),
    required: bool = False,
    evidence_required: bool = False,
    allow_dont_know: bool = True,
    weight: float = 1.0,
    config: dict[str, Any] | None = None,
    options: list[dict[str, Any]] | None = None,
    key: str | None = None,
    actor=None,
) -> Question:
    """A question at the end of a theme in a draft. ``options`` use the document format
    (``{"value", "label": {"en", "cy"}, "descriptor": {...}, "score"}``); agreement and
    relationship questions get their standard scale."""
    ensure_draft(theme.version)
    taken = Question.objects.filter(theme__version_id=theme.version_id).values_list(
        "key", flat=True
    )
    fields = {
        "key": key or slugify_key(text_en[:40], taken),
        "kind": kind,
        "text": {"en": text_en, "cy": text_cy},
        "help": {"en": help_en, "cy": help_cy},
        "roles": list(roles),
        "required": required,
        "evidence_required": evidence_required,
        "allow_dont_know": allow_dont_know,
        "weight": weight,
        "config": config or {},
    }
    doc = _checked_question(theme, fields, options)
    order = next_after(theme.questions, "order")
    question = question_row(theme, order, doc)
    question.save()
    Option.objects.bulk_create(option_rows(question, doc.options))
    record(
        actor,
        verbs.FRAMEWORK_QUESTION_ADDED,
        question,
        partnership_id=partnership_id(theme.version),
        key=question.key,
    )
    return question


@transaction.atomic
def update_question(
    question: Question, *, options: list[dict[str, Any]] | None = None, actor=None, **changes
) -> Question:
    """Change a draft's question. ``changes`` use model field names (``text_cy=...``);
    ``options``, if given, replaces the options (document format). The audit entry names
    the fields whose value differs (and ``options`` when they were given)."""
    theme = question.theme
    ensure_draft(theme.version)
    allowed = {*EDITED_FIELDS, "kind", "config", "key"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise FrameworkChangeError([Problem(name, "change.fixed_field") for name in unknown])
    current = {name: getattr(question, name) for name in allowed}
    merged = {**current, **changes}
    changed = sorted(name for name, value in changes.items() if value != current[name])
    if options is not None:
        changed.append("options")
    else:
        options = [] if merged["kind"] in STANDARD_OPTIONS else option_documents(question)
    fields = {
        "key": merged["key"],
        "kind": merged["kind"],
        "text": {"en": merged["text_en"], "cy": merged["text_cy"]},
        "help": {"en": merged["help_en"], "cy": merged["help_cy"]},
        **{
            name: merged[name]
            for name in (
                "roles",
                "required",
                "evidence_required",
                "allow_dont_know",
                "weight",
                "config",
            )
        },
    }
    doc = _checked_question(theme, fields, options, exclude_pk=question.pk)
    row = question_row(theme, question.order, doc)
    row.pk = question.pk
    row.save()
    question.options.all().delete()
    Option.objects.bulk_create(option_rows(row, doc.options))
    record(
        actor,
        verbs.FRAMEWORK_QUESTION_UPDATED,
        row,
        partnership_id=partnership_id(theme.version),
        changed=changed,
    )
    return row


@transaction.atomic
def remove_question(question: Question, *, actor=None) -> None:
    version = question.theme.version
    ensure_draft(version)
    record(
        actor,
        verbs.FRAMEWORK_QUESTION_REMOVED,
        question,
        partnership_id=partnership_id(version),
        key=question.key,
    )
    question.delete()
