from __future__ import annotations

from django.urls import path

from partnerlens.impact import views, views_panel

app_name = "impact"

P = "partnerships/<int:pk>/"

urlpatterns = [
    # the impact page, registrations, estimates and families (helper "estimate")
    path(P, views.home, name="home"),
    path(P + "registrations/new/", views.registration_create, name="registration_create"),
    path(
        P + "registrations/<int:registration_pk>/",
        views.registration_detail,
        name="registration",
    ),
    path(P + "estimates/new/", views.estimate_create, name="estimate_create"),
    path(P + "estimates/<int:estimate_pk>/", views.estimate_detail, name="estimate"),
    path(P + "estimates/<int:estimate_pk>/run/", views.estimate_run, name="estimate_run"),
    path(P + "families/<int:group_pk>/", views.family_detail, name="family"),
    # the outcome panel and the partnership's own measures (helper "panel")
    path(P + "panel/", views_panel.panel, name="panel"),
    path(P + "own-measures/", views_panel.own_measure_list, name="own_measures"),
    path(
        P + "own-measures/<int:measure_pk>/",
        views_panel.own_measure_edit,
        name="own_measure_edit",
    ),
    path(
        P + "own-measures/<int:measure_pk>/upload/",
        views_panel.own_measure_upload,
        name="own_measure_upload",
    ),
    path(
        P + "own-measures/<int:measure_pk>/download/",
        views_panel.own_measure_download,
        name="own_measure_download",
    ),
]
