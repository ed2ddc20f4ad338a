from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from partnerlens.core.readiness import readiness


def home(request):
    """What Partnerlens is, for visitors; signed-in people go straight to their partnerships."""
    if request.user.is_authenticated:
        return redirect("directory:partnership_list")
    return render(request, "home.html")


def healthz(request):
    """Liveness: the process answers. No database, so it stays the cheapest page there is
    (the load benchmark's baseline) and a database outage does not restart every server."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database, the task queue and file storage (core/readiness.py), as
    JSON; 503 while any of them fails, so the load balancer sends no one here."""
    ready, report = readiness()
    return JsonResponse(report, status=200 if ready else 503)
