"""Where a framework's Welsh is missing: every text typed in English with no Welsh beside
it, so the editor can list the gaps and link to each (the rule is ``core.bilingual``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from partnerlens.core.bilingual import welsh_missing


@dataclass(frozen=True)
class Gap:
    anchor: str  # the id of the element on the version page
    kind: str  # what lacks Welsh, for people: "Theme", "Question"...
    text: str  # its English text, which names it ("" for the framework's name and summary)
    fields: tuple[str, ...]


def welsh_gaps(framework, themes) -> list[Gap]:
    """Gaps in page order. ``themes`` should have ``questions__options`` prefetched, so this
    reads nothing more from the database."""
    gaps = []
    missing = welsh_missing(framework, "name", "summary")
    if missing:
        gaps.append(Gap("framework", _("Name and summary"), "", tuple(missing)))
    for theme in themes:
        missing = welsh_missing(theme, "title", "description")
        if missing:
            gaps.append(Gap(f"theme-{theme.key}", _("Theme"), theme.title_en, tuple(missing)))
        for question in theme.questions.all():
            missing = welsh_missing(question, "text", "help")
            for option in question.options.all():
                if welsh_missing(option, "label", "descriptor"):
                    missing.append("options")
                    break
            if missing:
                text = question.text_en[:80]
                gaps.append(Gap(f"question-{question.key}", _("Question"), text, tuple(missing)))
    return gaps
