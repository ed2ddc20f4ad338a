"""Signing in by email address, whatever its case.

People are known by their email address (the username of an account opened from a role
invitation). Addresses are not case-sensitive in practice, so "Ann@School.org" and
"ann@school.org" are one person: the sign-in looks the name up without regard to case, in
the username and the email address, and checks the password of each account it finds (two
only where an administrator made both).

In front of it is django-axes' own backend (settings AUTHENTICATION_BACKENDS): too many wrong
passwords for one name from one address lock that pair out for a while (settings AXES_*). It
needs the request, so every call of ``authenticate`` passes one. Axes counts the name as
``throttle_name`` reads it, in lower case, so "ANN@..." and "ann@..." share one count.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user_model = get_user_model()
        name = username.strip()
        candidates = list(
            user_model._default_manager.filter(
                Q(username__iexact=name) | Q(email__iexact=name)
            ).order_by("pk")[:5]
        )
        if not candidates:
            # Hash anyway, so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        for user in candidates:
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
        return None


def throttle_name(request, credentials) -> str:
    """The name a sign-in attempt is counted under: as typed, trimmed, in lower case."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return str(name or "").strip().lower()
