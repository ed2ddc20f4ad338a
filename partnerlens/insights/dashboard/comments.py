"""What people wrote: comments by role, only for roles large enough to show.

Comments reach the dashboard as raw free text (``loaders.answers.comments_frame``: every non-empty
text answer of a submitted response); ``comment_groups.visible_comments`` keeps those from
roles with at least k respondents (protected like score cells, so the left-over comments
never come from one small role). Here they are also redacted (email addresses, telephone
numbers and web addresses become "[removed]") and put in a fixed order (theme, role, then
the text itself), never the order people answered in, which would let a reader link one
person's comments across themes.
"""

from __future__ import annotations

import re

import pandas as pd
from django.utils.translation import gettext as _

from partnerlens.insights.analytics.comment_groups import visible_comments
from partnerlens.insights.analytics.frames import respondents
from partnerlens.insights.dashboard.parts import Context, ExportTable, Section, Table

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Nine or more digits, possibly split by spaces, dots, dashes or brackets (a phone number).
PHONE = re.compile(r"(?<!\w)\+?\(?\d(?:[\s().-]*\d){8,}")


def redact(text: str) -> tuple[str, bool]:
    """``text`` with contact details replaced by "[removed]", and whether any were."""
    removed = _("[removed]")
    redacted = text
    for pattern in (EMAIL, WEB, PHONE):
        redacted = pattern.sub(removed, redacted)
    return redacted, redacted != text


def section(context: Context, answers: pd.DataFrame) -> tuple[Section, ExportTable]:
    comments = context.frames.comments
    shown = pd.DataFrame(columns=["role", "theme_key", "text"])
    if len(comments) and len(answers):
        people = respondents(answers)
        shown = visible_comments(comments, people, context.policy, by=("role",))
    rows, redacted = [], False
    for r in shown.itertuples(index=False):
        text, changed = redact(str(r.text).strip())
        redacted = redacted or changed
        rows.append([context.role(r.role), context.label(r.theme_key), text, r.theme_key])
    rows = [row[:3] for row in sorted(rows, key=lambda row: (row[3], row[0], row[2]))]
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
    if redacted:
        paragraphs.append(
            _(
                "Email addresses, telephone numbers and web addresses in comments are "
                'replaced by "[removed]".'
            )
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
