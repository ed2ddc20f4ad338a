from __future__ import annotations

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render


def home(request):
    """What Partnerlens is, for visitors; signed-in people go straight to their partnerships."""
    if request.user.is_authenticated:
        return redirect("directory:partnership_list")
    return render(request, "home.html")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
