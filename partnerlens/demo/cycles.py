"""Run a whole enquiry cycle for the demo through the enquiries services.

Invitations, responding and submitting go through the same functions real respondents use, so
the insights aggregates are kept by the same receiver. Two things differ, and only here:

- invitations are "sent" to an in-memory outbox (the synthetic people have no mailboxes) and
  each respondent follows the personal link in their own email;
- the services take answers only while a cycle is open today, so a past cycle is run today
  and then moved to its real dates (``move_to_dates``), the one write that bypasses them;
- the insights aggregates count a cycle's submissions in one batch once all are in
  (``counted_in_one_batch``), as an import does, rather than one by one as they arrive: the
  same sums, a fraction of the queries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from partnerlens.demo.mailbox import caught_mail
from partnerlens.demo.synthetic import Ask, Given, Level, Person, Sheet, Story, answer_sheet
from partnerlens.directory.models import Organisation, Partnership
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.models import AnonymityMode, Cycle, Invitee, Response
from partnerlens.enquiries.responding import AnswerValue, options_for
from partnerlens.enquiries.services import cycles, invitees, responses
from partnerlens.enquiries.signals import response_submitted
from partnerlens.frameworks.models import FrameworkVersion
from partnerlens.insights.aggregates import add_responses
from partnerlens.insights.receivers import count_submitted_response

COUNTING = "insights.count_submitted_response"  # the receiver's dispatch_uid (insights.apps)

LINK = re.compile(r"/enquiries/r/([A-Za-z0-9_-]+)/")


@dataclass(frozen=True)
class CyclePlan:
    title: str
    opens_on: date
    closes_on: date
    people: Sequence[Person]
    story: Story
    seed: int
    anonymity_mode: str = AnonymityMode.CONFIDENTIAL
    publish: bool = True
    title_cy: str = ""


def asks_by_role(version: FrameworkVersion, roles) -> dict[str, list[Ask]]:
    """What each role is asked, as the generator needs it (standard scales filled in)."""
    result = {}
    for role in sorted(set(roles)):
        result[role] = [
            Ask(
                id=q.pk,
                key=q.key,
                theme=q.theme.key,
                kind=q.kind,
                levels=tuple(Level(value, score) for value, _label, score in options_for(q)),
                allow_dont_know=q.allow_dont_know,
                evidence_required=q.evidence_required,
                minimum=(q.config or {}).get("min"),
                maximum=(q.config or {}).get("max"),
            )
            for q in version.questions_for(role)
        ]
    return result


def open_with_outbox(cycle: Cycle, *, actor) -> dict[str, str]:
    """Open the cycle, catching its invitation emails; returns each invitee's link token."""
    with caught_mail() as sent:
        cycles.open_cycle(cycle, actor=actor)
    tokens = {}
    for message in sent:
        found = LINK.search(message.body)
        if found:
            tokens[message.to[0]] = found.group(1)
    return tokens


def _value(given: Given) -> AnswerValue:
    return AnswerValue(
        option_value=given.option_value,
        number=None if given.number is None else Decimal(str(given.number)),
        text=given.text,
        choices=list(given.choices),
        dont_know=given.dont_know,
        evidence_note=given.evidence_note,
    )


def respond(token: str, person: Person, sheet: Sheet, pages) -> Response:
    """One respondent's visit: follow the link, answer theme by theme, submit.

    ``pages``: the (theme, questions) pages for the person's role, as ``themes_for`` gives
    them, worked out once per role rather than once per person.
    """
    response = responses.start_or_resume_response(token, language=person.language)
    by_question: dict[int, list[tuple[int, int | None]]] = {}
    for key in sheet:
        by_question.setdefault(key[0], []).append(key)
    for theme, questions in pages:
        page = {key: _value(sheet[key]) for q in questions for key in by_question.get(q.pk, ())}
        if page:
            responses.save_theme_answers(response, theme, page, language=person.language)
    responses.submit_response(response, token=token)
    return response


@contextmanager
def counted_in_one_batch() -> Iterator[list[int]]:
    """Submissions made inside are added to the insights aggregates together at the end.

    The receiver that counts each submission as it arrives is set aside meanwhile and put
    back afterwards, even on error; yields the list to append submitted response ids to.
    """
    submitted: list[int] = []
    connected = response_submitted.disconnect(dispatch_uid=COUNTING)
    try:
        yield submitted
        if connected:
            add_responses(submitted)
    finally:
        if connected:
            response_submitted.connect(count_submitted_response, dispatch_uid=COUNTING)


def move_to_dates(cycle: Cycle, opens_on: date, closes_on: date) -> None:
    """Give a cycle run today its real dates, spreading its times over them.

    Anonymous cycles keep their times at midnight, as the services stamp them.
    """
    Cycle.objects.filter(pk=cycle.pk).update(opens_on=opens_on, closes_on=closes_on)
    cycle.opens_on, cycle.closes_on = opens_on, closes_on
    first = timezone.make_aware(datetime.combine(opens_on, time(8, 0)))
    Invitee.objects.filter(cycle=cycle).update(sent_at=first)
    days = max(1, (closes_on - opens_on).days + 1)
    for index, pk in enumerate(
        Response.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True)
    ):
        day = opens_on + timedelta(days=(index * 7) % days)
        moment = time(0, 0) if cycle.is_anonymous else time(15 + index % 4, (index * 13) % 60)
        stamp = timezone.make_aware(datetime.combine(day, moment))
        Response.objects.filter(pk=pk).update(
            started_at=stamp, updated_at=stamp, submitted_at=stamp
        )


def run_cycle(
    partnership: Partnership, version: FrameworkVersion, plan: CyclePlan, *, actor
) -> Cycle:
    """Create, invite, open, answer, close (and publish) one cycle; returns it."""
    today = timezone.localdate()
    cycle = cycles.create_cycle(
        partnership,
        actor=actor,
        framework_version=version,
        title=plan.title,
        title_cy=plan.title_cy,
        opens_on=today,
        closes_on=today,
        anonymity_mode=plan.anonymity_mode,
    )
    organisations = Organisation.objects.in_bulk({p.organisation for p in plan.people} - {None})
    invitees.invite_people(
        cycle,
        [
            InviteeRow(
                row=number,
                email=p.email,
                name=p.name,
                role=p.role,
                organisation=organisations.get(p.organisation),
                language=p.language,
            )
            for number, p in enumerate(plan.people, start=2)
        ],
        actor=actor,
    )
    tokens = open_with_outbox(cycle, actor=actor)
    roles = {p.role for p in plan.people}
    asks = asks_by_role(version, roles)
    pages = {role: version.themes_for(role) for role in roles}
    responders = [p for p in plan.people if p.responds]
    sheets = answer_sheet(plan.people, asks, plan.story, seed=plan.seed)
    with counted_in_one_batch() as submitted:
        for person, sheet in zip(responders, sheets, strict=True):
            submitted.append(respond(tokens[person.email], person, sheet, pages[person.role]).pk)
    cycles.close_cycle(cycle, actor=actor)
    if plan.publish:
        cycles.publish_cycle(cycle, actor=actor)
    move_to_dates(cycle, plan.opens_on, plan.closes_on)
    return cycle
