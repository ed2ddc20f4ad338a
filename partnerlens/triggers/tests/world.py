"""Partnership A's early warnings in the persona world (partnerlens/tests/world.py): the
recommended indicators, one of its own with a name, and a trigger raised by the real
evaluation from two years of absence figures at the first school."""

from __future__ import annotations

from partnerlens.directory.models import OutcomeMeasure, Role
from partnerlens.triggers.models import Indicator
from partnerlens.triggers.services.evaluating import evaluate_partnership
from partnerlens.triggers.services.indicators import add_recommended

INDICATOR_NAME = "Northside attendance watch"


def build(a, lead, schools) -> dict:
    add_recommended(a, actor=lead)
    named = Indicator.objects.create(
        partnership=a,
        kind="attendance_fall",
        name=INDICATOR_NAME,
        targeted_at=3.0,
        notify_roles=[Role.PARTNERSHIP_LEAD],
    )
    for period, value in (("2023-24", 4.0), ("2024-25", 5.5)):
        OutcomeMeasure.objects.create(
            organisation=schools[0], measure="absence.overall_pct", period=period, value=value
        )
    raised = evaluate_partnership(a)
    return {"trigger": raised[0], "indicator": named}
