"""How a secret link token is stored: only its SHA-256 digest, never the token itself.

The token in an emailed link is random (``secrets.token_urlsafe``), so a plain hash is
enough to look it up and useless to someone who reads the database. A ``purpose`` keeps the
hashes of one token apart when it serves several ends (an enquiry invitee's link, a draft
response's resume key, a cycle's open link). Role invitations have no purpose: their
stored hashes predate purposes and must keep matching.
"""

from __future__ import annotations

import hashlib


def hash_token(token: str, *, purpose: str = "") -> str:
    """The stored form of ``token``: hex SHA-256 of ``"purpose:token"``, or of the bare token."""
    text = f"{purpose}:{token}" if purpose else token
    return hashlib.sha256(text.encode()).hexdigest()
