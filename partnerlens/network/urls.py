from __future__ import annotations

from django.urls import path

from partnerlens.network import views

app_name = "network"

P = "partnerships/<int:pk>/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "isolated/", views.isolated, name="isolated"),
    path(P + "organisations/<int:org_pk>/", views.organisation, name="organisation"),
    path(P + "mismatched/", views.mismatched, name="mismatched"),
    path(P + "refresh/", views.refresh, name="refresh"),
    path(P + "isolated/scenario/", views.start_scenario, name="start_scenario"),
]
