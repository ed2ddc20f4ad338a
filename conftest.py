"""Shared test fixtures: personas, a real SMTP server and real headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with sync Playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
]


# --- running in parallel (pytest-xdist, ``make test``) ----------------------------------
#
# Each worker is a process with its own test database (pytest-django suffixes its name with
# _gw0, _gw1...), its own live server and SMTP servers on free ports, and (below) its own
# folder for stored files. Tests go to whichever worker is free, one by one, except that the
# tests of a module sharing a fixture built once per module (the persona world, the demo)
# stay together on one worker, which builds it once; those modules are handed out first, so
# the longest pieces of work start early and the single tests fill the gaps at the end.


def _ours(definition) -> bool:
    """A fixture of this project's (not a plugin's: pytest-django's class-scoped
    ``_django_setup_unittest`` is used by every test)."""
    module = getattr(definition.func, "__module__", "") or ""
    return module == "conftest" or module.startswith(("partnerlens.", "tests."))


def _shares_a_module_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        definitions
        and definitions[-1].scope in ("module", "class", "package")
        and _ours(definitions[-1])
        for definitions in info.name2fixturedefs.values()
    )


def pytest_itemcollected(item):
    if _shares_a_module_fixture(item):
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def _django_order(item) -> int:
    """pytest-django's order (it runs tests as Django does): 0 tests in a rolled-back
    transaction, 1 tests that commit (the database is emptied after each), 2 no database."""
    from django.test import TestCase, TransactionTestCase

    cls = getattr(item, "cls", None)
    if cls and issubclass(cls, TransactionTestCase):
        return 0 if issubclass(cls, TestCase) else 1
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    options = (
        (*marker.args[:2], marker.kwargs.get("transaction"), marker.kwargs.get("reset_sequences"))
        if marker
        else ()
    )
    if any(options) or "transactional_db" in fixtures or "live_server" in fixtures:
        return 1
    return 0 if marker or "db" in fixtures else 2


def _touches_no_database(item) -> bool:
    """Neither a database fixture nor the marker (pytest-django would refuse it any query),
    nor a fixture of ours that unblocks the database itself (the persona world)."""
    if _django_order(item) != 2:
        return False
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.values() if info else ()
    return not any(
        chain
        and _ours(chain[-1])
        and {"django_db_blocker", "django_db_setup"} & set(chain[-1].argnames)
        for chain in definitions
    )


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Leave out the tests that touch no database (make test-postgres: they have "
        "already run in the SQLite suite, and the database cannot change their result).",
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """After pytest-django's order, and keeping it: within each of its three parts, the
    modules that share a fixture first (in the order collected), then the single tests.
    With ``--database-tests-only``, the tests that touch no database are left out."""
    if config.getoption("--database-tests-only"):
        left_out = [item for item in items if _touches_no_database(item)]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not _touches_no_database(item)]
    items.sort(key=lambda item: (_django_order(item), not _shares_a_module_fixture(item)))


@pytest.fixture(scope="session", autouse=True)
def _files_of_this_run(tmp_path_factory):
    """Files kept through Django's storage (prepared downloads, the readiness probe) go to a
    folder of this test process's own, never to var/media, which ``make run`` and other
    test runs use."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _no_random_cache_cull(monkeypatch):
    """The database cache looks at its size on one write in a hundred, at random: off in
    tests, so a request's query count never changes by chance (core/tests/test_cache.py
    turns it back on to test it)."""
    monkeypatch.setattr("partnerlens.core.cache.CULL_EVERY", None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, with every connection to them closed at the end.

    A connection some test left open (another thread's, a server's) stops PostgreSQL
    dropping the test database. Before the drop, Django's connections are closed and any
    other session of ours still on the database is ended and named in a warning, so the run
    stays clean and the leak can be traced. Only our own client sessions: an autovacuum
    worker on the database belongs to the server (ending it needs a superuser) and
    ``DROP DATABASE`` stops it itself."""
    yield
    from django.db import connection, connections

    connections.close_all()
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, application_name, state, left(query, 120) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend' AND usename = current_user"
        )
        left = cursor.fetchall()
        for pid, *_ in left:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.close()
    if left:
        import warnings

        warnings.warn(f"Sessions left open on the test database, ended: {left}", stacklevel=1)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def one_request_per_connection(server) -> None:
    """Make a live server close each connection after its response (HTTP/1.0).

    Django's live server handles each connection in a thread that it never waits for. A
    browser's kept-alive connection kept such a thread alive after the server stopped; when
    it ended it closed a database connection no longer shared with it (on SQLite: an error
    in the thread, PytestUnhandledThreadExceptionWarning; on PostgreSQL: a connection left
    open, "the test database is being accessed by other users")."""
    httpd = server.thread.httpd
    handler = httpd.RequestHandlerClass
    httpd.RequestHandlerClass = type(handler.__name__, (handler,), {"protocol_version": "HTTP/1.0"})


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, with no request thread outliving it."""
    one_request_per_connection(live_server)
    return live_server


@pytest.fixture(autouse=True)
def _fast_hashing_and_english(settings):
    """Cheap password hashing for personas, and English unless a test switches language.

    LocaleMiddleware leaves the last request's language active in the thread; resetting it
    stops a /cy/ request in one test from leaking into reverse() in the next.
    """
    from django.utils import translation

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks (release building, matching runs) run at once, inside the test's
    transaction, unless a test asks for the database backend and the real worker
    (``mail_server``, or settings of its own, with ``run_worker()``)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = False


# --- a real SMTP server on loopback -------------------------------------------------


@dataclass
class Mailbox:
    """Messages received by the local SMTP server, parsed as a mail client would."""

    messages: list[Message] = field(default_factory=list)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address.lower() in m["To"].lower()]

    @staticmethod
    def subject(message: Message) -> str:
        """The subject as a reader sees it: encoded words decoded, a folded line unfolded."""
        return " ".join(str(make_header(decode_header(message["Subject"]))).split())

    @staticmethod
    def body(message: Message) -> str:
        if message.is_multipart():
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    return part.get_payload(decode=True).decode(
                        part.get_content_charset() or "utf-8"
                    )
        return message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")


class _Collector:
    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):
        self.mailbox.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start aiosmtpd on a free loopback port and point Django's SMTP backend at it.

    Mail still goes through the queued backend (partnerlens.outbox), but tasks run at once
    and delivery is not deferred to a commit (tests run inside a transaction), so a message
    has arrived by the time ``send()`` returns. outbox/tests use the real worker instead.
    """
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(_Collector(mailbox), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "partnerlens.outbox.backend.QueuedEmailBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.TASKS_ENQUEUE_ON_COMMIT = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield mailbox
    finally:
        controller.stop()


class MailServer(Mailbox):
    """An SMTP server on a fixed loopback port that a test starts and stops at will."""

    def __init__(self, port: int):
        self.port = port
        self.messages = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        if self._controller is not None:
            return
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail_server(settings):
    """Production-like mail: the database task backend (run tasks with the real worker, see
    core/testing_tasks.py) and SMTP delivery to a server that is down until started."""
    server = MailServer(_free_port())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "partnerlens.outbox.backend.QueuedEmailBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.TASKS_ENQUEUE_ON_COMMIT = True
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()


# --- personas ----------------------------------------------------------------------


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, password: str = "correct-horse-battery", **extra):
        return django_user_model.objects.create_user(
            username=username, email=f"{username}@example.org", password=password, **extra
        )

    return make


@pytest.fixture
def make_school(db):
    from partnerlens.directory.models import Organisation, OrganisationKind

    counter = iter(range(900001, 999999))

    def make(name: str, **extra):
        if "urn" not in extra:  # the next made-up URN no school has (a snapshot may hold some)
            taken = set(Organisation.objects.filter(urn__gte=900001).values_list("urn", flat=True))
            extra["urn"] = next(urn for urn in counter if urn not in taken)
        return Organisation.objects.create(kind=OrganisationKind.SCHOOL, name=name, **extra)

    return make


@pytest.fixture
def make_partnership(db):
    from partnerlens.directory.models import Partnership, PartnershipKind, PartnershipRole

    def make(name: str, *, people: dict | None = None, **extra):
        """A partnership; ``people`` maps each user to a role they hold in it."""
        extra.setdefault("kind", PartnershipKind.CLUSTER)
        partnership = Partnership.objects.create(name=name, **extra)
        for user, role in (people or {}).items():
            PartnershipRole.objects.create(partnership=partnership, user=user, role=role)
        return partnership

    return make


@pytest.fixture
def personas(make_user, make_partnership, make_school):
    """Two partnerships, A and B, each with a lead and a teacher; plus an outsider.

    ``lead_a`` leads A, ``teacher_a`` teaches in A, ``lead_b`` leads B; ``outsider``
    belongs to none. Tests of permission boundaries use these names as sentences do.
    """
    return build_personas(make_user, make_partnership, make_school)


def build_personas(make_user, make_partnership, make_school) -> dict:
    """The ``personas`` fixture's rows, for fixtures that build them into a larger world."""
    from partnerlens.directory.models import Membership, Role

    lead_a = make_user("lead_a")
    teacher_a = make_user("teacher_a")
    lead_b = make_user("lead_b")
    outsider = make_user("outsider")
    a = make_partnership(
        "Northside Cluster", people={lead_a: Role.PARTNERSHIP_LEAD, teacher_a: Role.TEACHER}
    )
    b = make_partnership("Southside Trust", people={lead_b: Role.PARTNERSHIP_LEAD})
    school_a = make_school("Northside Primary", postcode="M1 1AA")
    school_b = make_school("Southside Academy", postcode="SW1A 1AA")
    Membership.objects.create(partnership=a, organisation=school_a)
    Membership.objects.create(partnership=b, organisation=school_b)
    return {
        "lead_a": lead_a,
        "teacher_a": teacher_a,
        "lead_b": lead_b,
        "outsider": outsider,
        "a": a,
        "b": b,
        "school_a": school_a,
        "school_b": school_b,
    }


# --- signed in, second factor passed -----------------------------------------------


def pass_second_factor(client, user) -> None:
    """Mark ``client``'s session as having passed two-factor sign-in, as the code page would.

    Only for users it concerns (required of them, or turned on): the user gets a confirmed
    authenticator if they have none. Others' sessions are left exactly as Django makes them.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partnerlens.directory import accounts

    device = accounts.confirmed_app(user)
    if device is None:
        if not accounts.requires_two_factor(user):
            return
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client():
    """Django's test client, whose ``force_login`` skips the second factor as it skips the
    password (staff and brokers must otherwise pass it first). Tests of two-factor sign-in
    sign in through the pages instead, or use ``django.test.Client`` directly."""
    from django.test import Client

    class SignedInClient(Client):
        def force_login(self, user, backend=None):
            super().force_login(user, backend)
            pass_second_factor(self, user)

    return SignedInClient()
