"""Sign-ins, failed sign-ins and lockouts, recorded from the signals Django and django-axes
send (connected in ``apps.AuditConfig.ready``).

A failed sign-in names the account it tried, when one exists, by its key: never the text
that was typed (it may be a password in the wrong box) and never the address it came from
(django-axes keeps that in its own tables, for its own cool-off period).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from partnerlens.audit import verbs
from partnerlens.audit.services import record


def _account_named(name) -> object | None:
    """The account a typed sign-in name points at (username or email, in any case)."""
    name = (name or "").strip()
    if not name:
        return None
    matches = Q(username__iexact=name) | Q(email__iexact=name)
    return get_user_model()._default_manager.filter(matches).order_by("pk").first()


def signed_in(sender, request, user, **kwargs) -> None:
    record(user, verbs.ACCOUNT_SIGNED_IN, user)


def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    if getattr(request, "axes_locked_out", False):
        return  # the lockout entry (below) says it, once
    account = _account_named(credentials.get("username"))
    record(None, verbs.ACCOUNT_SIGN_IN_FAILED, account, known_account=account is not None)


def locked_out(sender, request=None, username=None, **kwargs) -> None:
    account = _account_named(username)
    record(None, verbs.ACCOUNT_LOCKED_OUT, account, known_account=account is not None)
