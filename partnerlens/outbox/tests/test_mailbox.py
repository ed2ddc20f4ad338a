"""The demo Mailbox page reads what the real mail catcher (aiosmtpd's Maildir handler, as
scripts/run starts it) has stored."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from django.core.mail import get_connection, send_mail


@pytest.fixture
def catcher(tmp_path, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Mailbox(tmp_path / "mailbox"), hostname="127.0.0.1", port=port)
    controller.start()
    settings.DEMO_MAILBOX_DIR = tmp_path / "mailbox"
    settings.DEMO_MAILBOX = True
    settings.DEMO_MAILBOX_READERS = ["demo@example.org"]
    smtp = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port
    )
    try:
        yield smtp
    finally:
        controller.stop()


def test_the_demo_reader_reads_caught_mail_and_follows_its_link(catcher, client, make_user):
    send_mail(
        "Gwahoddiad / Invitation",
        "Dechrau yma / Start here: http://127.0.0.1:8000/enquiries/r/abc123/",
        None,
        ["ann@example.org"],
        connection=catcher,
    )
    client.force_login(make_user("demo"))
    inbox = client.get("/mailbox/")
    assert inbox.status_code == 200
    assert "Gwahoddiad / Invitation" in inbox.text and "ann@example.org" in inbox.text
    key = inbox.text.split('href="/mailbox/')[1].split("/")[0]
    page = client.get(f"/mailbox/{key}/")
    assert 'href="http://127.0.0.1:8000/enquiries/r/abc123/"' in page.text
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    assert client.get("/mailbox/not-a-key/").status_code == 404


def test_only_staff_and_the_demo_reader_may_look(catcher, client, make_user):
    client.force_login(make_user("teacher"))
    assert client.get("/mailbox/").status_code == 403
    client.force_login(make_user("admin", is_staff=True))
    assert client.get("/mailbox/").status_code == 200
    assert "No email has been caught yet" in client.get("/mailbox/").text


def test_the_mailbox_is_off_unless_debug_or_demo_mailbox(catcher, client, make_user, settings):
    settings.DEMO_MAILBOX = False
    settings.DEBUG = False
    client.force_login(make_user("admin", is_staff=True))
    assert client.get("/mailbox/").status_code == 404
