from django.urls import path

from partnerlens.insights import views

app_name = "insights"
urlpatterns = [
    path("partnerships/<int:partnership_pk>/", views.cycle_list, name="cycle_list"),
    path("partnerships/<int:partnership_pk>/settings/", views.settings, name="settings"),
    path("cycles/<int:pk>/", views.dashboard, name="dashboard"),
    path("cycles/<int:pk>/retry/", views.release_retry, name="release_retry"),
    path("cycles/<int:pk>/download/<slug:identifier>/", views.download, name="download"),
]
