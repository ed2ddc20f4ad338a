"""A respondent's way through an enquiry: Change returns to check-your-answers, required
evidence is asked for on its own theme page, pages read right before anything is answered,
and an open-link respondent is given their private link (and may email it to themselves)."""

from __future__ import annotations

import re

import pytest
from django.db import connection

from partnerlens.enquiries.models import Answer, Response
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.tests.conftest import answer_everything, link_from


@pytest.fixture
def started(opened, client):
    """A confidential cycle whose teacher has pressed Start; (cycle, token, ids, response)."""
    cycle, token = opened()
    client.post(f"/enquiries/r/{token}/")
    response = Response.objects.get()
    ids = {
        q.key: q.id
        for q in cycle.framework_version.themes.get(key="purpose").questions.all()
        | cycle.framework_version.themes.get(key="practice").questions.all()
    }
    return cycle, token, ids, response


# --- Change returns to check-your-answers ---------------------------------------------


def test_change_on_check_your_answers_comes_back_there_after_saving(started, client):
    _cycle, token, ids, response = started
    answer_everything(response)
    check = client.get(f"/enquiries/r/{token}/check/").text
    change = f"/enquiries/r/{token}/theme/2/?from=check#q{ids['visits']}"
    assert f'href="{change}"' in check
    theme = client.get(change.split("#")[0])
    assert "Save and return to check your answers" in theme.text
    assert f'href="/enquiries/r/{token}/check/" class="govuk-back-link"' in theme.text
    # Save and return: back to the check page, not on to theme 3.
    reply = client.post(
        change.split("#")[0],
        {f"q{ids['visits']}": "7", f"q{ids['story']}": "Co-planning"}
        | {f"q{ids['activities']}": "cpd", "continue": "1"},
    )
    assert reply.status_code == 302 and reply.url == f"/enquiries/r/{token}/check/"
    assert Answer.objects.get(response=response, question_id=ids["visits"]).number == 7
    # Plain Save stays on the theme and keeps the way back to the check page.
    stay = client.post(change.split("#")[0], {f"q{ids['visits']}": "8", "save": "1"})
    assert stay.url == f"/enquiries/r/{token}/theme/2/?from=check"


def test_without_coming_from_the_check_page_save_and_continue_moves_on(started, client):
    _cycle, token, ids, _response = started
    reply = client.post(
        f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "3", "continue": "1"}
    )
    assert reply.url == f"/enquiries/r/{token}/theme/3/"


def test_the_check_pages_problems_link_to_their_theme_and_come_back(started, client):
    _cycle, token, ids, _response = started
    client.post(f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "3"})
    check = client.get(f"/enquiries/r/{token}/check/").text
    assert f'href="/enquiries/r/{token}/theme/1/?from=check#question-shared-aims"' in check


# --- required evidence on its own theme page ---------------------------------------------


def test_an_answer_needing_evidence_cannot_pass_its_theme_without_it(started, client):
    _cycle, token, ids, response = started
    agree = f"q{ids['agree-direction']}"
    page = client.post(
        f"/enquiries/r/{token}/theme/1/",
        {f"q{ids['shared-aims']}": "leading", agree: "4", "continue": "1"},
    )
    assert page.status_code == 400
    message = "Add evidence for your answer to question 2: a note saying what shows it, or a link"
    assert f'<a href="#{agree}-note">{message}</a>' in page.text
    assert f'id="{agree}-note-error"' in page.text
    assert f"{agree}-note-info {agree}-note-error" in page.text  # the field names its error
    assert "Add the evidence they need before you go on" in page.text
    # The answers themselves are kept.
    assert (
        Answer.objects.get(response=response, question_id=ids["agree-direction"]).option_value
        == "4"
    )
    passed = client.post(
        f"/enquiries/r/{token}/theme/1/",
        {f"q{ids['shared-aims']}": "leading", agree: "4", f"{agree}-link": "https://example.org/m"}
        | {"continue": "1"},
    )
    assert passed.url == f"/enquiries/r/{token}/theme/2/"


def test_evidence_is_not_asked_for_a_question_left_blank_or_not_known(started, client):
    _cycle, token, ids, _response = started
    agree = f"q{ids['agree-direction']}"
    blank = client.post(
        f"/enquiries/r/{token}/theme/1/", {f"q{ids['shared-aims']}": "leading", "continue": "1"}
    )
    assert blank.url == f"/enquiries/r/{token}/theme/2/"
    unknown = client.post(f"/enquiries/r/{token}/theme/1/", {agree: "dont-know", "continue": "1"})
    assert unknown.url == f"/enquiries/r/{token}/theme/2/"


def test_saving_without_moving_on_also_asks_for_the_evidence(started, client):
    _cycle, token, ids, _response = started
    page = client.post(f"/enquiries/r/{token}/theme/1/", {f"q{ids['agree-direction']}": "2"})
    assert page.status_code == 400 and "Add evidence for your answer to question 2" in page.text


# --- wording before any answer exists -----------------------------------------------------


def test_before_any_answer_pages_do_not_talk_about_your_answers(started, client):
    _cycle, token, _ids, _response = started
    start = client.get(f"/enquiries/r/{token}/").text
    assert "Start now" in start and "Your progress" not in start
    theme = client.get(f"/enquiries/r/{token}/theme/1/").text
    assert "Check your answers so far" not in theme
    check = client.get(f"/enquiries/r/{token}/check/")
    assert "You have not answered any questions yet" in check.text
    assert "Not answered" not in check.text and "Some questions still need" not in check.text
    assert f"/enquiries/r/{token}/submit/" not in check.text  # nothing to submit yet
    assert f'href="/enquiries/r/{token}/theme/1/" id="start-answering"' in check.text
    moved = client.post(f"/enquiries/r/{token}/theme/1/", {"continue": "1"}, follow=True)
    assert "have been saved" not in moved.text  # nothing was saved


def test_once_something_is_answered_the_start_page_shows_progress(started, client):
    _cycle, token, ids, _response = started
    client.post(f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "3"})
    start = client.get(f"/enquiries/r/{token}/").text
    assert "Continue" in start and "Start now" not in start
    statuses = re.findall(r'id="theme-\d-status">(.*?)</div>', start)
    assert statuses == [
        '<strong class="govuk-tag govuk-tag--blue">Not started</strong>',
        '<strong class="govuk-tag govuk-tag--light-blue">In progress</strong>',
        '<strong class="govuk-tag govuk-tag--blue">Not started</strong>',
    ]
    assert "Check your answers so far" in client.get(f"/enquiries/r/{token}/theme/1/").text


# --- an open-link respondent's private link -------------------------------------------------


@pytest.fixture
def open_link(make_cycle, cluster, settings):
    def make(mode: str = "confidential"):
        settings.SITE_URL = "https://partnerlens.example"
        cycle = make_cycle(mode)
        public = create_open_link(cycle, actor=cluster["lead_a"])
        open_cycle(cycle, actor=cluster["lead_a"])
        return cycle, public

    return make


def _start_from_open_link(client, public: str, prefix: str = ""):
    reply = client.post(f"{prefix}/enquiries/p/{public}/", {"role": "teacher"})
    assert reply.status_code == 302, reply
    token = re.search(r"/enquiries/r/([A-Za-z0-9_-]+)/link/$", reply.url).group(1)
    return token, reply.url


def test_an_open_link_respondent_is_shown_their_private_link(open_link, client):
    _cycle, public = open_link()
    token, page_url = _start_from_open_link(client, public)
    page = client.get(page_url)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    private = f"https://partnerlens.example/enquiries/r/{token}/"
    assert f'value="{private}" readonly' in page.text
    assert "It is not saved with your response" in page.text
    # The link really opens this response, and the start page leads back to the link page.
    start = client.get(private.removeprefix("https://partnerlens.example"))
    assert f'href="/enquiries/r/{token}/link/" id="resume-link"' in start.text


def test_the_private_link_can_be_emailed_and_the_address_is_not_kept(
    open_link, client, smtp_server
):
    _cycle, public = open_link()
    token, page_url = _start_from_open_link(client, public)
    reply = client.post(page_url, {"email": "casey@example.org"})
    assert reply.status_code == 302 and reply.url == page_url
    mail = smtp_server.to("casey@example.org")
    assert len(mail) == 1
    assert link_from(smtp_server.body(mail[0])) == token
    assert "We have emailed your private link to you." in client.get(page_url).text
    # Nothing in the enquiries' tables (responses, answers, invitees...) holds the address.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("enquiries_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            assert "casey@example.org" not in repr(cursor.fetchall()), table


def test_a_welsh_respondent_gets_the_welsh_page_and_a_welsh_first_email(
    open_link, client, smtp_server
):
    _cycle, public = open_link()
    token, page_url = _start_from_open_link(client, public, prefix="/cy")
    assert page_url.startswith("/cy/")
    page = client.get(page_url)
    assert f'value="https://partnerlens.example/cy/enquiries/r/{token}/"' in page.text
    client.post(page_url, {"email": "cadi@example.org"})
    body = smtp_server.body(smtp_server.to("cadi@example.org")[0])
    assert body.index("Gofynnoch i ni anfon") < body.index("You asked us to send")
    assert link_from(body, "cy") == token


def test_a_mistyped_address_is_explained_on_its_field(open_link, client, smtp_server):
    _cycle, public = open_link()
    _token, page_url = _start_from_open_link(client, public)
    page = client.post(page_url, {"email": "not an address"})
    assert page.status_code == 400
    assert 'href="#id_email"' in page.text and "like name@example.org" in page.text
    assert smtp_server.messages == []


def test_an_empty_address_asks_for_one(open_link, client, smtp_server):
    _cycle, public = open_link()
    _token, page_url = _start_from_open_link(client, public)
    page = client.post(page_url, {"email": "  "})
    assert page.status_code == 400
    assert 'href="#id_email"' in page.text and "Enter your email address" in page.text
    assert "We have emailed" not in page.text and smtp_server.messages == []


def test_in_an_anonymous_cycle_the_link_is_shown_but_never_emailed(open_link, client, smtp_server):
    _cycle, public = open_link("anonymous")
    token, page_url = _start_from_open_link(client, public)
    page = client.get(page_url)
    assert f"/enquiries/r/{token}/" in page.text
    assert 'id="no-email"' in page.text and 'name="email"' not in page.text
    client.post(page_url, {"email": "casey@example.org"})
    assert smtp_server.messages == []
