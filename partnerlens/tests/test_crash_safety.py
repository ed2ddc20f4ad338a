"""Crash safety on PostgreSQL: a server killed mid-flight loses nothing it acknowledged, and
submissions made at the same moment keep every stored aggregate equal to a recount.

1. Respondents answer at once, each in a thread of their own, against gunicorn as deployed.
   In the middle the whole server (master and workers: its process group) is SIGKILLed and
   started again. Whatever the server acknowledged (a redirect after a saved page or a
   submission) must be in the database afterwards; a response is complete (submitted) only
   with all its answers, and counted in the aggregates exactly when it is submitted.
2. Many submissions to one cycle at the same instant (threads released together by a
   barrier, each with its own database connection), in an anonymous and a confidential
   cycle: the aggregates equal a recount from the answers (the insights tests' independent
   recomputation), the anonymous cycle's receipt set holds one receipt per submission, and
   every invitee who submitted, and no one else, is marked completed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import requests
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from partnerlens.core import testing_servers as servers
from partnerlens.directory.models import Membership, Role
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.models import Answer, Invitee, Response
from partnerlens.enquiries.receipts import receipts_of
from partnerlens.enquiries.responding import partners_for, themes_for
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import invite_people
from partnerlens.enquiries.services.responses import (
    start_or_resume_response,
    submit_response,
)
from partnerlens.enquiries.tests.conftest import answer_everything, link_from
from partnerlens.insights.models import ResponseThemeScore
from partnerlens.insights.tests.helpers import make_results_framework
from partnerlens.insights.tests.test_aggregates import assert_matches_raw_answers
from partnerlens.tests.serving import (
    Visitor,
    database_url,
    form_for,
    postgres_only,
    static_root,
)

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
RESPONDENTS = 16
CONNECTION_LOST = (requests.ConnectionError, requests.Timeout)


def open_cycle_with_invitees(personas, make_school, count: int, mode: str):
    """An open cycle of partnership A with ``count`` invited teachers; their link tokens."""
    lead = personas["lead_a"]
    schools = [personas["school_a"], make_school(f"Riverside {mode}")]
    Membership.objects.create(partnership=personas["a"], organisation=schools[1])
    today = timezone.localdate()
    cycle = create_cycle(
        personas["a"],
        actor=lead,
        framework_version=make_results_framework(f"crash-{mode}"),
        title=f"Crash review {mode}",
        opens_on=today,
        closes_on=today + timedelta(days=14),
        anonymity_mode=mode,
        audience_roles=[Role.TEACHER],
    )
    rows = [
        InviteeRow(n, f"t{n}@example.org", f"Teacher {n}", Role.TEACHER, schools[n % 2], "en")
        for n in range(count)
    ]
    mail.outbox.clear()
    with LOCMEM:
        invite_people(cycle, rows, actor=lead)
        open_cycle(cycle, actor=lead)
    tokens = {m.to[0]: link_from(m.body) for m in mail.outbox}
    assert len(tokens) == count
    return cycle, tokens


@dataclass
class Journey:
    """What one respondent did, and what the server acknowledged."""

    email: str
    token: str
    pages: list[list[tuple[str, str]]]
    abandons: bool  # gives up at the first lost connection, leaving a draft behind
    saved: list[int] = field(default_factory=list)  # acknowledged theme pages
    submitted: bool = False  # submission acknowledged
    lost: int = 0  # requests whose connection the crash cut
    problems: list[str] = field(default_factory=list)


class Crash:
    """The server, killed once after ``after`` acknowledgements, then started again."""

    def __init__(self, env, folder, after: int):
        self.env, self.folder, self.after = env, folder, after
        self.server = servers.start_gunicorn(env, folder, "web", workers=3)
        self.acknowledged = 0
        self.lock = threading.Lock()
        self.reached = threading.Event()
        self.back = threading.Event()

    def acknowledge(self) -> None:
        with self.lock:
            self.acknowledged += 1
            if self.acknowledged >= self.after:
                self.reached.set()

    def kill_and_restart(self) -> None:
        assert self.reached.wait(120), "the respondents never got going"
        self.server.kill()
        self.server = servers.start_gunicorn(
            self.env, self.folder, "web-again", workers=3, port=self.server.port
        )
        self.back.set()


def walk(journey: Journey, base: str, crash: Crash) -> None:
    """Start, save each theme page ("Save and continue"), submit; after a lost connection
    wait for the server and send the same request again (saving is idempotent)."""
    visitor = Visitor()
    link = f"{base}/enquiries/r/{journey.token}"

    def send(url, fields=None) -> requests.Response | None:
        """POST ``fields`` (GET without them); a cut connection is retried once the server is
        back, unless this respondent gives up at the first one."""
        while True:
            try:
                return visitor.get(url) if fields is None else visitor.post(url, fields)
            except CONNECTION_LOST:
                journey.lost += 1
                if journey.abandons:
                    return None
                crash.back.wait(120)

    try:
        if send(f"{link}/") is None:  # the CSRF cookie; the crash may cut even this
            return
        if send(f"{link}/", {}) is None:
            return
        for number, fields in enumerate(journey.pages, start=1):
            answer = send(f"{link}/theme/{number}/", [*fields, ("continue", "")])
            if answer is None:
                return
            if answer.status_code != 302:
                journey.problems.append(f"theme {number}: {answer.status_code}")
                return
            journey.saved.append(number)
            crash.acknowledge()
        answer = send(f"{link}/submit/", {})
        if answer is None:
            return
        if answer.status_code == 302 and answer.headers["Location"].endswith("/submitted/"):
            journey.submitted = True
        elif "already submitted" in answer.text:  # done before the crash cut the reply
            journey.submitted = True
        else:
            journey.problems.append(f"submit: {answer.status_code}")
        crash.acknowledge()
    except Exception as error:  # reported by the test, not lost in the thread
        journey.problems.append(repr(error))


def pages_for(cycle, organisation_id) -> list[list[tuple[str, str]]]:
    """Each theme page's form for a teacher of that school (as its page would show it)."""
    shape = Response(cycle=cycle, role=Role.TEACHER, organisation_id=organisation_id)
    partners = partners_for(shape)
    return [
        form_for(questions, partners, words="Kept through a crash")
        for _theme, questions in themes_for(shape)
    ]


def test_a_server_killed_mid_submission_loses_nothing_it_acknowledged(
    personas, make_school, tmp_path, tmp_path_factory
):
    cycle, tokens = open_cycle_with_invitees(personas, make_school, RESPONDENTS, "confidential")
    invitees = {i.email: i for i in Invitee.objects.filter(cycle=cycle)}
    journeys = [
        Journey(
            email,
            token,
            pages_for(cycle, invitees[email].organisation_id),
            abandons=n % 4 == 0,
        )
        for n, (email, token) in enumerate(sorted(tokens.items()))
    ]
    env = servers.server_env(database_url(), static_root=static_root(tmp_path_factory))
    servers.collect_static(env)
    steps = sum(len(j.pages) + 1 for j in journeys)
    crash = Crash(env, tmp_path, after=steps // 3)
    try:
        threads = [
            threading.Thread(target=walk, args=(j, crash.server.url, crash)) for j in journeys
        ]
        for thread in threads:
            thread.start()
        crash.kill_and_restart()
        for thread in threads:
            thread.join(180)
        assert not any(thread.is_alive() for thread in threads)
    finally:
        crash.server.stop()

    assert [j.problems for j in journeys if j.problems] == []
    assert sum(j.lost for j in journeys) > 0, "the kill cut no request: nothing was tested"
    assert any(j.abandons and not j.submitted for j in journeys)
    for journey in journeys:
        invitee = invitees[journey.email]
        response = Response.objects.filter(invitee=invitee).first()
        if journey.saved:
            assert response is not None, journey.email
        # Every acknowledged page's answers are stored as they were sent.
        stored = {
            f"q{a.question_id}"
            + (f"-o{a.about_organisation_id}" if a.about_organisation_id else ""): a.option_value
            or a.text
            for a in Answer.objects.filter(response=response)
        }
        for number in journey.saved:
            for name, value in journey.pages[number - 1]:
                assert stored.get(name) == value, (journey.email, number, name)
        if journey.submitted:
            assert response.is_submitted
    # Nothing shows as complete unless it is: a submitted response has every answer of every
    # page, its invitee alone is marked completed, and it alone is in the aggregates.
    for response in Response.objects.filter(cycle=cycle):
        journey = next(j for j in journeys if j.email == response.invitee.email)
        every = {name for page in journey.pages for name, _value in page}
        answered = Answer.objects.filter(response=response).count()
        if response.is_submitted:
            assert answered == len(every)
        assert response.invitee.completed == response.is_submitted
        counted = ResponseThemeScore.objects.filter(response_id=response.pk).exists()
        assert counted == response.is_submitted
    assert Invitee.objects.filter(cycle=cycle, completed=True).count() == (
        Response.objects.filter(cycle=cycle).submitted().count()
    )
    assert_matches_raw_answers(cycle)
    submitted = Response.objects.filter(cycle=cycle).submitted().count()
    print(  # the figures docs/quality.md quotes (pytest -s)
        f"crash respondents={len(journeys)} acknowledged={crash.acknowledged} "
        f"cut={sum(j.lost for j in journeys)} submitted={submitted} "
        f"drafts={Response.objects.filter(cycle=cycle).drafts().count()}"
    )


def in_threads(work, items) -> list:
    """Run ``work(item)`` for every item in a thread of its own, all released at once;
    returns each result, or the exception it raised."""
    barrier = threading.Barrier(len(items))
    results: list = [None] * len(items)

    def run(index, item):
        try:
            connection.ensure_connection()  # connected before the start, so all run together
            barrier.wait(30)
            results[index] = work(item)
        except Exception as error:
            results[index] = error
        finally:
            connection.close()  # each thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


@pytest.mark.parametrize("mode", ["anonymous", "confidential"])
def test_parallel_submissions_to_one_cycle_keep_the_aggregates_equal_to_a_recount(
    personas, make_school, mode
):
    cycle, tokens = open_cycle_with_invitees(personas, make_school, 12, mode)
    drafts = {}
    for token in tokens.values():
        response = start_or_resume_response(token)
        answer_everything(response)
        drafts[token] = response

    results = in_threads(lambda token: submit_response(drafts[token], token=token), list(drafts))
    assert results == [True] * len(drafts)
    # Everyone again at once, as double clicks: nothing is counted twice.
    again = in_threads(lambda token: submit_response(drafts[token], token=token), list(drafts))
    assert again == [False] * len(drafts)

    assert Response.objects.filter(cycle=cycle).submitted().count() == len(drafts)
    assert ResponseThemeScore.objects.filter(cycle=cycle).values("response").distinct().count() == (
        len(drafts)
    )
    assert_matches_raw_answers(cycle)
    if mode == "anonymous":
        assert len(receipts_of(cycle)) == len(drafts)
        assert not Invitee.objects.filter(cycle=cycle, completed=True).exists()
    else:
        assert Invitee.objects.filter(cycle=cycle, completed=True).count() == len(drafts)


def test_starting_the_same_invitation_many_times_at_once_makes_one_draft(personas, make_school):
    cycle, tokens = open_cycle_with_invitees(personas, make_school, 1, "confidential")
    token = next(iter(tokens.values()))
    results = in_threads(lambda _n: start_or_resume_response(token).pk, list(range(8)))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert len(set(results)) == 1
    assert Response.objects.filter(cycle=cycle).count() == 1
