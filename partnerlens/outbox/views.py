"""The demo Mailbox: messages caught by the local mail catcher, read in the browser.

Shown only when DEBUG or DEMO_MAILBOX is on, to staff and to DEMO_MAILBOX_READERS (the
demo account), since it holds every message the site sent, to anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from partnerlens.outbox import mailbox


def _allow(request) -> None:
    if not (settings.DEBUG or settings.DEMO_MAILBOX):
        raise Http404("The mailbox is off")
    user = request.user
    readers = {reader.lower() for reader in settings.DEMO_MAILBOX_READERS}
    names = {user.get_username().lower(), (user.email or "").lower()}
    if not (user.is_staff or names & readers):
        raise PermissionDenied


@never_cache
@login_required
def inbox(request):
    _allow(request)
    messages = mailbox.caught(settings.DEMO_MAILBOX_DIR)
    return render(request, "outbox/mailbox.html", {"caught": messages})


@never_cache
@login_required
def message(request, key: str):
    _allow(request)
    found = mailbox.read(settings.DEMO_MAILBOX_DIR, key)
    if found is None:
        raise Http404("No such message")
    return render(request, "outbox/message.html", {"mail": found})
