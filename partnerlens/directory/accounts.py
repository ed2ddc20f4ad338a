"""Accounts: who must use two-factor sign-in, the session's clock, and the person's devices.

Two-factor sign-in is django-otp with a TOTP device (an authenticator app) and a set of
single-use backup codes (a static device). Anyone may turn it on; it is required of staff
and of anyone holding one of ``settings.TWO_FACTOR_REQUIRED_ROLES`` (brokers, by default) in
a partnership.

What the middleware needs on every request is kept in the session, so a page costs no
extra query: when the person signed in and was last seen (the timeouts), and what their
second factor asks of them (``TWO_FACTOR``: "verify" if they have a device, "setup" if
they must make one, absent otherwise). It is worked out at sign-in, after accepting an
invitation, and again every few minutes (``REFRESH``) while the session is not verified,
so a role granted mid-session is caught within minutes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerlens.directory.models import PartnershipRole

SIGNED_IN_AT = "partnerlens.signed_in_at"
LAST_SEEN = "partnerlens.last_seen"
TWO_FACTOR = "partnerlens.two_factor"
CHECKED_AT = "partnerlens.two_factor_checked_at"
VERIFY, SETUP = "verify", "setup"
REFRESH = datetime.timedelta(minutes=5)
BACKUP_CODES = 10
DEVICE_NAME = "Authenticator app"


def now_stamp() -> float:
    return timezone.now().timestamp()


def requires_two_factor(user) -> bool:
    """Staff, and holders of a current role named in TWO_FACTOR_REQUIRED_ROLES."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    roles = settings.TWO_FACTOR_REQUIRED_ROLES
    return bool(roles) and (
        PartnershipRole.objects.current().filter(user=user, role__in=roles).exists()
    )


def confirmed_app(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_state(user) -> str:
    """What the second factor asks of this user: VERIFY, SETUP or "" (nothing)."""
    if has_second_factor(user):
        return VERIFY
    return SETUP if requires_two_factor(user) else ""


def remember_two_factor(request, user=None) -> str:
    """Work out the user's two-factor state afresh and keep it in the session."""
    state = two_factor_state(user or request.user)
    if state:
        request.session[TWO_FACTOR] = state
    else:
        request.session.pop(TWO_FACTOR, None)
    request.session[CHECKED_AT] = now_stamp()
    return state


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    stamp = now_stamp()
    request.session[SIGNED_IN_AT] = stamp
    request.session[LAST_SEEN] = stamp
    remember_two_factor(request, user)


# --- devices --------------------------------------------------------------------------


def pending_app(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (made on first asking, kept until used)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def confirm_app(device: TOTPDevice, code: str) -> bool:
    """Confirm a pending authenticator by its first code; other pending ones are dropped."""
    if not device.verify_token(code):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def new_backup_codes(user) -> list[str]:
    """Ten fresh single-use backup codes; any earlier ones stop working."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, defaults={"name": "Backup codes", "confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_code(user, code: str):
    """The device the code belongs to (authenticator first, then a backup code), or None.

    django-otp throttles each device after a wrong code, doubling the wait each time.
    """
    code = "".join(code.split())
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code.lower()):
            return device
    return None


def remove_second_factor(user) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
