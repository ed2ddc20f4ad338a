from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from partnerlens.enquiries.models import Cycle, CycleState, Invitee, Reflection
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.reflections import save_reflections
from partnerlens.enquiries.services.responses import submit_response
from partnerlens.enquiries.tests.conftest import answer_everything, link_from


def test_people_who_are_not_signed_in_are_sent_to_sign_in(make_cycle, client):
    cycle = make_cycle()
    reply = client.get(f"/enquiries/cycles/{cycle.pk}/")
    assert reply.status_code == 302 and "/accounts/login/" in reply.url


def test_a_lead_of_another_partnership_cannot_find_the_cycle(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["lead_b"])
    assert client.get(f"/enquiries/cycles/{cycle.pk}/").status_code == 404
    assert client.post(f"/enquiries/cycles/{cycle.pk}/open/").status_code == 404


def test_a_teacher_sees_the_cycle_but_cannot_change_it(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["teacher_a"])
    page = client.get(f"/enquiries/cycles/{cycle.pk}/")
    assert page.status_code == 200 and "Response rate" not in page.text
    assert client.post(f"/enquiries/cycles/{cycle.pk}/open/").status_code == 403
    assert client.get(f"/enquiries/cycles/{cycle.pk}/invite/").status_code == 403
    assert client.get(f"/enquiries/partnerships/{cluster['a'].pk}/new/").status_code == 403


def test_a_lead_creates_a_cycle_from_the_form(make_framework, client, cluster):
    version = make_framework()
    client.force_login(cluster["lead_a"])
    today = timezone.localdate()
    closes = today + timedelta(days=14)
    reply = client.post(
        f"/enquiries/partnerships/{cluster['a'].pk}/new/",
        {
            "title": "Autumn review",
            "framework_version": version.pk,
            "opens_on_0": today.day,
            "opens_on_1": today.month,
            "opens_on_2": today.year,
            "closes_on_0": closes.day,
            "closes_on_1": closes.month,
            "closes_on_2": closes.year,
            "anonymity_mode": "anonymous",
            "audience_roles": ["teacher", "governor"],
            "audience_organisations": [s.pk for s in cluster["schools"]],
        },
    )
    cycle = Cycle.objects.get()
    assert reply.url == f"/enquiries/cycles/{cycle.pk}/invite/"
    assert (cycle.title, cycle.anonymity_mode, cycle.closes_on) == (
        "Autumn review",
        "anonymous",
        closes,
    )


def test_the_cycle_form_explains_a_missing_framework(client, cluster):
    client.force_login(cluster["lead_a"])
    page = client.post(f"/enquiries/partnerships/{cluster['a'].pk}/new/", {"title": "X"})
    assert page.status_code == 200
    assert "There is a problem" in page.text and not Cycle.objects.exists()


def test_an_invitation_file_with_bad_rows_lists_them_and_adds_nobody(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    upload = SimpleUploadedFile(
        "people.csv", b"email,role,organisation\nann@example.org,Teacher,Nowhere School\n"
    )
    page = client.post(f"/enquiries/cycles/{cycle.pk}/invite/", {"upload": upload})
    assert page.status_code == 400
    assert "1 problem in your list: nobody was added" in page.text
    assert "“Nowhere School” is not a current member of this partnership" in page.text
    assert not Invitee.objects.exists()


def test_an_unreadable_invitation_file_is_explained(make_cycle, client, cluster):
    cycle = make_cycle()
    client.force_login(cluster["lead_a"])
    upload = SimpleUploadedFile("people.xlsx", b"not really a workbook")
    page = client.post(f"/enquiries/cycles/{cycle.pk}/invite/", {"upload": upload})
    assert "could not be opened as an Excel workbook" in page.text


def test_opening_from_the_page_sends_invitations_and_shows_counts_only(
    make_cycle, client, cluster, smtp_server
):
    cycle = make_cycle("anonymous")
    client.force_login(cluster["lead_a"])
    client.post(
        f"/enquiries/cycles/{cycle.pk}/invite/",
        {
            "rows": "ann@example.org, Ann, Teacher, Northside Primary\n"
            "bob@example.org, Bob, Teacher, Hilltop High"
        },
    )
    reply = client.post(f"/enquiries/cycles/{cycle.pk}/open/", follow=True)
    assert "The cycle is open" in reply.text
    assert len(smtp_server.messages) == 2
    token = link_from(smtp_server.body(smtp_server.to("ann@example.org")[0]))
    client.post(f"/enquiries/r/{token}/")
    response = cycle.responses.get()
    answer_everything(response)
    submit_response(response, token=token)
    page = client.get(f"/enquiries/cycles/{cycle.pk}/")
    # One of two is far below the minimum: the page gives no count at all.
    assert "2 people invited. How many have submitted is shown once" in page.text
    assert "1 of 2" not in page.text
    assert "ann@example.org" not in page.text and "Ann" not in page.text


def test_the_cycle_steps_through_close_and_publish(make_cycle, client, cluster, smtp_server):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    client.force_login(cluster["lead_a"])
    client.post(f"/enquiries/cycles/{cycle.pk}/close/")
    reply = client.post(f"/enquiries/cycles/{cycle.pk}/close/", follow=True)
    assert "A closed cycle cannot become closed." in reply.text
    client.post(f"/enquiries/cycles/{cycle.pk}/publish/")
    cycle.refresh_from_db()
    assert cycle.state == CycleState.PUBLISHED


def test_the_reminder_command_reminds_only_those_due(make_cycle, invite, cluster, smtp_server):
    cycle = make_cycle()
    invite(cycle, ("slow@example.org", "teacher", 0, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=5))
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(smtp_server.to("slow@example.org")) == 2  # invitation + one reminder


@pytest.fixture
def reflected(make_cycle, cluster):
    cycle = make_cycle()
    prompt = cycle.framework_version.reflection_prompts.get()
    save_reflections(cluster["lead_a"], cycle, {prompt.pk: "I will chair the steering group."})
    return cycle, prompt


def test_a_reflection_is_saved_and_shown_only_to_its_author(reflected, client, cluster):
    cycle, _prompt = reflected
    client.force_login(cluster["lead_a"])
    assert (
        "I will chair the steering group."
        in client.get(f"/enquiries/cycles/{cycle.pk}/reflection/").text
    )
    client.force_login(cluster["teacher_a"])
    page = client.get(f"/enquiries/cycles/{cycle.pk}/reflection/")
    assert "I will chair" not in page.text
    assert "no reflection prompts for your role" in page.text
    assert "I will chair" not in client.get("/enquiries/reflections/mine.csv").text


def test_a_leader_downloads_their_own_reflections(reflected, client, cluster):
    client.force_login(cluster["lead_a"])
    csv = client.get("/enquiries/reflections/mine.csv")
    assert csv["Content-Disposition"] == 'attachment; filename="my-reflections.csv"'
    assert "What role will you play" in csv.text and "I will chair" in csv.text
    text = client.get("/enquiries/reflections/mine.txt")
    assert "I will chair the steering group." in text.text


def test_an_overlong_reflection_is_refused_and_the_saved_one_kept(reflected, client, cluster):
    cycle, prompt = reflected
    client.force_login(cluster["lead_a"])
    page = client.post(
        f"/enquiries/cycles/{cycle.pk}/reflection/", {f"prompt-{prompt.pk}": "y" * 5001}
    )
    assert page.status_code == 400 and "5,001 characters; the limit is 5,000" in page.text
    assert Reflection.objects.get().text == "I will chair the steering group."


def test_the_cycle_list_shows_cycles_of_this_partnership_only(make_cycle, client, cluster):
    make_cycle(title="Ours")
    client.force_login(cluster["lead_b"])
    assert "Ours" not in client.get(f"/enquiries/partnerships/{cluster['b'].pk}/").text
    client.force_login(cluster["lead_a"])
    assert "Ours" in client.get(f"/enquiries/partnerships/{cluster['a'].pk}/").text
