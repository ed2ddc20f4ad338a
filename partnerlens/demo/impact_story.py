"""The demo of issue 13 end to end, on the Tandridge partnership (``outcomes.py``): a
registered question and its estimate against comparison schools (run by the estimate's own
task, here at once), the recommended early-warning indicators evaluated, actions made from
findings with updates and evidence (a note and a link: the demo sets up no file storage of its
own), activities with their time and money, and the benefits register. Everything goes
through the owning apps' services, with their audit entries. The governors' summary
(``summary:page``) then has something in every part.

The actions, updates, activities and benefits are written for the demo; the schools and their
published results are real, the partnership's work together is not.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from partnerlens.actions import sources
from partnerlens.actions.services.evidence import add_evidence
from partnerlens.actions.services.plans import add_update, create_action
from partnerlens.actions.services.records import record_activity, record_benefit
from partnerlens.demo.mailbox import caught_mail
from partnerlens.demo.models import DemoStep
from partnerlens.demo.outcomes import OUTCOMES_BUILT
from partnerlens.demo.partnerships import demo_lead
from partnerlens.directory.models import Partnership
from partnerlens.impact.estimates import create_estimate, register
from partnerlens.impact.panel import member_ids
from partnerlens.triggers.forms import IndicatorForm
from partnerlens.triggers.models import Trigger
from partnerlens.triggers.services.evaluating import request_evaluation
from partnerlens.triggers.services.indicators import add_recommended, save_indicator

IMPACT_BUILT = "impact"
MEASURE = "ks2.rwm_exp_pct"
START_YEAR = 2018  # 2018-19: two years of results before it (2016-17, 2017-18), one from it
QUESTION = (
    "Does working together from September 2018 raise the share of our pupils meeting the "
    "expected standard in reading, writing and maths, compared with similar schools?"
)
QUESTION_CY = (
    "A yw cydweithio o fis Medi 2018 ymlaen yn codi cyfran ein disgyblion sy’n cyrraedd y "
    "safon ddisgwyliedig mewn darllen, ysgrifennu a mathemateg, o’i chymharu ag ysgolion tebyg?"
)
# The estimate's task and the evaluation's run at once, in this process, as a worker would
# run them: the demo is whole when make run starts serving it.
AT_ONCE = override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    TASKS_ENQUEUE_ON_COMMIT=False,
)
# Added to the recommended set: KS2 maths progress fell in three of the seven schools between
# 2017-18 and 2018-19 (by 5.5, 3.1 and 1.6 points in the real files), so it fires at every tier.
MATHS_PROGRESS = {
    "kind": "progress_drop",
    "name": "Drop in KS2 maths progress",
    "name_cy": "Gostyngiad yn y cynnydd mewn mathemateg yn CA2",
    "measure": "ks2.mat_progress",
    "universal_at": "1",
    "targeted_at": "2",
    "intensive_at": "4",
    "notify_roles": ["partnership_lead", "headteacher"],
    "deadline_days": "15",
    "active": "on",
}
# ((title, its Welsh), kind, days ago, hours, cost, schools: "all" or the first n members)
ACTIVITIES = (
    (
        ("Reading moderation across the six schools", "Cymedroli darllen ar draws y chwe ysgol"),
        "cpd", 120, "36", "450.00", "all",
    ),
    (("Heads' termly meeting", "Cyfarfod tymhorol y penaethiaid"), "meeting", 60, "14", "0", None),
    (
        ("Year 6 teachers' peer visits", "Ymweliadau cymheiriaid athrawon Blwyddyn 6"),
        "visit", 30, "18", "220.00", 3,
    ),
)  # fmt: skip
# (category, state, (description, its Welsh))
BENEFITS = (
    (
        "standards", "expected",
        (
            "More pupils meeting the expected standard in all three subjects.",
            "Mwy o ddisgyblion yn cyrraedd y safon ddisgwyliedig yn y tri phwnc.",
        ),
    ),
    (
        "cpd", "realised",
        (
            "Shared reading moderation replaced three separate courses.",
            "Daeth cymedroli darllen ar y cyd yn lle tri chwrs ar wahân.",
        ),
    ),
    (
        "transition", "expected",
        (
            "One Year 6 to Year 7 transition plan for the local secondaries.",
            "Un cynllun pontio o Flwyddyn 6 i Flwyddyn 7 ar gyfer yr ysgolion uwchradd lleol.",
        ),
    ),
)  # fmt: skip


def _partnership() -> Partnership | None:
    pk = DemoStep.detail_of(OUTCOMES_BUILT).get("partnership")
    return Partnership.objects.filter(pk=pk).first() if pk else None


def _maths_indicator(partnership, lead):
    form = IndicatorForm(MATHS_PROGRESS, partnership=partnership)
    if not form.is_valid():  # the form's rules changed: say which, rather than build half
        raise ValueError(f"demo indicator refused: {form.errors.as_json()}")
    return save_indicator(form, actor=lead)


def _actions(partnership, lead, estimate, today) -> list:
    finding = sources.resolve(partnership, {"source": "impact", "id": str(estimate.pk)})
    from_impact = create_action(
        partnership, actor=lead, finding=finding,
        title="Share the reading moderation approach with every Year 6 team",
        title_cy="Rhannu’r dull o gymedroli darllen â phob tîm Blwyddyn 6",
        description="The estimate shows where the partnership's schools stand against "
        "similar schools; the reading work is the first response.",
        description_cy="Mae’r amcangyfrif yn dangos ble mae ysgolion y bartneriaeth o’u "
        "cymharu ag ysgolion tebyg; y gwaith darllen yw’r ymateb cyntaf.",
        owner=lead, start_on=today - timedelta(days=90), due_on=today + timedelta(days=60),
        status="under_way", success_text="A rise in the share meeting the expected standard.",
        success_text_cy="Cynnydd yn y gyfran sy’n cyrraedd y safon ddisgwyliedig.",
        success_kind="outcome", success_code=MEASURE,
    )  # fmt: skip
    overdue = create_action(
        partnership, actor=lead, title="Agree one attendance follow-up procedure",
        title_cy="Cytuno ar un drefn ar gyfer dilyn presenoldeb",
        owner=lead, start_on=today - timedelta(days=60), due_on=today - timedelta(days=7),
        status="planned",
    )  # fmt: skip
    made = [from_impact, overdue]
    worst = Trigger.objects.filter(partnership=partnership).order_by("-severity", "pk").first()
    if worst is not None:
        found = sources.resolve(partnership, {"source": "trigger", "id": str(worst.pk)})
        made.append(
            create_action(
                partnership,
                actor=lead,
                finding=found,
                title="Maths lead from a partner school to support the Year 6 team",
                title_cy="Arweinydd mathemateg o ysgol bartner i gefnogi tîm Blwyddyn 6",
                owner=lead,
                start_on=today - timedelta(days=20),
                due_on=today + timedelta(days=90),
                status="planned",
                schools=[worst.organisation_id],
            )
        )
    add_update(
        from_impact, actor=lead, noted_on=today - timedelta(days=30),
        text="All six schools moderated one reading sample together; the next is in spring.",
    )  # fmt: skip
    add_update(
        overdue, actor=lead, noted_on=today - timedelta(days=10),
        text="Draft circulated to headteachers; waiting for two schools' comments.",
    )  # fmt: skip
    return made


@transaction.atomic
def build_impact_demo() -> str:
    partnership = _partnership()
    if partnership is None:
        DemoStep.mark(IMPACT_BUILT)
        return "no Tandridge partnership (no Surrey schools in the demo data); skipped"
    lead = demo_lead()
    today = timezone.localdate()
    schools = member_ids(partnership)
    registration = register(
        partnership, question=QUESTION, question_cy=QUESTION_CY, measure=MEASURE,
        schools=schools, start_year=START_YEAR, actor=lead,
    )  # fmt: skip
    with AT_ONCE, caught_mail():
        estimate = create_estimate(
            partnership, measure=MEASURE, schools=schools, start_year=START_YEAR,
            registration=registration, actor=lead,
        )  # fmt: skip
        indicators = add_recommended(partnership, actor=lead)
        indicators.append(_maths_indicator(partnership, lead))
        evaluation = request_evaluation(partnership)
    estimate.refresh_from_db()
    evaluation.refresh_from_db()
    actions = _actions(partnership, lead, estimate, today)
    members = sorted(partnership.memberships.values_list("organisation_id", flat=True))
    activities = []
    for (title, title_cy), kind, ago, hours, cost, where in ACTIVITIES:
        chosen = members if where == "all" else members[:where] if where else []
        activities.append(
            record_activity(
                partnership,
                actor=lead,
                schools=chosen,
                title=title,
                title_cy=title_cy,
                kind=kind,
                held_on=today - timedelta(days=ago),
                hours=Decimal(hours),
                cost=Decimal(cost),
            )
        )
    note = add_evidence(
        partnership, actor=lead, kind="note", title="Moderation notes, autumn term",
        title_cy="Nodiadau cymedroli, tymor yr hydref",
        text="Teachers agreed the standard on 18 of 20 pieces at the first attempt.",
        text_cy="Cytunodd yr athrawon ar y safon ar gyfer 18 o’r 20 darn ar y cynnig cyntaf.",
        actions=[actions[0]], activities=[activities[0]],
    )  # fmt: skip
    add_evidence(
        partnership, actor=lead, kind="link", title="The STA's teacher assessment exemplification",
        title_cy="Enghreifftiau’r STA o asesu gan athrawon",
        url="https://www.gov.uk/government/collections/key-stage-2-teacher-assessment-exemplification",
        actions=[actions[0]],
    )  # fmt: skip
    for category, state, (text, text_cy) in BENEFITS:
        record_benefit(
            partnership, actor=lead, category=category, state=state, description=text,
            description_cy=text_cy,
            evidence=[note] if state == "realised" else [],
        )  # fmt: skip
    DemoStep.mark(IMPACT_BUILT, partnership=partnership.pk, estimate=estimate.pk)
    return (
        f"{partnership.name}: a registered question and its estimate ({estimate.status}), "
        f"{len(indicators)} early-warning indicators evaluated ({evaluation.raised} triggers "
        f"raised), {len(actions)} actions with updates and evidence, {len(activities)} "
        f"activities, {len(BENEFITS)} benefits"
    )
