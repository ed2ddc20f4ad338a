from django.urls import path

from partnerlens.insights import download_views, views

app_name = "insights"
urlpatterns = [
    path("partnerships/<int:partnership_pk>/", views.cycle_list, name="cycle_list"),
    path("partnerships/<int:partnership_pk>/settings/", views.settings, name="settings"),
    path("cycles/<int:pk>/", views.dashboard, name="dashboard"),
    path("cycles/<int:pk>/retry/", views.release_retry, name="release_retry"),
    path("cycles/<int:pk>/download/<slug:identifier>/", download_views.download, name="download"),
    path(
        "cycles/<int:pk>/download/<slug:identifier>/status/",
        download_views.download_status,
        name="download_status",
    ),
]
