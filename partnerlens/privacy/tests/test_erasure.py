"""Erasure leaves no trace of the person in any table, on SQLite and PostgreSQL, while the
results stay as they were: aggregates equal a recomputation and releases are unchanged."""

from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import Mailbox
from partnerlens.api.services import create_token
from partnerlens.audit.models import AuditEvent
from partnerlens.brokerage.models import ProgressNote
from partnerlens.directory.models import PartnershipRole, Role
from partnerlens.directory.services import invite_person
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.models import Invitee, Reflection, Response
from partnerlens.enquiries.services.cycles import (
    close_cycle,
    create_cycle,
    open_cycle,
    publish_cycle,
)
from partnerlens.enquiries.services.invitees import invite_people, send_reminders
from partnerlens.enquiries.services.responses import start_or_resume_response, submit_response
from partnerlens.frameworks.models import ReflectionPrompt
from partnerlens.insights.models import QuestionStat, Release, ResponseThemeScore, ThemeRollup
from partnerlens.insights.services import rebuild_aggregates
from partnerlens.insights.tests.helpers import answer
from partnerlens.privacy.erasure import erase
from partnerlens.privacy.tests.search import tables_holding

INVITEE = "zebedee.quill@example.org"
STAFF = "xanthe.marchbanks@example.org"
NEEDLES = ("zebedee", "quillfeather", "xanthe", "marchbanks")

pytestmark = pytest.mark.django_db
# Mail goes through the outbox (stored, then sent at once to memory), as in production.
OUTBOX = override_settings(
    EMAIL_BACKEND="partnerlens.outbox.backend.QueuedEmailBackend",
    OUTBOX_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)


def _named_cycle(world):
    """A named cycle in A, answered by Zebedee, whose comment names them; published."""
    a, lead, schools = world["a"], world["lead"], world["schools"]
    today = timezone.localdate()
    with OUTBOX:
        cycle = create_cycle(
            a,
            actor=lead,
            framework_version=world["base"],
            title="Named review",
            opens_on=today,
            closes_on=today + timedelta(days=10),
            anonymity_mode="named",
            audience_roles=[Role.TEACHER],
            audience_organisations=schools,
        )
        row = InviteeRow(2, INVITEE, "Zebedee Quillfeather", Role.TEACHER, schools[0], "en")
        invite_people(cycle, [row], actor=lead)
        mail.outbox = []
        open_cycle(cycle, actor=lead)
        sent = message_from_bytes(mail.outbox[-1].message().as_bytes())
        token = re.search(r"/enquiries/r/([A-Za-z0-9_-]+)/", Mailbox.body(sent)).group(1)
        response = start_or_resume_response(token)
        answer(response, "developing", "3", "networking", "Zebedee Quillfeather: we share well")
        assert submit_response(response, token=token)
        close_cycle(cycle, actor=lead)
        publish_cycle(cycle, actor=lead)
    return cycle


def _staff_member(world, client):
    """Xanthe: invited to a role, signed in, failed a sign-in, wrote a note, a reflection,
    made a token, and was changed in the admin."""
    a, lead = world["a"], world["lead"]
    with OUTBOX:
        invite_person(a, actor=lead, email=STAFF, role=Role.TEACHER)
    xanthe = get_user_model().objects.create_user(
        "xanthe.m",
        email=STAFF,
        password="a-long-password-1",
        first_name="Xanthe",
        last_name="Marchbanks",
    )
    PartnershipRole.objects.create(partnership=a, user=xanthe, role=Role.TEACHER)
    client.post(reverse("login"), {"username": STAFF, "password": "wrong"})
    client.force_login(xanthe)
    ProgressNote.objects.create(
        relationship=world["support"], text="Xanthe Marchbanks visited Birch", author=xanthe
    )
    prompt = ReflectionPrompt.objects.create(version=world["draft"], key="next", text_en="Next?")
    Reflection.objects.create(
        user=xanthe, prompt=prompt, cycle=world["open_cycle"], text="Marchbanks thinks"
    )
    create_token(a, actor=xanthe, name="Xanthe's dashboard")
    LogEntry.objects.create(
        user=world["superuser"],
        content_type=ContentType.objects.get_for_model(xanthe),
        object_id=str(xanthe.pk),
        object_repr=str(xanthe),
        action_flag=CHANGE,
        change_message="[]",
    )
    return xanthe


def _results(cycles):
    """Every stored figure of these cycles: aggregates and releases."""
    rows = {}
    for model in (QuestionStat, ResponseThemeScore, ThemeRollup):
        rows[model.__name__] = sorted(
            (
                tuple(sorted((k, str(v)) for k, v in model_to_dict(r).items() if k != "id"))
                for r in model.objects.filter(cycle__in=cycles)
            ),
        )
    rows["Release"] = sorted(
        tuple(sorted((k, str(v)) for k, v in model_to_dict(r).items()))
        for r in Release.objects.filter(cycle__in=cycles)
    )
    return rows


def test_erasure_leaves_no_trace_and_keeps_the_results(world, client):
    cycle = _named_cycle(world)
    xanthe = _staff_member(world, client)
    cycles = [cycle, world["results_cycle"]]
    before = _results(cycles)
    assert before["Release"], "the named cycle was released"
    found = tables_holding(*NEEDLES)
    # The search works: each name is somewhere before erasure.
    assert {"enquiries_invitee", "enquiries_answer", "outbox_outgoingmail"} <= found["zebedee"]
    assert {"auth_user", "brokerage_progressnote", "axes_accessattempt"} <= found["xanthe"]
    assert {"enquiries_reflection", "django_admin_log", "api_apitoken"} <= found["xanthe"] | found[
        "marchbanks"
    ]
    assert "audit_pseudonym" in found["xanthe"]
    assert not any("@" in str(entry.detail) for entry in AuditEvent.objects.all()), (
        "the audit log holds pseudonyms, never addresses"
    )

    erase(INVITEE, actor=world["superuser"])
    erase(STAFF, actor=world["superuser"])

    assert tables_holding(*NEEDLES) == {needle: set() for needle in NEEDLES}
    assert _results(cycles) == before, "aggregates and releases unchanged"
    for each in cycles:
        rebuild_aggregates(each)
    after = _results(cycles)
    assert after == before, "the stored aggregates equal a recomputation"
    response = Response.objects.get(cycle=cycle)
    assert response.invitee is None and response.is_submitted
    invitee = Invitee.objects.get(cycle=cycle)
    assert (invitee.role, invitee.organisation_id) == (Role.TEACHER, world["schools"][0].pk)
    xanthe.refresh_from_db()
    assert not xanthe.is_active and not xanthe.has_usable_password()
    assert not client.get(reverse("account")).status_code == 200  # signed out everywhere


def test_erasure_is_recorded_without_naming_the_person(world):
    erase(INVITEE, actor=world["superuser"])
    entry = AuditEvent.objects.filter(verb="privacy.erased").get()
    assert entry.actor == world["superuser"]
    assert "zebedee" not in str(entry.detail).lower()


def test_an_erased_invitee_of_an_open_cycle_is_never_reminded(world):
    cycle = world["open_cycle"]
    Invitee.objects.filter(cycle=cycle).update(sent_at=timezone.now() - timedelta(days=30))
    with OUTBOX:
        sid = transaction.savepoint()
        assert send_reminders(cycle) == 1, "Ann would be reminded"
        transaction.savepoint_rollback(sid)
        erase("ann@example.org", actor=world["superuser"])
        assert send_reminders(cycle) == 0
