from __future__ import annotations

from django.urls import path

from partnerlens.frameworks import draft_views, question_views, theme_views, views

app_name = "frameworks"

version = "partnership/<int:pk>/versions/<int:version_pk>/"
theme = version + "themes/<int:theme_pk>/"
question = version + "questions/<int:question_pk>/"
option = version + "options/<int:option_pk>/"

urlpatterns = [
    path("partnership/<int:pk>/", views.framework_list, name="list"),
    path("partnership/<int:pk>/upload/", views.upload, name="upload"),
    path(version, views.version_detail, name="version"),
    path(version + "flex/", views.flex, name="flex"),
    path(version + "publish/", draft_views.publish, name="publish"),
    path(version + "draft/", views.start_draft, name="start_draft"),
    path(version + "discard/", draft_views.discard, name="discard"),
    path(version + "details/", draft_views.edit_details, name="edit_details"),
    path(version + "preview/", draft_views.preview, name="preview"),
    path(version + "themes/add/", views.add_theme, name="add_theme"),
    path(theme + "edit/", theme_views.edit_theme, name="edit_theme"),
    path(theme + "move/", theme_views.move_theme, name="move_theme"),
    path(theme + "remove/", theme_views.remove_theme, name="remove_theme"),
    path(version + "questions/add/", views.add_question, name="add_question"),
    path(question + "edit/", question_views.edit_question, name="edit_question"),
    path(question + "move/", question_views.move_question, name="move_question"),
    path(question + "remove/", question_views.remove_question, name="remove_question"),
    path(question + "options/add/", question_views.add_option, name="add_option"),
    path(option + "edit/", question_views.edit_option, name="edit_option"),
    path(option + "remove/", question_views.remove_option, name="remove_option"),
    path(version + "download.yaml", views.download, {"fmt": "yaml"}, name="download_yaml"),
    path(version + "download.json", views.download, {"fmt": "json"}, name="download_json"),
]
