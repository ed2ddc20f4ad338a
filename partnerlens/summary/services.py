"""The governors' impact and value summary of one partnership, worked out from the records
the other apps keep (issue 13, part 8). Numbers and codes only: the templates speak.

- time and money: ``actions`` activities, in total (``activity_totals``), by kind and by school;
- outcomes: for each measure, the partnership's latest finished ``impact`` estimate, as its own
  page presents it (``impact.presenting.describe``), so the summary never shows a number the
  estimate's page would not (no effect where there was not enough data);
- actions by status and overdue; early-warning triggers by tier, unresolved and overdue;
- the benefits register: expected and realised, by category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.utils import timezone

from partnerlens.actions.codes import ActivityKind, BenefitCategory, BenefitState, Status
from partnerlens.actions.models import Action, Activity, Benefit
from partnerlens.actions.services.records import activity_totals
from partnerlens.directory.models import Organisation
from partnerlens.impact.estimate_codes import measure_name
from partnerlens.impact.models import Estimate
from partnerlens.impact.panel import OwnMeasureNames, own_measure_names
from partnerlens.impact.presenting import describe
from partnerlens.triggers.models import Status as TriggerStatus
from partnerlens.triggers.models import Tier, Trigger

FINISHED = (Estimate.Status.ESTIMATED, Estimate.Status.NOT_ENOUGH_DATA)
MONEY = ("count", "hours", "cost")  # the columns of the time-and-money tables
ZERO = Decimal("0")


@dataclass
class Summary:
    partnership: object
    on: object  # the day it describes (overdue is judged on it)
    totals: dict  # count, hours, cost
    by_kind: list[dict] = field(default_factory=list)  # code, label, count, hours, cost
    by_school: list[dict] = field(default_factory=list)  # school (or None), count, hours, cost
    outcomes: list[dict] = field(default_factory=list)  # measure, name, estimate, report
    # Own measures' English names a Welsh reader sees for want of Welsh (to mark lang="en").
    english_names: set = field(default_factory=set)
    actions: list[dict] = field(default_factory=list)  # code, label, count
    actions_total: int = 0
    actions_overdue: int = 0
    triggers: list[dict] = field(default_factory=list)  # code, label, raised, unresolved, overdue
    triggers_total: dict = field(default_factory=dict)
    benefits: list[dict] = field(default_factory=list)  # code, label, expected, realised
    benefits_total: dict = field(default_factory=dict)

    @property
    def benefits_recorded(self) -> list[dict]:
        """The register's rows with something recorded (the table leaves the others out)."""
        return [row for row in self.benefits if row["expected"] or row["realised"]]


def _money_rows(grouped) -> dict:
    return {
        row["key"]: {
            "count": row["count"],
            "hours": row["hours"] or ZERO,
            "cost": row["cost"] or ZERO,
        }
        for row in grouped
    }


def _time_and_money(activities) -> tuple[list[dict], list[dict]]:
    """By kind (in the kinds' order, those with activities) and by school (an activity shared
    by several schools counts for each of them; those with no school are a row of their own,
    school None, last)."""
    totals = {"count": Count("pk"), "hours": Sum("hours"), "cost": Sum("cost")}
    kinds = _money_rows(activities.order_by().values(key=F("kind")).annotate(**totals))
    by_kind = [
        {"code": code, "label": label, **kinds[code]}
        for code, label in ActivityKind.choices
        if code in kinds
    ]
    schools = _money_rows(activities.order_by().values(key=F("schools")).annotate(**totals))
    names = Organisation.objects.in_bulk([k for k in schools if k is not None])
    by_school = [
        {"school": names[pk], **schools[pk]}
        for pk in sorted(names, key=lambda pk: (names[pk].name, pk))
    ]
    if None in schools:
        by_school.append({"school": None, **schools[None]})
    return by_kind, by_school


def latest_estimates(partnership, own: OwnMeasureNames) -> list[dict]:
    """For each measure, the latest finished estimate (newest first by when it was asked
    for), described as its page describes it; ``own``: the own measures' names."""
    seen, rows = set(), []
    for estimate in Estimate.objects.filter(partnership=partnership, status__in=FINISHED):
        if estimate.measure in seen:
            continue
        seen.add(estimate.measure)
        rows.append(
            {
                "measure": estimate.measure,
                "name": measure_name(estimate.measure, own),
                "estimate": estimate,
                "report": describe(estimate),
            }
        )
    return sorted(rows, key=lambda row: str(row["name"]))


def _actions(partnership, on) -> tuple[list[dict], int, int]:
    actions = Action.objects.filter(partnership=partnership)
    counts = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))
    rows = [
        {"code": code, "label": label, "count": counts.get(code, 0)}
        for code, label in Status.choices
    ]
    return rows, sum(counts.values()), actions.overdue(on).count()


def _triggers(partnership, on) -> tuple[list[dict], dict]:
    triggers = Trigger.objects.filter(partnership=partnership).order_by()
    raised = dict(triggers.values_list("tier").annotate(n=Count("pk")))
    unresolved = dict(triggers.unresolved().values_list("tier").annotate(n=Count("pk")))
    overdue = dict(triggers.overdue(on).values_list("tier").annotate(n=Count("pk")))
    # The most serious first: intensive, targeted, universal.
    rows = [
        {
            "code": code,
            "label": label,
            "raised": raised.get(code, 0),
            "unresolved": unresolved.get(code, 0),
            "overdue": overdue.get(code, 0),
        }
        for code, label in reversed(Tier.choices)
    ]
    total = {key: sum(row[key] for row in rows) for key in ("raised", "unresolved", "overdue")}
    total["open"] = triggers.filter(status=TriggerStatus.OPEN).count()
    return rows, total


def _benefits(partnership) -> tuple[list[dict], dict]:
    counted = {
        (category, state): n
        for category, state, n in Benefit.objects.filter(partnership=partnership)
        .order_by()
        .values_list("category", "state")
        .annotate(n=Count("pk"))
    }
    rows = [
        {
            "code": code,
            "label": label,
            "expected": counted.get((code, BenefitState.EXPECTED), 0),
            "realised": counted.get((code, BenefitState.REALISED), 0),
        }
        for code, label in BenefitCategory.choices
    ]
    total = {key: sum(row[key] for row in rows) for key in ("expected", "realised")}
    return rows, total


def _add_cells(rows: list[dict], keys: tuple[str, ...]) -> None:
    """Give each row its numbers in its table's column order (``cells``): the five tables are
    drawn by one partial (``summary/_count_table.html``), which cannot look keys up."""
    for row in rows:
        row["cells"] = tuple(row[key] for key in keys)


def build_summary(partnership, on=None) -> Summary:
    """Everything the summary page and its PDF show, for ``partnership`` on the day ``on``."""
    on = on or timezone.localdate()
    activities = Activity.objects.filter(partnership=partnership)
    by_kind, by_school = _time_and_money(activities)
    actions, actions_total, actions_overdue = _actions(partnership, on)
    triggers, triggers_total = _triggers(partnership, on)
    benefits, benefits_total = _benefits(partnership)
    own = own_measure_names(partnership)
    for rows, keys in (
        (by_kind, MONEY),
        (by_school, MONEY),
        (actions, ("count",)),
        (triggers, ("raised", "unresolved", "overdue")),
        (benefits, ("expected", "realised")),
    ):
        _add_cells(rows, keys)
    return Summary(
        partnership=partnership,
        on=on,
        totals=activity_totals(activities),
        by_kind=by_kind,
        by_school=by_school,
        outcomes=latest_estimates(partnership, own),
        english_names=own.english,
        actions=actions,
        actions_total=actions_total,
        actions_overdue=actions_overdue,
        triggers=triggers,
        triggers_total=triggers_total,
        benefits=benefits,
        benefits_total=benefits_total,
    )
