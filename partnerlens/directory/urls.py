from __future__ import annotations

from django.urls import path

from partnerlens.directory import views

app_name = "directory"

urlpatterns = [
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/members/add/", views.member_add, name="member_add"),
    path(
        "partnerships/<int:pk>/members/new-organisation/",
        views.partner_organisation_add,
        name="partner_organisation_add",
    ),
    path(
        "partnerships/<int:pk>/members/<int:membership_pk>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path("partnerships/<int:pk>/people/invite/", views.person_invite, name="person_invite"),
    path("partnerships/<int:pk>/people/<int:role_pk>/end/", views.role_end, name="role_end"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
