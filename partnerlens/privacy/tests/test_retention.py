"""The retention job removes what is past its period, keeps what results need, and a second
run changes nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from partnerlens.api.models import ApiToken
from partnerlens.directory.models import RoleInvitation
from partnerlens.enquiries.models import Invitee, Response
from partnerlens.insights.models import Release, ThemeRollup
from partnerlens.outbox.models import MailStatus, OutgoingMail
from partnerlens.privacy.exports import ask_export
from partnerlens.privacy.models import SubjectExport
from partnerlens.privacy.retention import ERASED_DOMAIN, apply_retention
from partnerlens.privacy.tests.search import tables_holding

pytestmark = pytest.mark.django_db


def _figures(cycle):
    return (
        sorted(ThemeRollup.objects.filter(cycle=cycle).values_list("theme_id", "role", "n")),
        list(Release.objects.filter(cycle=cycle).values_list("number", "respondents", "page")),
    )


def test_nothing_is_due_in_a_fresh_world(world):
    counts = apply_retention()
    assert set(counts) >= {"invitee", "outbox_mail", "sign_in_attempts", "session"}
    assert counts["invitee"] == 0 and counts["role_invitation"] == 0


def test_a_year_after_closing_invitees_are_anonymised_and_results_kept(world):
    cycle = world["results_cycle"]
    school = world["schools"][0]
    for n, email in enumerate(("olwen.pryce@example.org", "idris.vaughan@example.org")):
        made = Invitee.objects.create(
            cycle=cycle,
            email=email,
            name=email.split("@")[0],
            role="teacher",
            organisation=school,
            token_hash=f"{n}" * 64,
            expires_at=timezone.now(),
        )
    answered = Response.objects.filter(cycle=cycle).first()
    Response.objects.filter(pk=answered.pk).update(invitee=made)
    invitees = Invitee.objects.filter(cycle=cycle)
    open_invitees = list(Invitee.objects.filter(cycle=world["open_cycle"]).values("email"))
    roles = sorted(invitees.values_list("role", "organisation_id"))
    emails = [e.split("@")[0].lower() for e in invitees.values_list("email", flat=True)]
    before = _figures(cycle)
    later = timezone.now() + timedelta(days=420)  # it closes in 10 days

    counts = apply_retention(now=later)

    assert counts["invitee"] == len(roles) == 2
    answered.refresh_from_db()
    assert answered.invitee_id is None and answered.is_submitted
    assert all(e.endswith(ERASED_DOMAIN) for e in invitees.values_list("email", flat=True))
    assert sorted(invitees.values_list("role", "organisation_id")) == roles
    assert _figures(cycle) == before
    assert list(Invitee.objects.filter(cycle=world["open_cycle"]).values("email")) == open_invitees
    assert tables_holding(*emails) == {email: set() for email in emails}
    assert apply_retention(now=later)["invitee"] == 0, "idempotent"


def test_old_mail_attempts_sessions_and_invitations_go(world):
    old = timezone.now() - timedelta(days=31)
    mail = OutgoingMail.objects.create(
        to="someone@example.org",
        recipients=["someone@example.org"],
        from_email="x@y.z",
        subject="Hello",
        mime=b"",
        status=MailStatus.SENT,
        sent_at=old,
    )
    fresh = OutgoingMail.objects.create(
        to="other@example.org",
        recipients=["other@example.org"],
        from_email="x@y.z",
        subject="Hi",
        mime=b"",
        status=MailStatus.SENT,
        sent_at=timezone.now(),
    )
    attempt = AccessAttempt.objects.create(
        username="someone@example.org",
        ip_address="10.0.0.1",
        user_agent="x",
        http_accept="*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=1,
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=old)
    store = SessionStore()
    store["x"] = 1
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=old)
    invitation = RoleInvitation.objects.filter(partnership=world["a"]).first()
    RoleInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=91)
    )

    out = StringIO()
    call_command("apply_retention", stdout=out)

    assert not OutgoingMail.objects.filter(pk=mail.pk).exists()
    assert OutgoingMail.objects.filter(pk=fresh.pk).exists()
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert not RoleInvitation.objects.filter(pk=invitation.pk).exists()
    assert "outbox_mail 1" in out.getvalue()
    again = StringIO()
    call_command("apply_retention", stdout=again)
    assert again.getvalue().strip().endswith("retention total=0")


def test_resume_keys_of_closed_cycles_are_cleared(world):
    response = Response.objects.filter(cycle=world["open_cycle"], resume_key__isnull=False).get()
    assert apply_retention(now=timezone.now() + timedelta(days=60))["resume_key"] == 0
    cycle = world["open_cycle"]
    type(cycle).objects.filter(pk=cycle.pk).update(state="closed")
    apply_retention(now=timezone.now() + timedelta(days=60))
    response.refresh_from_db()
    assert response.resume_key is None


def test_old_tokens_admin_history_sign_in_log_and_exports_go(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    long_ago = timezone.now() - timedelta(days=400)
    token = ApiToken.objects.get(partnership=world["a"])
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=long_ago)
    entry = LogEntry.objects.create(
        user=world["superuser"],
        content_type=ContentType.objects.get_for_model(ApiToken),
        object_id="1",
        object_repr="x",
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=long_ago)
    log = AccessLog.objects.create(username="someone", ip_address="10.0.0.2", user_agent="x")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=long_ago)
    export = ask_export("ann@example.org", requester=world["lead"], scope=[world["a"].pk])
    stored = export.file.name
    assert default_storage.exists(stored)
    SubjectExport.objects.filter(pk=export.pk).update(finished_at=long_ago)

    counts = apply_retention()

    assert (counts["api_token"], counts["admin_log"], counts["sign_in_log"]) == (1, 1, 1)
    assert counts["subject_export"] == 1 and not default_storage.exists(stored)
    assert not SubjectExport.objects.exists()


def test_the_command_can_hand_the_work_to_the_task_queue(world):
    old = timezone.now() - timedelta(days=31)
    mail = OutgoingMail.objects.create(
        to="late@example.org",
        recipients=["late@example.org"],
        from_email="x@y.z",
        subject="Hello",
        mime=b"",
        status=MailStatus.FAILED,
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(created=old)
    out = StringIO()
    call_command("apply_retention", "--queue", stdout=out)  # tests run tasks at once
    assert out.getvalue().strip() == "retention queued"
    assert not OutgoingMail.objects.filter(pk=mail.pk).exists()
