"""Two middlewares for signed-in sessions (settings.MIDDLEWARE, after OTPMiddleware).

``SessionTimeoutMiddleware`` signs a person out after SESSION_IDLE_MINUTES without a
request, or SESSION_ABSOLUTE_HOURS after they signed in, and sends them to sign in again.
The time last seen is written at most once a minute, so a page costs no extra query.

``TwoFactorMiddleware`` keeps someone whose second factor is not yet verified to the few
pages that get them there: asked for a code if they have an authenticator, sent to set one
up if it is required of them (accounts.py says who), and nowhere else until it is done.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from partnerlens.directory import accounts

TOUCH_SECONDS = 60

# Pages open to a signed-in person whose second factor is still to come.
TWO_FACTOR_OPEN = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_setup",
        "set_language",
        "healthz",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


def _sign_in_again(request, message: str):
    next_url = request.get_full_path() if request.method == "GET" else ""
    logout(request)
    messages.info(request, message)
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(reverse("login") + query)


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = accounts.now_stamp()
            signed_in = session.setdefault(accounts.SIGNED_IN_AT, now)
            last_seen = session.setdefault(accounts.LAST_SEEN, now)
            if now - signed_in > settings.SESSION_ABSOLUTE_HOURS * 3600:
                return _sign_in_again(
                    request,
                    _("You were signed out because you signed in more than %(hours)s hours ago.")
                    % {"hours": settings.SESSION_ABSOLUTE_HOURS},
                )
            if now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                return _sign_in_again(
                    request,
                    _("You were signed out after %(minutes)s minutes without activity.")
                    % {"minutes": settings.SESSION_IDLE_MINUTES},
                )
            if now - last_seen > TOUCH_SECONDS:
                session[accounts.LAST_SEEN] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.view_name in TWO_FACTOR_OPEN:
            return None
        session = request.session
        state = session.get(accounts.TWO_FACTOR, "")
        checked = session.get(accounts.CHECKED_AT, 0)
        if accounts.now_stamp() - checked > accounts.REFRESH.total_seconds():
            state = accounts.remember_two_factor(request)
        if not state:
            return None
        target = "two_factor_verify" if state == accounts.VERIFY else "two_factor_setup"
        next_url = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse(target) + query)
