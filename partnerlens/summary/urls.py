from django.urls import path

from partnerlens.summary import views

app_name = "summary"

urlpatterns = [
    path("partnerships/<int:pk>/", views.page, name="page"),
    path("partnerships/<int:pk>/pdf/", views.download, name="download"),
]
