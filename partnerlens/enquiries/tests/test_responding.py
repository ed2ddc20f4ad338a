from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerlens.directory.models import Role
from partnerlens.enquiries.errors import EnquiryError, LinkError
from partnerlens.enquiries.models import Answer, Invitee, Response, ResponseState
from partnerlens.enquiries.responding import AnswerValue, partners_for, themes_for
from partnerlens.enquiries.services.cycles import close_cycle, open_cycle
from partnerlens.enquiries.services.responses import (
    follow_link,
    save_theme_answers,
    start_or_resume_response,
    submit_response,
)
from partnerlens.enquiries.tests.conftest import answer_everything


def question(response: Response, key: str):
    for _theme, questions in themes_for(response):
        for q in questions:
            if q.key == key:
                return _theme, q
    raise LookupError(key)


def test_following_a_link_changes_nothing_until_the_respondent_starts(opened):
    cycle, token = opened()
    link = follow_link(token)
    assert link.cycle == cycle and link.response is None
    assert not Response.objects.exists()


def test_a_respondent_sees_only_the_questions_for_their_role(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    keys = [q.key for _t, qs in themes_for(response) for q in qs]
    assert "governor-view" not in keys
    assert keys == ["shared-aims", "agree-direction", "visits", "story", "activities", "depth"]


def test_a_relationship_question_asks_about_every_other_member(opened, cluster):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    assert [p.name for p in partners_for(response)] == ["Hilltop High", "Riverside Infants"]


def test_answers_are_restored_when_the_link_is_opened_again(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    theme, q = question(response, "shared-aims")
    save_theme_answers(
        response, theme, {(q.id, None): AnswerValue(option_value="embedded", evidence_note="Notes")}
    )
    again = start_or_resume_response(token)
    assert again.pk == response.pk
    assert again.answers.get().evidence_note == "Notes"


def test_saving_twice_is_harmless_and_keeps_one_answer(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    theme, q = question(response, "shared-aims")
    data = {(q.id, None): AnswerValue(option_value="embedded")}
    save_theme_answers(response, theme, data)
    save_theme_answers(response, theme, data)
    assert Answer.objects.filter(response=response).count() == 1


def test_two_tabs_keep_each_others_answers_and_the_later_save_wins_per_answer(opened):
    _cycle, token = opened()
    tab_one = start_or_resume_response(token)
    tab_two = start_or_resume_response(token)
    purpose, aims = question(tab_one, "shared-aims")
    practice, visits = question(tab_one, "visits")
    save_theme_answers(tab_one, purpose, {(aims.id, None): AnswerValue(option_value="emerging")})
    save_theme_answers(tab_two, practice, {(visits.id, None): AnswerValue(number=Decimal("7"))})
    save_theme_answers(tab_two, purpose, {(aims.id, None): AnswerValue(option_value="leading")})
    stored = {a.question.key: (a.option_value, a.number) for a in tab_one.answers.all()}
    assert stored == {"shared-aims": ("leading", None), "visits": ("", Decimal("7"))}


def test_a_cleared_answer_is_removed_but_others_stay(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    theme, practice_q = question(response, "story")
    _t, visits = question(response, "visits")
    save_theme_answers(
        response,
        theme,
        {(practice_q.id, None): AnswerValue(text="x"), (visits.id, None): AnswerValue(number=1)},
    )
    save_theme_answers(response, theme, {(practice_q.id, None): AnswerValue()})
    assert [a.question.key for a in response.answers.all()] == ["visits"]


def test_a_question_from_another_page_is_refused(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    purpose, _q = question(response, "shared-aims")
    _t, visits = question(response, "visits")
    with pytest.raises(EnquiryError, match="not part of this page"):
        save_theme_answers(response, purpose, {(visits.id, None): AnswerValue(number=1)})


def test_submitting_needs_required_answers_and_evidence(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    with pytest.raises(EnquiryError, match="1 question still needs an answer"):
        submit_response(response, token=token)
    assert Response.objects.get().state == ResponseState.DRAFT


def test_a_second_submit_is_a_no_op_and_the_link_then_says_so(opened):
    _cycle, token = opened()
    response = start_or_resume_response(token)
    answer_everything(response)
    assert submit_response(response, token=token) is True
    assert submit_response(response, token=token) is False
    stored = Response.objects.get()
    assert stored.state == ResponseState.SUBMITTED and stored.submitted_at is not None
    assert Invitee.objects.get().completed
    with pytest.raises(LinkError, match="already submitted") as caught:
        start_or_resume_response(token)
    assert caught.value.reason == "used"


def test_closing_the_cycle_keeps_saved_answers_and_stops_new_ones(opened, cluster):
    cycle, token = opened()
    response = start_or_resume_response(token)
    theme, q = question(response, "shared-aims")
    save_theme_answers(response, theme, {(q.id, None): AnswerValue(option_value="embedded")})
    close_cycle(cycle, actor=cluster["lead_a"])
    with pytest.raises(LinkError, match=r"closed on .* has been kept") as caught:
        save_theme_answers(response, theme, {(q.id, None): AnswerValue(option_value="leading")})
    assert caught.value.reason == "closed"
    assert Answer.objects.get().option_value == "embedded"
    with pytest.raises(LinkError, match="closed"):
        submit_response(response, token=token)


def test_an_expired_link_is_refused_with_its_date(opened):
    _cycle, token = opened()
    Invitee.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(LinkError, match="expired on") as caught:
        start_or_resume_response(token)
    assert caught.value.reason == "expired"


def test_an_unknown_link_is_refused(opened):
    opened()
    with pytest.raises(LinkError, match="not recognised"):
        follow_link("made-up-token")


def test_an_open_link_starts_a_fresh_response_in_the_role_chosen(make_cycle, cluster):
    from partnerlens.enquiries.services.invitees import create_open_link
    from partnerlens.enquiries.services.responses import start_open_link_response

    cycle = make_cycle("anonymous")
    public = create_open_link(cycle, actor=cluster["lead_a"])
    with pytest.raises(LinkError, match="not opened yet"):
        start_open_link_response(public, role=Role.TEACHER, organisation=None)
    open_cycle(cycle, actor=cluster["lead_a"])
    with pytest.raises(EnquiryError, match="roles this enquiry asks"):
        start_open_link_response(public, role=Role.GOVERNOR, organisation=None)
    first, first_token = start_open_link_response(
        public, role=Role.HEADTEACHER, organisation=cluster["schools"][2]
    )
    second, second_token = start_open_link_response(public, role=Role.TEACHER, organisation=None)
    assert first.pk != second.pk and first_token != second_token
    assert start_or_resume_response(first_token) == first
    assert (first.role, first.invitee) == (Role.HEADTEACHER, None)
