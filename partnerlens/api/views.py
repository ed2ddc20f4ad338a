"""The lead's page of API tokens: see them, make one (shown once), revoke one.

Every member may open the page and read what the API is; only the partnership's lead or an
administrator sees the tokens and changes them (403 for other members, 404 outside).
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from partnerlens.api import services
from partnerlens.api.forms import TokenForm
from partnerlens.directory.access import get_partnership_for_user


@login_required
def tokens(request, pk):
    access = get_partnership_for_user(request.user, pk)
    partnership = access.partnership
    listed = partnership.api_tokens.for_page() if access.can_manage else []
    return render(
        request,
        "api/tokens.html",
        {"partnership": partnership, "can_manage": access.can_manage, "tokens": listed},
    )


def _end_of(day):
    return timezone.make_aware(datetime.combine(day, time.max)) if day else None


@never_cache  # the page that shows a new token must never be kept by a browser or proxy
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request, pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    form = TokenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        made = services.create_token(
            partnership,
            actor=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=_end_of(form.cleaned_data["expires_on"]),
        )
        # Rendered, not redirected: the secret is shown on this response and kept nowhere.
        return render(
            request,
            "api/token_created.html",
            {"partnership": partnership, "token": made.token, "secret": made.secret},
        )
    return render(request, "api/token_create.html", {"partnership": partnership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk, token_pk):
    partnership = get_partnership_for_user(request.user, pk, manage=True).partnership
    token = get_object_or_404(partnership.api_tokens, pk=token_pk, revoked_at__isnull=True)
    if request.method == "POST":
        services.revoke_token(token, actor=request.user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("api:tokens", pk=partnership.pk)
    return render(request, "api/token_revoke.html", {"partnership": partnership, "token": token})
