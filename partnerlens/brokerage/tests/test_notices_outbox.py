"""The notices of an accepted match and of ended support go through the outbox: with the mail
server down the broker's request still succeeds, the messages wait, and the real worker sends
them once the server is back (database task backend, real SMTP server, real views)."""

from __future__ import annotations

import pytest

from partnerlens.brokerage.models import SupportRelationship, SupportStatus
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.core.testing_tasks import make_due, run_worker
from partnerlens.directory.models import Role
from partnerlens.outbox.models import MailStatus, OutgoingMail

from .test_views_decisions import accept_url, end_data, end_url

pytestmark = pytest.mark.django_db(transaction=True)


def mail_for(reference: str) -> set[tuple[str, str, int]]:
    return set(
        OutgoingMail.objects.filter(reference=reference).values_list("to", "status", "attempts")
    )


def test_accepting_and_ending_with_the_mail_server_down_queue_the_notices(
    client, cluster, scenario, make_user, mail_server
):
    head_ash = make_user("head_ash")
    cluster["a"].roles.create(user=head_ash, role=Role.SENIOR_LEADER, organisation=cluster["ash"])
    proposal = run_scenario(scenario, actor=cluster["broker"]).matches.get(
        need_school=cluster["ash"]
    )
    client.force_login(cluster["broker"])

    accepted = client.post(accept_url(proposal))
    support = SupportRelationship.objects.get()
    assert accepted.status_code == 302 and accepted["Location"].endswith(f"/support/{support.pk}/")
    reference = f"match:{proposal.pk}"
    queued = {
        ("head_ash@example.org", MailStatus.QUEUED, 0),
        ("head_cedar@example.org", MailStatus.QUEUED, 0),
    }
    assert mail_for(reference) == queued

    run_worker()  # the server is still down: tried once, kept for later, nothing raised
    assert {status for _to, status, _n in mail_for(reference)} == {MailStatus.QUEUED}
    assert {attempts for _to, _status, attempts in mail_for(reference)} == {1}
    assert mail_server.messages == []

    ended = client.post(end_url(support), end_data(confirm="True"))
    assert ended.status_code == 302
    support.refresh_from_db()
    assert support.status == SupportStatus.ENDED_EARLY
    assert mail_for(f"support:{support.pk}") == queued

    mail_server.start()
    make_due()
    run_worker()
    assert {status for _to, status, _n in mail_for(reference)} == {MailStatus.SENT}
    assert {status for _to, status, _n in mail_for(f"support:{support.pk}")} == {MailStatus.SENT}
    told = [m["X-Partnerlens-Reference"] for m in mail_server.to("head_ash@example.org")]
    assert sorted(told) == sorted([reference, f"support:{support.pk}"])
