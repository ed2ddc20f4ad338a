from __future__ import annotations

from django.urls import path

from partnerlens.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("exports/<int:pk>/download/", views.download, name="download"),
    path("erase/", views.erase, name="erase"),
]
