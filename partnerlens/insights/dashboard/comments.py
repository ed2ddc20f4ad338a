"""What people wrote: comments by role, only for roles large enough to show."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights.analytics.frames import respondents
from partnerlens.insights.analytics.suppression import visible_comments
from partnerlens.insights.dashboard.parts import Context, ExportTable, Section, Table


def section(context: Context, answers: pd.DataFrame) -> tuple[Section, ExportTable]:
    comments = context.frames.comments
    shown = pd.DataFrame(columns=["role", "theme_key", "text"])
    if len(comments) and len(answers):
        people = respondents(answers)
        shown = visible_comments(comments, people, context.policy, by=("role",))
    rows = [
        [context.role(r.role), context.label(r.theme_key), r.text]
        for r in shown.sort_values(["theme_key", "role"]).itertuples(index=False)
    ]
    paragraphs = [
        _(
            "Written comments are shown by role, and only for roles in which at least "
            "%(k)s people responded, so that no comment can be traced to a small group."
        )
        % {"k": context.policy.threshold()}
    ]
    if len(comments) > len(shown):
        paragraphs.append(
            _("Some comments are not shown because too few people in their group responded.")
        )
    found = Section(
        "comments",
        _("What people wrote"),
        paragraphs,
        tables=[Table(_("Comments"), [_("Role"), _("Theme"), _("Comment")], rows)] if rows else [],
        collapsed=len(rows) > 10,
    )
    export = ExportTable("comments", _("Comments"), [_("Role"), _("Theme"), _("Comment")], rows)
    return found, export
