from __future__ import annotations

from django.urls import path

from partnerlens.actions import views, views_evidence, views_records, views_wording

app_name = "actions"
P = "partnerships/<int:pk>/"
urlpatterns = [
    path(P, views.plan, name="plan"),
    path(P + "new/", views.action_create, name="action_create"),
    path(P + "moved/", views.moved, name="moved"),
    path(P + "<int:action_pk>/", views.action_detail, name="action_detail"),
    path(P + "<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path(P + "evidence/", views_evidence.evidence_list, name="evidence_list"),
    path(P + "evidence/new/", views_evidence.evidence_add, name="evidence_add"),
    path(
        P + "evidence/<int:item_pk>/file/",
        views_evidence.evidence_download,
        name="evidence_download",
    ),
    path(P + "evidence/<int:item_pk>/edit/", views_wording.evidence_edit, name="evidence_edit"),
    path(P + "activities/", views_records.activity_list, name="activity_list"),
    path(P + "activities/new/", views_records.activity_add, name="activity_add"),
    path(
        P + "activities/<int:activity_pk>/edit/",
        views_wording.activity_edit,
        name="activity_edit",
    ),
    path(P + "benefits/", views_records.benefits, name="benefits"),
    path(P + "benefits/new/", views_records.benefit_add, name="benefit_add"),
    path(P + "benefits/<int:benefit_pk>/edit/", views_wording.benefit_edit, name="benefit_edit"),
]
