from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from partnerlens.enquiries.models import Answer, Invitee, Response
from partnerlens.enquiries.services.cycles import close_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.tests.conftest import answer_everything


@pytest.fixture
def started(opened, client):
    """A confidential cycle whose teacher has pressed Start; returns (cycle, token, ids)."""
    cycle, token = opened()
    client.post(f"/enquiries/r/{token}/")
    response = Response.objects.get()
    ids = {
        q.key: q.id for q in cycle.framework_version.themes.get(key="purpose").questions.all()
    } | {q.key: q.id for q in cycle.framework_version.themes.get(key="practice").questions.all()}
    return cycle, token, ids, response


def test_opening_the_link_shows_the_start_page_and_creates_nothing(opened, client):
    _cycle, token = opened()
    page = client.get(f"/enquiries/r/{token}/")
    assert page.status_code == 200
    assert "Start now" in page.text and "confidential" in page.text
    assert not Response.objects.exists()


def test_start_leads_to_the_first_theme_with_progress(opened, client):
    _cycle, token = opened()
    reply = client.post(f"/enquiries/r/{token}/")
    assert reply.url == f"/enquiries/r/{token}/theme/1/"
    page = client.get(reply.url)
    assert "Theme 1 of 3" in page.text
    assert "How well do partners share their aims?" in page.text
    assert "What do governors hear" not in page.text  # not asked of teachers
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">' in page.text


def test_save_keeps_you_on_the_page_and_save_and_continue_moves_on(started, client):
    _cycle, token, ids, _response = started
    aims = ids["shared-aims"]
    stay = client.post(
        f"/enquiries/r/{token}/theme/1/",
        {f"q{aims}": "embedded", f"q{aims}-note": "Minutes", "save": "1"},
    )
    assert stay.url == f"/enquiries/r/{token}/theme/1/"
    page = client.get(stay.url)
    assert "Your answers on this page have been saved." in page.text
    assert 'value="embedded" checked' in page.text and "Minutes</textarea>" in page.text
    move = client.post(f"/enquiries/r/{token}/theme/1/", {f"q{aims}": "leading", "continue": "1"})
    assert move.url == f"/enquiries/r/{token}/theme/2/"
    assert Answer.objects.get(question_id=aims).option_value == "leading"


def test_a_bad_number_is_explained_and_the_rest_of_the_page_is_saved(started, client):
    _cycle, token, ids, response = started
    page = client.post(
        f"/enquiries/r/{token}/theme/2/",
        {f"q{ids['visits']}": "twelve", f"q{ids['story']}": "We co-plan maths.", "continue": "1"},
    )
    assert page.status_code == 400
    assert "Enter a number, like 12 or 3.5 (you entered “twelve”)" in page.text
    assert "Your other answers on this page have been saved" in page.text
    assert 'value="twelve"' in page.text  # what they typed is shown back
    assert Answer.objects.get(response=response).text == "We co-plan maths."


def test_a_number_out_of_range_is_explained(started, client):
    _cycle, token, ids, _response = started
    page = client.post(f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "900"})
    assert "Enter a number from 0 to 500" in page.text


def test_oversized_text_is_refused_and_the_saved_answer_is_kept(started, client):
    _cycle, token, ids, response = started
    story = f"q{ids['story']}"
    client.post(f"/enquiries/r/{token}/theme/2/", {story: "First version"})
    page = client.post(f"/enquiries/r/{token}/theme/2/", {story: "x" * 5003})
    assert page.status_code == 400
    assert "Your answer is 5,003 characters; the limit is 5,000. Shorten it by 3" in page.text
    assert Answer.objects.get(response=response).text == "First version"


def test_a_bad_evidence_link_is_explained(started, client):
    _cycle, token, ids, _response = started
    aims = f"q{ids['shared-aims']}"
    page = client.post(
        f"/enquiries/r/{token}/theme/1/", {aims: "leading", f"{aims}-link": "not a link"}
    )
    assert "Enter a full web address starting with https://" in page.text
    assert f'href="#{aims}-link"' in page.text
    assert not Answer.objects.exists()


def test_dont_know_and_an_answer_together_are_refused(started, client):
    _cycle, token, ids, _response = started
    visits = f"q{ids['visits']}"
    page = client.post(f"/enquiries/r/{token}/theme/2/", {visits: "3", f"{visits}-dk": "yes"})
    assert "Either give an answer or tick “I don&#x27;t know”, not both" in page.text


def test_a_relationship_question_has_a_radio_group_per_partner(started, client, cluster):
    _cycle, token, _ids, response = started
    page = client.get(f"/enquiries/r/{token}/theme/3/")
    assert page.text.count('class="govuk-fieldset"') == 2
    assert "Hilltop High" in page.text and "Co-ordination" in page.text
    depth = response.cycle.framework_version.themes.get(key="relations").questions.get()
    hilltop = cluster["schools"][2]
    client.post(f"/enquiries/r/{token}/theme/3/", {f"q{depth.id}-o{hilltop.id}": "cooperation"})
    stored = Answer.objects.get(question=depth)
    assert (stored.about_organisation, stored.option_value) == (hilltop, "cooperation")


def test_the_pages_are_in_welsh_under_cy(started, client):
    _cycle, token, _ids, _response = started
    page = client.get(f"/cy/enquiries/r/{token}/theme/1/")
    assert "Pa mor dda mae partneriaid yn rhannu eu nodau?" in page.text
    assert "Ymddangosol" in page.text
    assert '<html lang="cy"' in page.text


def test_check_your_answers_lists_every_answer_with_a_change_link(started, client):
    _cycle, token, ids, response = started
    answer_everything(response)
    page = client.get(f"/enquiries/r/{token}/check/")
    assert "Check your answers before submitting" in page.text
    assert "Leading" in page.text and "Joint training" in page.text
    assert f'href="/enquiries/r/{token}/theme/1/?from=check#q{ids["shared-aims"]}"' in page.text


def test_submitting_twice_says_it_was_already_submitted(started, client):
    _cycle, token, _ids, response = started
    answer_everything(response)
    first = client.post(f"/enquiries/r/{token}/submit/")
    assert first.url == "/enquiries/submitted/"
    second = client.post(f"/enquiries/r/{token}/submit/")
    assert "You have already submitted your response" in second.text
    assert Response.objects.submitted().count() == 1
    assert "already submitted" in client.get(f"/enquiries/r/{token}/theme/1/").text


def test_submitting_with_gaps_returns_to_the_check_page_with_the_reason(started, client):
    _cycle, token, ids, _response = started
    client.post(f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "4"})
    reply = client.post(f"/enquiries/r/{token}/submit/", follow=True)
    assert "1 question still needs an answer or evidence." in reply.text
    assert "Answer this question: How well do partners share their aims?" in reply.text


def test_a_cycle_closing_mid_answer_keeps_what_was_saved(started, client, cluster):
    cycle, token, ids, _response = started
    aims = f"q{ids['shared-aims']}"
    client.post(f"/enquiries/r/{token}/theme/1/", {aims: "embedded"})
    close_cycle(cycle, actor=cluster["lead_a"])
    page = client.post(f"/enquiries/r/{token}/theme/1/", {aims: "leading"})
    assert "This enquiry has closed" in page.text
    assert "Everything you saved before it closed has been kept." in page.text
    assert Answer.objects.get().option_value == "embedded"


def test_an_expired_link_says_when_it_expired(opened, client):
    _cycle, token = opened()
    Invitee.objects.update(expires_at=timezone.now() - timedelta(days=1))
    page = client.get(f"/enquiries/r/{token}/")
    assert page.status_code == 410
    assert "This link expired on" in page.text


def test_an_unknown_link_is_not_found(client, db):
    page = client.get("/enquiries/r/nonsense/")
    assert page.status_code == 404 and "Link not recognised" in page.text


def test_an_open_link_asks_the_role_then_gives_a_private_link(make_cycle, cluster, client):
    cycle = make_cycle("anonymous")
    public = create_open_link(cycle, actor=cluster["lead_a"])
    open_cycle(cycle, actor=cluster["lead_a"])
    page = client.get(f"/enquiries/p/{public}/")
    assert "Teacher" in page.text and "Governor" not in page.text
    reply = client.post(f"/enquiries/p/{public}/", {"role": "headteacher"}, follow=True)
    assert "Your private link" in reply.text
    response = Response.objects.get()
    assert (response.role, response.invitee) == ("headteacher", None)
    assert reply.redirect_chain[-1][0].startswith("/enquiries/r/")
    assert reply.redirect_chain[-1][0].endswith("/link/")


def test_numbers_are_stored_exactly_as_typed(started, client):
    _cycle, token, ids, _response = started
    client.post(f"/enquiries/r/{token}/theme/2/", {f"q{ids['visits']}": "12.5"})
    assert Answer.objects.get().number == Decimal("12.5")


def test_every_page_that_shows_answers_may_not_be_stored_by_the_browser(started, client):
    """Back on a shared computer must not show someone's answers from the browser's cache."""
    cycle, token, _ids, response = started
    answer_everything(response)
    pages = [
        client.get(f"/enquiries/r/{token}/"),
        client.get(f"/enquiries/r/{token}/theme/1/"),
        client.get(f"/enquiries/r/{token}/check/"),
        client.post(f"/enquiries/r/{token}/submit/"),
        client.get("/enquiries/submitted/"),
    ]
    open_link = create_open_link(cycle, actor=None)
    pages.append(client.get(f"/enquiries/p/{open_link}/"))
    pages.append(client.get(f"/enquiries/r/{token}/link/"))  # the private link's own page
    for page in pages:
        assert page.status_code in (200, 302), page.status_code
        assert "no-store" in page.headers.get("Cache-Control", ""), page.request["PATH_INFO"]


# --- The settings the lead gave a question in the framework editor are the respondent's rules


def _configure(question_id: int, **config) -> None:
    # The version is published, so its content is frozen against save(); a queryset update
    # stands in for a framework published with these settings, and (as it bypasses the
    # freeze) the version's cached structure is dropped by hand.
    from partnerlens.frameworks.models import Question
    from partnerlens.frameworks.structure import forget

    Question.objects.filter(pk=question_id).update(config=config)
    forget(Question.objects.select_related("theme__version").get(pk=question_id).theme.version)


def test_a_question_s_own_character_limit_is_the_one_checked_and_shown(started, client):
    _cycle, token, ids, response = started
    _configure(ids["story"], max_length=100)
    story = f"q{ids['story']}"
    page = client.get(f"/enquiries/r/{token}/theme/2/").text
    assert 'data-maxlength="100"' in page and "You can enter up to 100 characters" in page
    refused = client.post(f"/enquiries/r/{token}/theme/2/", {story: "x" * 101})
    assert refused.status_code == 400
    assert "Your answer is 101 characters; the limit is 100. Shorten it by 1" in refused.text
    assert not Answer.objects.filter(response=response, question_id=ids["story"]).exists()
    client.post(f"/enquiries/r/{token}/theme/2/", {story: "x" * 100})
    assert Answer.objects.get(response=response, question_id=ids["story"]).text == "x" * 100


def test_no_more_choices_than_the_question_allows(started, client):
    _cycle, token, ids, response = started
    _configure(ids["activities"], max_choices=2)
    name = f"q{ids['activities']}"
    page = client.get(f"/enquiries/r/{token}/theme/2/").text
    assert "Choose up to 2." in page
    refused = client.post(f"/enquiries/r/{token}/theme/2/", {name: ["cpd", "review", "moderation"]})
    assert refused.status_code == 400
    assert "Choose up to 2 options; you chose 3. Untick 1." in refused.text
    client.post(f"/enquiries/r/{token}/theme/2/", {name: ["cpd", "moderation"]})
    assert Answer.objects.get(response=response, question_id=ids["activities"]).choices == [
        "cpd",
        "moderation",
    ]


def test_a_number_keeps_to_its_step_and_shows_its_unit(started, client):
    _cycle, token, ids, response = started
    _configure(ids["visits"], min=0, max=40, step=0.5, unit="hours")
    name = f"q{ids['visits']}"
    page = client.get(f"/enquiries/r/{token}/theme/2/").text
    assert '<div class="govuk-input__suffix" aria-hidden="true">hours</div>' in page
    assert '<span class="govuk-visually-hidden"> (hours)</span>' in page
    refused = client.post(f"/enquiries/r/{token}/theme/2/", {name: "2.25"})
    assert refused.status_code == 400
    assert "Enter a number in steps of 0.5 from 0" in refused.text
    client.post(f"/enquiries/r/{token}/theme/2/", {name: "2.5"})
    assert Answer.objects.get(response=response, question_id=ids["visits"]).number == 2.5
