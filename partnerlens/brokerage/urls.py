from __future__ import annotations

from django.urls import path

from partnerlens.brokerage import views, views_offers, views_support

app_name = "brokerage"

P = "partnerships/<int:pk>/"

urlpatterns = [
    path(P, views.home, name="home"),
    path(P + "areas/", views.areas, name="areas"),
    path(P + "profiles/", views.profile_list, name="profile_list"),
    path(P + "profiles/derive/", views.profiles_derive, name="profiles_derive"),
    path(P + "profiles/<int:school_pk>/", views.profile_detail, name="profile_detail"),
    path(
        P + "profiles/<int:school_pk>/<slug:area>/adjust/",
        views.assessment_adjust,
        name="assessment_adjust",
    ),
    path(P + "offers/", views_offers.offer_list, name="offer_list"),
    path(P + "offers/<int:school_pk>/", views_offers.offer_edit, name="offer_edit"),
    path(P + "scenarios/new/", views.scenario_create, name="scenario_create"),
    path(P + "scenarios/<int:scenario_pk>/", views.scenario_detail, name="scenario_detail"),
    path(P + "scenarios/<int:scenario_pk>/run/", views.scenario_run, name="scenario_run"),
    # Before match_decide, whose <slug:action> would also match "accept".
    path(
        P + "scenarios/<int:scenario_pk>/proposals/<int:proposal_pk>/accept/",
        views_support.match_accept,
        name="match_accept",
    ),
    path(
        P + "scenarios/<int:scenario_pk>/proposals/<int:proposal_pk>/<slug:action>/",
        views.match_decide,
        name="match_decide",
    ),
    path(
        P + "scenarios/<int:scenario_pk>/pins/<int:pin_pk>/remove/",
        views.pin_remove,
        name="pin_remove",
    ),
    path(
        P + "scenarios/<int:scenario_pk>/exclusions/<int:exclusion_pk>/remove/",
        views.exclusion_remove,
        name="exclusion_remove",
    ),
    path(P + "support/", views_support.support_list, name="support_list"),
    path(P + "support/<int:support_pk>/", views_support.support_detail, name="support_detail"),
    path(P + "support/<int:support_pk>/end/", views_support.support_end, name="support_end"),
]
