"""Account pages: your account, two-factor set-up and sign-in code, password reset, lockout.

Password reset and change are Django's own views with our forms and templates
(``account_urls.py``); this module holds what Django does not have.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import segno
from axes.utils import reset as reset_throttle
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from partnerlens.directory import accounts
from partnerlens.directory.forms import CodeForm

FRESH_CODES = "partnerlens.fresh_backup_codes"


def _wanted(request) -> str:
    """The ``next`` asked for (posted back by the form, or in the address), as given."""
    return request.POST.get("next") or request.GET.get("next") or ""


def _next_url(request, default: str = "directory:partnership_list") -> str:
    """Where to go once done: the ``next`` asked for, if it is on this site."""
    wanted = _wanted(request)
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


@never_cache
@login_required
def account(request):
    user = request.user
    context = {
        "has_app": accounts.has_second_factor(user),
        "required": accounts.requires_two_factor(user),
        "backup_codes_left": accounts.backup_codes_left(user),
        "fresh_codes": request.session.pop(FRESH_CODES, None),
        "continue_url": _next_url(request) if request.GET.get("next") else "",
    }
    return render(request, "registration/account.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then give one code."""
    user = request.user
    if accounts.has_second_factor(user):  # one authenticator each
        return redirect("account" if user.is_verified() else "two_factor_verify")
    device = accounts.pending_app(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if accounts.confirm_app(device, form.cleaned_data["code"]):
            otp_login(request, device)  # verified from now on: the middleware asks no more
            request.session[FRESH_CODES] = accounts.new_backup_codes(user)
            messages.success(request, _("Two-factor sign-in is on."))
            wanted = _wanted(request)
            query = f"?{urlencode({'next': wanted})}" if wanted else ""
            return redirect(reverse("account") + query)
        form.add_error("code", _("The code is not right. Enter the code your app shows now"))
    key = _grouped_base32(device)
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(
            scale=4, light="#fff", title=_("QR code to scan with your authenticator app")
        ),
        "key": key,
        "required": accounts.requires_two_factor(user),
        "next": _wanted(request),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not accounts.has_second_factor(user):
        return redirect("two_factor_setup")
    form = CodeForm(request.POST if request.method == "POST" else None, backup=True)
    if form.is_valid():
        device = accounts.check_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error(
            "code",
            _(
                "The code is not right. Enter the code your app shows now, or a backup code. "
                "After several wrong codes, wait a little before trying again"
            ),
        )
    context = {"form": form, "next": _wanted(request)}
    return render(request, "registration/two_factor_verify.html", context)


@login_required
@require_POST
def two_factor_backup_codes(request):
    """A fresh set of backup codes (only once the second factor is verified)."""
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    request.session[FRESH_CODES] = accounts.new_backup_codes(request.user)
    messages.success(request, _("New backup codes made. The old ones no longer work."))
    return redirect("account")


@login_required
@require_POST
def two_factor_remove(request):
    """Turn two-factor sign-in off: only for someone it is not required of, once verified."""
    user = request.user
    if not user.is_verified() or accounts.requires_two_factor(user):
        messages.error(request, _("Two-factor sign-in is required for your account."))
        return redirect("account")
    accounts.remove_second_factor(user)
    accounts.remember_two_factor(request)
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("account")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's, and a new password also lifts any sign-in lockout on the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        for name in {self.user.get_username().lower(), (self.user.email or "").lower()} - {""}:
            reset_throttle(username=name)
        return response


def locked_out(request, original_response=None, credentials=None):
    """The page axes shows instead of signing in (settings.AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


def _grouped_base32(device) -> str:
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))
