from django.urls import path

from partnerlens.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.inbox, name="mailbox"),
    path("<str:key>/", views.message, name="message"),
]
