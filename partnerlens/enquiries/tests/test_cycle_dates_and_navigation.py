"""A lead's way around: breadcrumbs on enquiry and insight pages, a cycle's link to its
results, and changing a cycle's dates (checked, confirmed, audited, reminders rescheduled)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.enquiries.models import Cycle, Invitee
from partnerlens.enquiries.services.cycles import close_cycle, open_cycle, publish_cycle
from partnerlens.enquiries.services.reminders import schedule_of


def crumbs(html: str) -> list[tuple[str, str]]:
    """(address, text) of each breadcrumb link on the page, in order."""
    nav = re.search(r'<nav class="govuk-breadcrumbs".*?</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    links = re.findall(r'<a class="govuk-breadcrumbs__link" href="([^"]+)">(.*?)</a>', nav[0])
    return [(url, re.sub(r"<[^>]+>", "", text)) for url, text in links]


# --- breadcrumbs -------------------------------------------------------------------------


def test_every_lead_page_of_a_cycle_has_breadcrumbs_down_to_it(make_cycle, client, cluster):
    cycle = make_cycle()
    a = cluster["a"]
    client.force_login(cluster["lead_a"])
    trail = [
        ("/partnerships/", "Partnerships"),
        (f"/partnerships/{a.pk}/", a.name),
        (f"/enquiries/partnerships/{a.pk}/", "Enquiry cycles"),
    ]
    partnership_page = crumbs(client.get(f"/enquiries/partnerships/{a.pk}/").text)
    assert [(url, text) for url, text in partnership_page] == trail[:2]
    assert crumbs(client.get(f"/enquiries/partnerships/{a.pk}/new/").text) == trail
    assert crumbs(client.get(f"/enquiries/cycles/{cycle.pk}/").text) == trail
    to_cycle = [*trail, (f"/enquiries/cycles/{cycle.pk}/", cycle.title)]
    for page in ("invite/", "reflection/", "dates/"):
        assert crumbs(client.get(f"/enquiries/cycles/{cycle.pk}/{page}").text) == to_cycle, page


def test_results_pages_lead_back_through_the_cycle(make_cycle, client, cluster):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    close_cycle(cycle, actor=cluster["lead_a"])
    a = cluster["a"]
    client.force_login(cluster["lead_a"])
    results = crumbs(client.get(f"/insights/cycles/{cycle.pk}/").text)
    assert results[-2:] == [
        (f"/enquiries/partnerships/{a.pk}/", "Enquiry cycles"),
        (f"/enquiries/cycles/{cycle.pk}/", cycle.title),
    ]
    assert crumbs(client.get(f"/insights/partnerships/{a.pk}/settings/").text)[-1] == (
        f"/insights/partnerships/{a.pk}/",
        "Results",
    )
    assert crumbs(client.get(f"/insights/partnerships/{a.pk}/").text)[-1][1] == a.name


def test_welsh_pages_have_welsh_breadcrumbs(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    trail = crumbs(client.get(f"/cy/enquiries/cycles/{cycle.pk}/dates/").text)
    assert trail[0] == ("/cy/partnerships/", "Partneriaethau")
    assert trail[2] == (f"/cy/enquiries/partnerships/{cluster['a'].pk}/", "Cylchoedd ymholi")
    # The cycle's title has no Welsh yet, so it is marked as English on the Welsh page.
    assert (
        f'<span lang="en">{cycle.title}</span></a></li>'
        in client.get(f"/cy/enquiries/cycles/{cycle.pk}/dates/").text
    )


# --- a cycle links to its results ----------------------------------------------------------


def _results_link(html: str) -> str | None:
    found = re.search(r'<a class="govuk-link" href="([^"]+)" id="results-link">', html)
    return found[1] if found else None


def test_a_cycle_links_to_its_results_for_whoever_may_see_them(make_cycle, client, cluster):
    cycle = make_cycle()
    page = f"/enquiries/cycles/{cycle.pk}/"
    lead, teacher = cluster["lead_a"], cluster["teacher_a"]
    open_cycle(cycle, actor=lead)
    client.force_login(lead)
    assert _results_link(client.get(page).text) is None  # open: no results yet
    close_cycle(cycle, actor=lead)
    assert _results_link(client.get(page).text) == f"/insights/cycles/{cycle.pk}/"
    client.force_login(teacher)
    assert _results_link(client.get(page).text) is None  # closed: leads only
    publish_cycle(cycle, actor=lead)
    link = _results_link(client.get(page).text)
    assert link == f"/insights/cycles/{cycle.pk}/"
    assert client.get(link).status_code == 200


# --- changing a cycle's dates ----------------------------------------------------------------


def _dates(opens, closes, **extra) -> dict:
    return {
        "opens_on_0": opens.day,
        "opens_on_1": opens.month,
        "opens_on_2": opens.year,
        "closes_on_0": closes.day,
        "closes_on_1": closes.month,
        "closes_on_2": closes.year,
        **extra,
    }


@pytest.fixture
def open_cycle_with_people(make_cycle, invite, cluster, smtp_server):
    from partnerlens.directory.models import Role

    cycle = make_cycle()
    invite(
        cycle,
        ("ann@example.org", Role.TEACHER, 0, "en"),
        ("ben@example.org", Role.TEACHER, 1, "cy"),
    )
    open_cycle(cycle, actor=cluster["lead_a"])
    return cycle


def test_changing_the_dates_asks_for_confirmation_then_changes_and_audits(
    open_cycle_with_people, client, cluster, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    cycle = open_cycle_with_people
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(cluster["lead_a"])
    address = f"/enquiries/cycles/{cycle.pk}/dates/"
    form = client.get(address)
    assert f'name="closes_on_0" type="text" inputmode="numeric" value="{cycle.closes_on.day}"' in (
        form.text
    )
    later = cycle.closes_on + timedelta(days=30)
    check = client.post(address, _dates(cycle.opens_on, later))
    assert check.status_code == 200 and "Check the new dates" in check.text
    assert f"was {cycle.closes_on:%-d %B %Y}" in check.text
    assert Cycle.objects.get().closes_on == cycle.closes_on  # nothing changed yet
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(address, _dates(cycle.opens_on, later, confirm="1"))
    assert done.url == f"/enquiries/cycles/{cycle.pk}/"
    changed = Cycle.objects.get()
    assert changed.closes_on == later
    event = AuditEvent.objects.get(verb=verbs.CYCLE_DATES_CHANGED)
    assert (event.actor, event.object_id) == (cluster["lead_a"], str(cycle.pk))
    assert event.detail["before"]["closes_on"] == cycle.closes_on.isoformat()
    assert event.detail["after"]["closes_on"] == later.isoformat()
    # Links last until the new closing day, for every invitee alike.
    assert all(i.expires_at >= changed.closing_moment for i in Invitee.objects.all())
    # Reminder rounds are queued for the new dates.
    rounds = DBTaskResult.objects.filter(task_path="partnerlens.enquiries.tasks.remind_cycle")
    assert rounds.exists()
    assert {tuple(r.args_kwargs["args"]) for r in rounds} == {(cycle.pk, schedule_of(changed))}
    assert "The cycle&#x27;s dates have been changed." in client.get(done.url).text


@pytest.mark.parametrize(
    ("opens", "closes", "field", "message"),
    [
        (0, -1, "closes_on", "The closing date must be on or after the opening date"),
        (3, 20, "opens_on", "The cycle is open, so its opening date cannot be after today"),
        (-9, -2, "closes_on", "The closing date cannot be in the past."),
    ],
)
def test_dates_an_open_cycle_cannot_take_are_explained_on_their_field(
    make_cycle, client, cluster, opens, closes, field, message
):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    today = timezone.localdate()
    client.force_login(cluster["lead_a"])
    page = client.post(
        f"/enquiries/cycles/{cycle.pk}/dates/",
        _dates(today + timedelta(days=opens), today + timedelta(days=closes), confirm="1"),
    )
    assert page.status_code == 400
    assert f'href="#id_{field}_0"' in page.text and message in page.text
    assert Cycle.objects.get().closes_on == cycle.closes_on
    assert not AuditEvent.objects.filter(verb=verbs.CYCLE_DATES_CHANGED).exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"opens_on_0": "", "opens_on_1": "", "opens_on_2": ""}, "opens_on", "Enter “Opens on”"),
        ({"closes_on_1": ""}, "closes_on", "Closes on must include a month"),
        ({"opens_on_0": "31", "opens_on_1": "2"}, "opens_on", "Opens on must be a real date"),
        ({"closes_on_2": "27"}, "closes_on", "Closes on must be a real date"),
    ],
)
def test_dates_typed_wrongly_are_explained_on_their_field(
    make_cycle, client, cluster, typed, field, message
):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    posted = {**_dates(cycle.opens_on, cycle.closes_on + timedelta(days=7)), **typed}
    page = client.post(f"/enquiries/cycles/{cycle.pk}/dates/", {**posted, "confirm": "1"})
    assert page.status_code == 400
    assert f'href="#id_{field}_0"' in page.text and message in page.text
    assert Cycle.objects.get().closes_on == cycle.closes_on


def test_a_draft_cannot_be_given_a_closing_date_in_the_past(make_cycle, client, cluster):
    cycle = make_cycle()
    today = timezone.localdate()
    client.force_login(cluster["lead_a"])
    page = client.post(
        f"/enquiries/cycles/{cycle.pk}/dates/",
        _dates(today - timedelta(days=9), today - timedelta(days=1)),
    )
    assert page.status_code == 400 and 'href="#id_closes_on_0"' in page.text
    assert "The closing date cannot be in the past." in page.text


def test_the_same_dates_again_change_nothing(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    page = client.post(
        f"/enquiries/cycles/{cycle.pk}/dates/", _dates(cycle.opens_on, cycle.closes_on)
    )
    assert page.status_code == 400 and "These are the dates the cycle already has" in page.text


def test_a_closed_cycle_can_be_given_a_later_close_before_reopening(make_cycle, client, cluster):
    today = timezone.localdate()
    cycle = make_cycle(opens_on=today - timedelta(days=20), closes_on=today + timedelta(days=1))
    open_cycle(cycle, actor=cluster["lead_a"])
    close_cycle(cycle, actor=cluster["lead_a"])
    client.force_login(cluster["lead_a"])
    reply = client.post(
        f"/enquiries/cycles/{cycle.pk}/dates/",
        _dates(cycle.opens_on, today + timedelta(days=10), confirm="1"),
    )
    assert reply.status_code == 302
    assert Cycle.objects.get().state == "closed"  # changing dates does not reopen it


def test_a_published_cycle_keeps_its_dates(make_cycle, client, cluster):
    cycle = make_cycle()
    for move in (open_cycle, close_cycle, publish_cycle):
        move(cycle, actor=cluster["lead_a"])
    client.force_login(cluster["lead_a"])
    assert 'id="change-dates"' not in client.get(f"/enquiries/cycles/{cycle.pk}/").text
    page = client.post(
        f"/enquiries/cycles/{cycle.pk}/dates/",
        _dates(cycle.opens_on, cycle.closes_on + timedelta(days=3), confirm="1"),
    )
    assert page.status_code == 400 and "results are published" in page.text


def test_only_the_lead_may_change_dates(make_cycle, client, cluster):
    cycle = make_cycle()
    address = f"/enquiries/cycles/{cycle.pk}/dates/"
    later = _dates(cycle.opens_on, cycle.closes_on + timedelta(days=3), confirm="1")
    client.force_login(cluster["teacher_a"])
    assert 'id="change-dates"' not in client.get(f"/enquiries/cycles/{cycle.pk}/").text
    assert client.post(address, later).status_code == 403
    client.force_login(cluster["lead_b"])
    assert client.post(address, later).status_code == 404
    assert Cycle.objects.get().closes_on == cycle.closes_on
