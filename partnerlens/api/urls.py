from __future__ import annotations

from django.urls import path

from partnerlens.api import views

app_name = "api"

urlpatterns = [
    path("partnerships/<int:pk>/api-tokens/", views.tokens, name="tokens"),
    path("partnerships/<int:pk>/api-tokens/new/", views.token_create, name="token_create"),
    path(
        "partnerships/<int:pk>/api-tokens/<int:token_pk>/revoke/",
        views.token_revoke,
        name="token_revoke",
    ),
]
