"""The demo mail catcher's maildir, read for the Mailbox page.

``make run`` starts aiosmtpd on 127.0.0.1:1025 writing every message it receives into the
maildir ``settings.DEMO_MAILBOX_DIR`` (scripts/run); this module lists and reads it.
"""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from pathlib import Path


@dataclass
class CaughtMail:
    key: str
    subject: str
    to: str
    sender: str
    received: datetime
    body: str = ""


def _header(message, name: str) -> str:
    value = message.get(name, "")
    try:
        return str(make_header(decode_header(value)))
    except (UnicodeDecodeError, LookupError):
        return value


def _text(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            payload = part.get_payload(decode=True) or b""
            return payload.decode(part.get_content_charset() or "utf-8", errors="replace")
    return ""


def _caught(key: str, message, *, with_body: bool) -> CaughtMail:
    return CaughtMail(
        key=key,
        subject=_header(message, "Subject"),
        to=_header(message, "To"),
        sender=_header(message, "From"),
        received=datetime.fromtimestamp(message.get_date(), tz=UTC),
        body=_text(message) if with_body else "",
    )


def _open(directory: Path) -> mailbox.Maildir | None:
    if not (directory / "cur").is_dir():
        return None
    return mailbox.Maildir(directory, create=False)


def caught(directory: Path) -> list[CaughtMail]:
    """Every caught message, newest first (an absent maildir means none yet)."""
    box = _open(directory)
    if box is None:
        return []
    found = [_caught(key, message, with_body=False) for key, message in box.iteritems()]
    return sorted(found, key=lambda mail: mail.received, reverse=True)


def read(directory: Path, key: str) -> CaughtMail | None:
    box = _open(directory)
    if box is None or key not in box:
        return None
    return _caught(key, box[key], with_body=True)
