from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from partnerlens.core.tokens import hash_token
from partnerlens.directory.models import Role
from partnerlens.enquiries.invitee_files import InviteeFileError
from partnerlens.enquiries.models import Invitee
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.invitees import (
    MAX_REMINDERS,
    import_invitees,
    send_reminders,
)
from partnerlens.enquiries.services.responses import start_or_resume_response, submit_response
from partnerlens.enquiries.tests.conftest import answer_everything, link_from


def csv_upload(text: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_opening_a_cycle_emails_every_invitee_a_personal_link(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle()
    invite(
        cycle,
        ("ann@example.org", Role.TEACHER, 0, "en"),
        ("bryn@example.org", Role.TEACHER, 1, "cy"),
    )
    assert smtp_server.messages == []  # a draft cycle sends nothing yet

    assert open_cycle(cycle, actor=cluster["lead_a"]) == 2

    ann = smtp_server.to("ann@example.org")[0]
    body = smtp_server.body(ann)
    subject = " ".join(ann["Subject"].split())  # long headers arrive folded
    assert subject == (
        "Your views on Northside Cluster: Spring review / "
        "Eich barn am Northside Cluster: Spring review"
    )
    assert body.index("Dear Ann") < body.index("Annwyl Ann")
    token = link_from(body)
    assert link_from(body, "cy") == token
    invitee = Invitee.objects.get(email="ann@example.org")
    assert invitee.token_hash == hash_token(token, purpose="invitee")
    assert token not in str(Invitee.objects.values().get(pk=invitee.pk))
    assert invitee.sent_at is not None
    assert invitee.expires_at >= cycle.closing_moment


def test_a_welsh_invitee_reads_welsh_first_with_a_welsh_link(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle()
    invite(cycle, ("bryn@example.org", Role.TEACHER, 1, "cy"))
    open_cycle(cycle, actor=cluster["lead_a"])
    body = smtp_server.body(smtp_server.to("bryn@example.org")[0])
    assert body.index("Annwyl Bryn") < body.index("Dear Bryn")
    assert "/cy/enquiries/r/" in body.split("-----")[0]


def test_people_added_to_an_open_cycle_are_emailed_at_once(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle()
    open_cycle(cycle, actor=cluster["lead_a"])
    invite(cycle, ("late@example.org", Role.HEADTEACHER, 2, "en"))
    assert len(smtp_server.to("late@example.org")) == 1


def test_reminders_go_only_to_people_who_have_not_submitted(
    make_cycle, invite, cluster, smtp_server
):
    cycle = make_cycle("anonymous")
    invite(
        cycle,
        ("done@example.org", Role.TEACHER, 0, "en"),
        ("slow@example.org", Role.TEACHER, 1, "en"),
    )
    open_cycle(cycle, actor=cluster["lead_a"])
    token = link_from(smtp_server.body(smtp_server.to("done@example.org")[0]))
    response = start_or_resume_response(token)

    answer_everything(response)
    submit_response(response, token=token)
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))

    assert send_reminders(cycle) == 1
    assert len(smtp_server.to("slow@example.org")) == 2
    assert len(smtp_server.to("done@example.org")) == 1
    reminder = smtp_server.to("slow@example.org")[1]
    assert reminder["Subject"].startswith("Reminder:")


def test_reminders_are_rate_limited_and_capped(make_cycle, invite, cluster, smtp_server):
    cycle = make_cycle()
    invite(cycle, ("slow@example.org", Role.TEACHER, 1, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    assert send_reminders(cycle) == 0  # invited just now: too soon

    for _ in range(MAX_REMINDERS + 2):
        Invitee.objects.update(
            sent_at=timezone.now() - timedelta(days=30),
            last_reminded_at=timezone.now() - timedelta(days=4),
        )
        send_reminders(cycle)
    invitee = Invitee.objects.get()
    assert invitee.reminder_count == MAX_REMINDERS
    assert len(smtp_server.to("slow@example.org")) == 1 + MAX_REMINDERS
    Invitee.objects.update(last_reminded_at=timezone.now() - timedelta(days=1))


def test_every_link_sent_keeps_working_after_a_reminder(make_cycle, invite, cluster, smtp_server):
    cycle = make_cycle()
    invite(cycle, ("slow@example.org", Role.TEACHER, 1, "en"))
    open_cycle(cycle, actor=cluster["lead_a"])
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))
    send_reminders(cycle)
    first, second = (link_from(smtp_server.body(m)) for m in smtp_server.to("slow@example.org"))
    assert first != second
    response = start_or_resume_response(first)
    assert start_or_resume_response(second) == response  # named/confidential: same draft


def test_a_csv_with_good_rows_creates_invitees(make_cycle, cluster):
    cycle = make_cycle()
    result = import_invitees(
        cycle,
        actor=cluster["lead_a"],
        upload=csv_upload(
            "Email,Name,Role,Organisation,Language\n"
            "ann@example.org,Ann,Teacher,Northside Primary,en\n"
            f"bryn@example.org,Bryn,headteacher,{cluster['schools'][1].urn},Cymraeg\n"
        ),
    )
    assert result.errors == []
    saved = {i.email: (i.role, i.organisation, i.language) for i in Invitee.objects.all()}
    assert saved == {
        "ann@example.org": (Role.TEACHER, cluster["school_a"], "en"),
        "bryn@example.org": (Role.HEADTEACHER, cluster["schools"][1], "cy"),
    }


def test_a_csv_with_bad_rows_names_each_problem_and_saves_nothing(make_cycle, invite, cluster):
    cycle = make_cycle()
    invite(cycle, ("kept@example.org", Role.TEACHER, 0, "en"))
    result = import_invitees(
        cycle,
        actor=cluster["lead_a"],
        upload=csv_upload(
            "email,name,role,organisation\n"
            "good@example.org,Good,Teacher,Northside Primary\n"
            "not-an-email,Bad,Teacher,Northside Primary\n"
            "dup@example.org,Dup,Teacher,Northside Primary\n"
            "DUP@example.org,Dup again,Teacher,Northside Primary\n"
            "kept@example.org,Kept,Teacher,Northside Primary\n"
            "x@example.org,X,Wizard,Northside Primary\n"
            "y@example.org,Y,Teacher,Southside Academy\n"
            "z@example.org,Z,Governor,Northside Primary\n"
        ),
    )
    problems = [(e.row, e.column, e.reason) for e in result.errors]
    assert problems == [
        (3, "email", "“not-an-email” is not an email address"),
        (5, "email", "DUP@example.org is already on row 4"),
        (6, "email", "kept@example.org is already invited"),
        (7, "role", "unknown role “Wizard”"),
        (8, "organisation", "“Southside Academy” is not a current member of this partnership"),
        (9, "role", "Governor is not in this cycle's audience"),
    ]
    assert str(result.errors[0]) == "Row 3, column “email”: “not-an-email” is not an email address"
    assert list(Invitee.objects.values_list("email", flat=True)) == ["kept@example.org"]


def test_an_xlsx_file_is_read_like_a_csv(make_cycle, cluster):
    cycle = make_cycle()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Email", "Name", "Role", "Organisation"])
    sheet.append(["ann@example.org", "Ann", "Teacher", "Riverside Infants"])
    sheet.append([None, None, None, None])
    sheet.append(["bad", "Bad", "Teacher", "Riverside Infants"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("people.xlsx", buffer.getvalue())
    result = import_invitees(cycle, actor=cluster["lead_a"], upload=upload)
    assert [(e.row, e.column) for e in result.errors] == [(4, "email")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("people.pdf", b"%PDF-1.4", "Upload a CSV"),
        ("people.xlsx", b"this is not a zip", "could not be opened as an Excel workbook"),
        ("people.csv", "email\nann@example.org\n".encode("utf-16"), "not UTF-8"),
        ("people.csv", b"name,role\nAnn,Teacher\n", "including “email”"),
        ("people.csv", b"", "empty"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message(make_cycle, cluster, name, content, message):
    cycle = make_cycle()
    with pytest.raises(InviteeFileError, match=message):
        import_invitees(cycle, actor=cluster["lead_a"], upload=SimpleUploadedFile(name, content))
    assert not Invitee.objects.exists()


def test_pasted_rows_need_no_header(make_cycle, cluster):
    cycle = make_cycle()
    result = import_invitees(
        cycle,
        actor=cluster["lead_a"],
        pasted="ann@example.org\tAnn\tTeacher\tNorthside Primary\n\n"
        "bryn@example.org, Bryn, Headteacher, Hilltop High, cy\n",
    )
    assert result.errors == []
    assert sorted(Invitee.objects.values_list("email", "language")) == [
        ("ann@example.org", "en"),
        ("bryn@example.org", "cy"),
    ]
