"""The recommended indicators a lead can start from, and the built-in wording of each tier.

Thresholds follow the habits of local authorities and trusts that flag schools causing
concern: a rise of a point in overall absence or of four points in persistent absence is
worth a targeted conversation; a Progress 8 fall of half a grade is; an amber Welsh
category or a "requires improvement" judgement brings targeted support, red or inadequate
intensive support. Leads change any of them on the indicators page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnerlens.directory.models import Role
from partnerlens.triggers import evaluation as engine

NOTIFY = [Role.PARTNERSHIP_LEAD, Role.HEADTEACHER]

RECOMMENDED = [
    {"kind": engine.ATTENDANCE_FALL, "universal_at": 0.5, "targeted_at": 1.0, "intensive_at": 2.0},
    {"kind": engine.PERSISTENT_RISE, "universal_at": 2.0, "targeted_at": 4.0, "intensive_at": 8.0},
    {
        "kind": engine.PROGRESS_DROP,
        "measure": "ks4.p8",
        "universal_at": 0.25,
        "targeted_at": 0.5,
        "intensive_at": 1.0,
    },
    {"kind": engine.THEME_DROP, "universal_at": 0.3, "targeted_at": 0.5, "intensive_at": 1.0},
    {"kind": engine.REVIEW_JUDGEMENT, "targeted_at": 3.0, "intensive_at": 4.0},
    {"kind": engine.WALES_CATEGORY, "universal_at": 2.0, "targeted_at": 3.0, "intensive_at": 4.0},
]

BUILT_IN_SUPPORT = {
    engine.UNIVERSAL: _(
        "The school looks at the figures with its link leader at the next partnership "
        "meeting and notes what it will watch."
    ),
    engine.TARGETED: _(
        "A partner school with strength in this area is matched to the school, and the "
        "headteacher writes an action plan with them."
    ),
    engine.INTENSIVE: _(
        "The partnership lead and the headteacher agree an action plan with an adviser, "
        "reviewed every half term by the partnership board."
    ),
}
