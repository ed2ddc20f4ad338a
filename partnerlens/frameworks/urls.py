from __future__ import annotations

from django.urls import path

from partnerlens.frameworks import views

app_name = "frameworks"

version = "partnership/<int:pk>/versions/<int:version_pk>/"

urlpatterns = [
    path("partnership/<int:pk>/", views.framework_list, name="list"),
    path("partnership/<int:pk>/upload/", views.upload, name="upload"),
    path(version, views.version_detail, name="version"),
    path(version + "flex/", views.flex, name="flex"),
    path(version + "publish/", views.publish, name="publish"),
    path(version + "draft/", views.start_draft, name="start_draft"),
    path(version + "themes/add/", views.add_theme, name="add_theme"),
    path(version + "questions/add/", views.add_question, name="add_question"),
    path(
        version + "questions/<int:question_pk>/remove/",
        views.remove_question,
        name="remove_question",
    ),
    path(version + "download.yaml", views.download, {"fmt": "yaml"}, name="download_yaml"),
    path(version + "download.json", views.download, {"fmt": "json"}, name="download_json"),
]
