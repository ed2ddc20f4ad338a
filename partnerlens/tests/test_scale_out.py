"""Scale-out: two stateless app servers behind nginx, sharing one PostgreSQL database.

Started as docs/deployment.md ("Several app servers") says: gunicorn with production
settings, a task worker as a separate process, Debian's nginx sharing requests out round
robin, and files in S3-compatible storage (a real local S3 server, moto_server, over HTTP).
nginx names the app server that answered each request (``X-Upstream``, a header of the
test's configuration only), so the tests see each visitor move from one server to the other.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import boto3
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.test import override_settings

from partnerlens.core import testing_servers as servers
from partnerlens.directory.models import Role
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.models import Answer, Response
from partnerlens.enquiries.responding import partners_for, themes_for
from partnerlens.enquiries.services.cycles import create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link, invite_people
from partnerlens.enquiries.tests.conftest import link_from
from partnerlens.insights.models import PreparedDownload
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework
from partnerlens.tests.serving import (
    Visitor,
    database_url,
    form_for,
    postgres_only,
    static_root,
)

pytestmark = [postgres_only, pytest.mark.django_db(transaction=True)]

BUCKET = "partnerlens-files"
PASSWORD = "scale-out-lead-password"
OPEN_LINK_LIMIT = 4  # starts from one address per window, counted in the shared cache


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A local S3-compatible server on a free port, with an empty bucket."""
    port = servers.free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    moto = Path(sys.executable).with_name("moto_server")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(moto), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = servers.Process("s3", process, log, port)
    try:
        servers.wait_until_up(server, path="/moto-api/")
        client = boto3.client(
            "s3",
            endpoint_url=server.url,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="eu-west-2",
        )
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        server.extra["client"] = client
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, s3, tmp_path_factory):
    """Two app servers (2 workers each), one task worker, nginx in front; files in S3."""
    folder = tmp_path_factory.mktemp("cluster")
    env = servers.server_env(
        database_url(),
        static_root=static_root(tmp_path_factory),
        MEDIA_ROOT=str(folder / "media-unused"),
        STORAGE_S3_BUCKET=BUCKET,
        STORAGE_S3_ENDPOINT_URL=s3.url,
        STORAGE_S3_REGION="eu-west-2",
        STORAGE_S3_ACCESS_KEY_ID="test",
        STORAGE_S3_SECRET_ACCESS_KEY="test",
        OPEN_LINK_STARTS_PER_ADDRESS=str(OPEN_LINK_LIMIT),
        AXES_TRUSTED_PROXIES="1",  # nginx: the client is the address it forwards
    )
    servers.collect_static(env)
    with ExitStack() as stack:
        a, b = stack.enter_context(servers.app_servers(env, folder))
        stack.enter_context(servers.worker(env, folder))
        proxy = stack.enter_context(servers.nginx([a.port, b.port], folder))
        yield {"a": a, "b": b, "proxy": proxy}


def upstream(answer) -> int:
    """The port of the app server that answered through nginx."""
    return int(answer.headers["X-Upstream"].rsplit(":", 1)[1])


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_a_respondent_moving_between_app_servers_keeps_their_answers(
    cluster, personas, make_school
):
    lead, school = personas["lead_a"], personas["school_a"]
    partner = make_school("Riverside Infants")
    personas["a"].memberships.create(organisation=partner)
    cycle = create_cycle(
        personas["a"],
        actor=lead,
        framework_version=make_results_framework("scale-out"),
        title="Autumn review",
        opens_on=servers_today(),
        closes_on=servers_today(days=14),
        anonymity_mode="confidential",
        audience_roles=[Role.TEACHER],
    )
    invite_people(
        cycle, [InviteeRow(2, "ann@example.org", "Ann", Role.TEACHER, school, "en")], actor=lead
    )
    open_cycle(cycle, actor=lead)
    token = link_from(mail.outbox[-1].body)
    base = f"{cluster['proxy'].url}/enquiries/r/{token}"

    ann, served = Visitor(), []

    def step(answer, status=200):
        assert answer.status_code == status, answer.text[:2000]
        served.append(upstream(answer))
        return answer

    step(ann.get(f"{base}/"))
    step(ann.post(f"{base}/", {}), 302)
    response = Response.objects.get(cycle=cycle)
    themes = themes_for(response)
    partners = partners_for(response)
    expected = {}
    for number, (_theme, questions) in enumerate(themes, start=1):
        page = step(ann.get(f"{base}/theme/{number}/"))
        if number > 1:  # the message left by the other server's save shows here
            assert "Your answers on this page have been saved." in page.text
        fields = form_for(
            questions, partners, words=f"Answered through two servers ({response.pk})"
        )
        expected.update(fields)
        step(ann.post(f"{base}/theme/{number}/", [*fields, ("continue", "")]), 302)
    review = step(ann.get(f"{base}/check/"))
    assert f"Answered through two servers ({response.pk})" in review.text
    step(ann.post(f"{base}/submit/", {}), 302)
    assert step(ann.get(f"{cluster['proxy'].url}/enquiries/submitted/")).status_code == 200

    # nginx sent every other request to the other server, and both served the visitor.
    ports = {cluster["a"].port, cluster["b"].port}
    assert set(served) == ports
    assert all(one != two for one, two in itertools.pairwise(served)), served
    # Everything answered on either server is stored, and the response is submitted once.
    response.refresh_from_db()
    assert response.is_submitted
    stored = {}
    for a in Answer.objects.filter(response=response).select_related("question"):
        name = f"q{a.question_id}" + (
            f"-o{a.about_organisation_id}" if a.about_organisation_id else ""
        )
        stored[name] = a.option_value or a.text
    assert stored == expected
    # The link now says so on either server.
    for port in ports:
        again = ann.get(f"http://127.0.0.1:{port}/enquiries/r/{token}/")
        assert "already submitted" in again.text


def servers_today(days: int = 0):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def sign_in(visitor: Visitor, base: str, user) -> None:
    assert visitor.get(f"{base}/accounts/login/").status_code == 200
    signed = visitor.post(f"{base}/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert signed.status_code == 302, signed.text[:2000]
    assert "sessionid" in visitor.cookies


def with_server_password(user) -> None:
    """A password the servers can check (the tests' own hasher is MD5, which production
    settings do not accept); few iterations, for speed."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "scaleoutsalt", iterations=1000)
    user.save(update_fields=["password"])


def test_a_signed_in_lead_stays_signed_in_on_every_server_until_signing_out(cluster, personas):
    lead = personas["lead_a"]
    with_server_password(lead)
    a, b, proxy = cluster["a"].url, cluster["b"].url, cluster["proxy"].url
    visitor = Visitor()
    sign_in(visitor, a, lead)  # signed in on server A
    home = f"/enquiries/partnerships/{personas['a'].pk}/"
    for base in (b, a, b):  # the session is in the database: B knows the lead
        page = visitor.get(base + home)
        assert page.status_code == 200 and "Northside Cluster" in page.text
    served = {upstream(visitor.get(proxy + home)) for _ in range(4)}
    assert served == {cluster["a"].port, cluster["b"].port}
    # Signing out on B ends the session on A too.
    out = visitor.post(f"{b}/accounts/logout/", {})
    assert out.status_code == 302
    refused = visitor.get(a + home)
    assert refused.status_code == 302 and "/accounts/login/" in refused.headers["Location"]


def test_the_governors_pdf_is_made_by_the_worker_into_s3_and_served_by_either_server(
    cluster, s3, personas, make_school
):
    lead = personas["lead_a"]
    with_server_password(lead)
    schools = [personas["school_a"], make_school("Riverside Infants"), make_school("Hilltop")]
    for school in schools[1:]:
        personas["a"].memberships.create(organisation=school)
    version = make_results_framework("scale-pdf")
    people = [(Role.TEACHER, 0, 3, "developing", "3", "networking")]
    cycle = fill_cycle(personas["a"], lead, schools, version, people)
    visitor = Visitor()
    sign_in(visitor, cluster["proxy"].url, lead)
    status = f"{cluster['proxy'].url}/insights/cycles/{cycle.pk}/download/pdf/status/"
    deadline = time.monotonic() + 120
    while 'data-status="done"' not in (page := visitor.get(status)).text:
        assert page.status_code == 200 and 'data-status="failed"' not in page.text
        assert time.monotonic() < deadline, "the worker never made the PDF"
        time.sleep(0.5)
    row = PreparedDownload.objects.get(release__cycle=cycle)
    # The file is in the bucket, not on any server's disk.
    stored = s3.extra["client"].get_object(Bucket=BUCKET, Key=row.file.name)["Body"].read()
    assert stored.startswith(b"%PDF-") and len(stored) == row.size
    for base in (cluster["a"].url, cluster["b"].url):
        download = visitor.get(f"{base}/insights/cycles/{cycle.pk}/download/pdf/")
        assert download.status_code == 200, download.text[:1000]
        assert download.content == stored


def test_the_open_link_limit_counts_starts_on_every_server_together(cluster, personas):
    """Four worker processes on two servers: counted apart (a cache in each process), no
    one of them would reach the limit; counted in the shared database cache, they do."""
    lead = personas["lead_a"]
    cycle = create_cycle(
        personas["a"],
        actor=lead,
        framework_version=make_results_framework("scale-open"),
        title="Open review",
        opens_on=servers_today(),
        closes_on=servers_today(days=14),
        audience_roles=[Role.TEACHER],
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        open_cycle(cycle, actor=lead)
    token = create_open_link(cycle, actor=lead)
    visitor = Visitor()
    start = f"{cluster['proxy'].url}/enquiries/p/{token}/"
    assert visitor.get(start).status_code == 200
    # A client that names a new address each time still counts as the one nginx saw.
    answers = [
        visitor.post(start, {"role": Role.TEACHER}, headers={"X-Forwarded-For": f"192.0.2.{n}"})
        for n in range(OPEN_LINK_LIMIT + 2)
    ]
    assert {upstream(a) for a in answers} == {cluster["a"].port, cluster["b"].port}
    assert [a.status_code for a in answers] == [302] * OPEN_LINK_LIMIT + [429, 429]
    assert Response.objects.filter(cycle=cycle).count() == OPEN_LINK_LIMIT
