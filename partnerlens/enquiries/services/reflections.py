"""Leaders' private reflections: only their author ever reads them; never aggregated."""

from __future__ import annotations

import csv
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerlens.core.bilingual import localised
from partnerlens.core.spreadsheets import neutralise
from partnerlens.enquiries.errors import EnquiryError
from partnerlens.enquiries.models import Cycle, Reflection
from partnerlens.frameworks.models import ReflectionPrompt


def prompts_for(user, cycle: Cycle, *, roles=None) -> list[ReflectionPrompt]:
    """The cycle's prompts meant for the user's roles: pass ``roles`` from the request's
    ``Access``; they are read here only for callers without one (the demo, tests)."""
    if roles is None:
        from partnerlens.directory.access import get_access

        roles = get_access(user, cycle.partnership).roles
    prompts = ReflectionPrompt.objects.filter(version=cycle.framework_version)
    return [p for p in prompts if not p.roles or roles & set(p.roles)]


def save_reflections(user, cycle: Cycle, texts: dict[int, str], *, roles=None) -> int:
    """Keep the author's own reflections; a blank text removes that reflection."""
    prompts = {p.pk: p for p in prompts_for(user, cycle, roles=roles)}
    saved = 0
    with transaction.atomic():
        for prompt_id, text in texts.items():
            if prompt_id not in prompts:
                raise EnquiryError(_("That reflection prompt is not part of this cycle."))
            text = text.strip()
            mine = Reflection.objects.filter(user=user, prompt_id=prompt_id, cycle=cycle)
            if not text:
                mine.delete()
                continue
            if not mine.update(text=text, updated_at=timezone.now()):
                Reflection.objects.create(user=user, prompt_id=prompt_id, cycle=cycle, text=text)
            saved += 1
    return saved


def export_reflections(user, fmt: str = "csv") -> str:
    """The author's own reflections as CSV or plain text: their record, nobody else's."""
    reflections = (
        Reflection.objects.of(user)
        .select_related("prompt__version__framework", "cycle__partnership")
        .order_by("cycle__opens_on", "prompt__order", "pk")
    )
    if fmt == "txt":
        blocks = []
        for r in reflections:
            where = (
                f"{localised(r.cycle.partnership, 'name')}: {localised(r.cycle, 'title')}"
                if r.cycle
                else ""
            )
            blocks.append(
                f"{r.prompt.version.framework.name_en} {where}\n"
                f"{timezone.localtime(r.updated_at):%Y-%m-%d}\n"
                f"Q: {r.prompt.text}\n\n{r.text}\n"
            )
        return "\n\n".join(blocks)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["framework", "partnership", "cycle", "prompt", "reflection", "updated"])
    for r in reflections:
        # Every text cell through the one formula neutraliser, as the results downloads do:
        # a reflection starting "=HYPERLINK(...)" must stay text when opened in a spreadsheet.
        writer.writerow(
            [
                neutralise(cell)
                for cell in (
                    r.prompt.version.framework.name_en,
                    localised(r.cycle.partnership, "name") if r.cycle else "",
                    localised(r.cycle, "title") if r.cycle else "",
                    r.prompt.text,
                    r.text,
                    timezone.localtime(r.updated_at).isoformat(timespec="minutes"),
                )
            ]
        )
    return out.getvalue()
