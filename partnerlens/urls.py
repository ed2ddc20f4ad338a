from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partnerlens import views
from partnerlens.directory.forms import SignInForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("partnerlens.directory.urls")),
    path("brokerage/", include("partnerlens.brokerage.urls")),
    path("admin/", admin.site.urls),
    path("frameworks/", include("partnerlens.frameworks.urls")),
    path("enquiries/", include("partnerlens.enquiries.urls")),
    path("insights/", include("partnerlens.insights.urls")),
    prefix_default_language=False,
)
