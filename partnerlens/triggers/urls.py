from __future__ import annotations

from django.urls import path

from partnerlens.triggers import views

app_name = "triggers"

P = "partnerships/<int:pk>/"

urlpatterns = [
    path(P, views.register, name="register"),
    path(P + "heatmap/", views.heatmap, name="heatmap"),
    path(P + "<int:trigger_pk>/", views.detail, name="detail"),
    path(P + "indicators/", views.indicators, name="indicators"),
    path(P + "indicators/recommended/", views.recommended, name="recommended"),
    path(P + "indicators/new/", views.indicator_create, name="indicator_create"),
    path(P + "indicators/<int:indicator_pk>/", views.indicator_edit, name="indicator_edit"),
    path(P + "evaluate/", views.evaluate, name="evaluate"),
]
