"""Framework documents <-> stored versions: read a version as a document, and write a
document's themes, questions, options and prompts into a version (in bulk)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Max

from partnerlens.directory.models import Role
from partnerlens.frameworks.models import (
    Framework,
    FrameworkVersion,
    Option,
    Question,
    ReflectionPrompt,
    Theme,
)
from partnerlens.frameworks.schema import (
    FrameworkDoc,
    OptionalText,
    OptionDoc,
    QuestionDoc,
    ReflectionPromptDoc,
    Text,
    ThemeDoc,
    dump_document,
)

ROLE_CODES = tuple(Role.values)


def bilingual(obj, field: str) -> dict[str, str]:
    return {"en": getattr(obj, f"{field}_en"), "cy": getattr(obj, f"{field}_cy")}


def version_document(version: FrameworkVersion) -> FrameworkDoc:
    """The version as a validated document model (two queries per level, no N+1)."""
    framework = version.framework
    themes = version.themes.prefetch_related("questions__options").order_by("order", "id")
    return FrameworkDoc(
        schema_version=1,
        slug=framework.slug,
        name=Text(**bilingual(framework, "name")),
        summary=OptionalText(**bilingual(framework, "summary")),
        themes=[
            ThemeDoc(
                key=theme.key,
                dimension=theme.dimension,
                title=Text(**bilingual(theme, "title")),
                description=OptionalText(**bilingual(theme, "description")),
                weight=theme.weight,
                target_level=theme.target_level,
                questions=[
                    QuestionDoc(
                        key=q.key,
                        kind=q.kind,
                        text=Text(**bilingual(q, "text")),
                        help=OptionalText(**bilingual(q, "help")),
                        roles=list(q.roles),
                        required=q.required,
                        evidence_required=q.evidence_required,
                        allow_dont_know=q.allow_dont_know,
                        weight=q.weight,
                        config=dict(q.config),
                        options=[
                            OptionDoc(
                                value=o.value,
                                label=Text(**bilingual(o, "label")),
                                descriptor=OptionalText(**bilingual(o, "descriptor")),
                                score=o.score,
                            )
                            for o in q.options.all()
                        ],
                    )
                    for q in theme.questions.all()
                ],
            )
            for theme in themes
        ],
        reflection_prompts=[
            ReflectionPromptDoc(key=p.key, text=Text(**bilingual(p, "text")), roles=list(p.roles))
            for p in version.reflection_prompts.all()
        ],
    )


def export_version(version: FrameworkVersion) -> dict[str, Any]:
    """The version as a framework document (the same format ``import_framework`` reads)."""
    return dump_document(version_document(version))


def option_documents(question: Question) -> list[dict[str, Any]]:
    """A question's options in page order, in the document format (``value``, ``label``,
    ``descriptor``, ``score``), as ``questions.update_question`` takes them."""
    return [
        {
            "value": o.value,
            "label": bilingual(o, "label"),
            "descriptor": bilingual(o, "descriptor"),
            "score": o.score,
        }
        for o in question.options.all()
    ]


def option_rows(question: Question, options: Iterable[OptionDoc]) -> list[Option]:
    return [
        Option(
            question=question,
            order=o,
            value=opt.value,
            label_en=opt.label.en,
            label_cy=opt.label.cy,
            descriptor_en=opt.descriptor.en,
            descriptor_cy=opt.descriptor.cy,
            score=opt.score,
        )
        for o, opt in enumerate(options)
    ]


def question_row(theme: Theme, order: int, q: QuestionDoc) -> Question:
    return Question(
        theme=theme,
        key=q.key,
        order=order,
        kind=q.kind,
        text_en=q.text.en,
        text_cy=q.text.cy,
        help_en=q.help.en,
        help_cy=q.help.cy,
        roles=list(q.roles),
        required=q.required,
        evidence_required=q.evidence_required,
        allow_dont_know=q.allow_dont_know,
        weight=q.weight,
        config=dict(q.config),
    )


def write_content(version: FrameworkVersion, doc: FrameworkDoc) -> None:
    """Create themes, questions, options and prompts in bulk (a handful of queries)."""
    themes = Theme.objects.bulk_create(
        [
            Theme(
                version=version,
                key=t.key,
                order=i,
                dimension=t.dimension,
                title_en=t.title.en,
                title_cy=t.title.cy,
                description_en=t.description.en,
                description_cy=t.description.cy,
                weight=t.weight,
                target_level=t.target_level,
            )
            for i, t in enumerate(doc.themes)
        ]
    )
    pairs = [
        (question_row(theme, i, q), q)
        for theme, t in zip(themes, doc.themes, strict=True)
        for i, q in enumerate(t.questions)
    ]
    questions = Question.objects.bulk_create([row for row, _ in pairs])
    Option.objects.bulk_create(
        [
            option
            for question, (_, q) in zip(questions, pairs, strict=True)
            for option in option_rows(question, q.options)
        ]
    )
    ReflectionPrompt.objects.bulk_create(
        [
            ReflectionPrompt(
                version=version,
                key=p.key,
                order=i,
                text_en=p.text.en,
                text_cy=p.text.cy,
                roles=list(p.roles),
            )
            for i, p in enumerate(doc.reflection_prompts)
        ]
    )


def next_after(queryset, field: str) -> int:
    """One more than the largest ``field`` in ``queryset`` (1 when it is empty)."""
    return (queryset.aggregate(n=Max(field))["n"] or 0) + 1


def next_number(framework: Framework) -> int:
    return next_after(framework.versions, "number")


def framework_texts(doc: FrameworkDoc) -> dict[str, str]:
    return {
        "name_en": doc.name.en,
        "name_cy": doc.name.cy,
        "summary_en": doc.summary.en,
        "summary_cy": doc.summary.cy,
    }


def save_changed(obj, values: dict[str, Any]) -> list[str]:
    """Set and save only the fields of ``obj`` whose value differs; their names, in order
    (empty when nothing changed, and then nothing is written)."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return changed


def update_framework_texts(framework: Framework, doc: FrameworkDoc) -> None:
    save_changed(framework, framework_texts(doc))
