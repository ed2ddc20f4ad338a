"""Anonymous cycles against whoever holds the database or a backup (docs/anonymity.md).

These tests commit for real (``transaction=True``): on PostgreSQL every committed write
carries its transaction id (``xmin``), which is exactly what an attacker joins on.
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from partnerlens.directory.models import Role
from partnerlens.enquiries.models import Invitee, ReceiptSet, Response
from partnerlens.enquiries.receipts import receipt_for, receipts_of
from partnerlens.enquiries.services.cycles import open_cycle
from partnerlens.enquiries.services.invitees import create_open_link, send_reminders
from partnerlens.enquiries.services.responses import (
    start_open_link_response,
    start_or_resume_response,
    submit_response,
)
from partnerlens.enquiries.tests.conftest import answer_everything, link_from

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [
    (f"person{n}@example.org", Role.TEACHER if n % 3 else Role.HEADTEACHER, n % 3, "en")
    for n in range(8)
]


def invitee_dump() -> list[tuple]:
    """The invitee table as a data-only dump lists it: physical order, every column, and on
    PostgreSQL the row's position and the transaction ids written into it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT ctid::text, xmin::text, xmax::text, row_to_json(i)::text "
                "FROM enquiries_invitee i ORDER BY ctid"
            )
        else:
            cursor.execute("SELECT rowid, * FROM enquiries_invitee ORDER BY rowid")
        return cursor.fetchall()


@pytest.fixture
def anonymous_cycle(make_cycle, invite, cluster, smtp_server):
    """An open anonymous cycle with eight invitees; returns (cycle, tokens by email)."""
    cycle = make_cycle("anonymous")
    invite(cycle, *PEOPLE)
    open_cycle(cycle, actor=cluster["lead_a"])
    tokens = {email: link_from(smtp_server.body(smtp_server.to(email)[0])) for email, *_ in PEOPLE}
    return cycle, tokens


def respond(tokens: dict, starters: list[str], submitters: list[str]) -> None:
    drafts = {}
    for email in starters:
        drafts[email] = start_or_resume_response(tokens[email])
        answer_everything(drafts[email])
    for email in submitters:
        assert submit_response(drafts[email], token=tokens[email])


def test_no_invitee_row_shares_a_transaction_id_with_anything_responding_wrote(
    anonymous_cycle,
):
    if connection.vendor != "postgresql":
        pytest.skip("Transaction ids (xmin) exist only on PostgreSQL: run with DATABASE_URL")
    cycle, tokens = anonymous_cycle
    emails = [email for email, *_ in PEOPLE]
    before = invitee_dump()

    # Start in one order, submit in another; one keeps a draft; a stranger uses the open link.
    respond(tokens, emails[::-1][:6], [emails[4], emails[3], emails[6], emails[2], emails[7]])
    link = create_open_link(cycle, actor=None)
    stranger, own = start_open_link_response(link, role=Role.TEACHER, organisation=None)
    answer_everything(stranger)
    submit_response(stranger, token=own)

    # The invitee rows are byte for byte what they were: same place, same columns, same
    # transaction ids, and no row lock left behind (xmax 0).
    after = invitee_dump()
    assert after == before
    assert all(xmax == "0" for _ctid, _xmin, xmax, _row in after)

    # The attack: every transaction id stored anywhere else, against the invitees'.
    invitee_xids = {xmin for _ctid, xmin, _xmax, _row in after}
    written = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table == Invitee._meta.db_table:
                continue
            quoted = connection.ops.quote_name(table)  # a model's own table name
            cursor.execute(f"SELECT xmin::text, xmax::text FROM {quoted}")  # noqa: S608
            written[table] = {xid for row in cursor.fetchall() for xid in row} - {"0"}
    assert Response.objects.filter(cycle=cycle, state="submitted").count() == 6  # 5 + 1
    assert written["enquiries_response"] and written["enquiries_receiptset"]
    for table, xids in written.items():
        assert not (xids & invitee_xids), table


def test_a_dump_shows_nothing_of_who_submitted_or_in_what_order(anonymous_cycle, settings):
    cycle, tokens = anonymous_cycle
    emails = [email for email, *_ in PEOPLE]
    before = invitee_dump()
    order = emails[:5]
    random.Random(8).shuffle(order)
    assert order != emails[:5]  # submitted in an order different from the invitations'
    respond(tokens, emails[:5], order)

    assert invitee_dump() == before  # order and contents untouched by submitting

    # The receipts are one row, sorted: the same text whatever order people submitted in,
    # and without the key they match no invitee.
    stored = ReceiptSet.objects.get(cycle=cycle).digests
    invitees = {i.email: i.pk for i in Invitee.objects.filter(cycle=cycle)}
    expected = sorted(receipt_for(cycle.pk, invitees[email]) for email in emails[:5])
    assert stored == " ".join(expected)
    wrong_key = b"not the application's key"
    guesses = {receipt_for(cycle.pk, pk, wrong_key) for pk in invitees.values()}
    assert not guesses & receipts_of(cycle)
    everyone = {receipt_for(cycle.pk, pk) for pk in invitees.values()}
    assert receipts_of(cycle) <= everyone  # with the key: who answered, never which answer


def test_a_reminder_round_writes_every_invitee_alike(anonymous_cycle, smtp_server):
    """Reminders mail only non-responders, but the database records the round the same way
    for everyone due: one transaction, the same count and time, a fresh link each."""
    cycle, tokens = anonymous_cycle
    emails = [email for email, *_ in PEOPLE]
    respond(tokens, emails[:3], emails[:3])
    Invitee.objects.update(sent_at=timezone.now() - timedelta(days=4))

    assert send_reminders(cycle) == len(emails) - 3
    for email in emails:
        assert len(smtp_server.to(email)) == (1 if email in emails[:3] else 2)
    rows = list(Invitee.objects.filter(cycle=cycle))
    assert {(i.reminder_count, i.last_reminded_at, i.sent_at) for i in rows} == {
        (1, rows[0].last_reminded_at, rows[0].sent_at)
    }
    assert all(i.earlier_token_hashes.strip() for i in rows)
    if connection.vendor == "postgresql":
        dump = invitee_dump()
        assert len({xmin for _ctid, xmin, _xmax, _row in dump}) == 1
