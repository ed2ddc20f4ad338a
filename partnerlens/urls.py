from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_otp.admin import OTPAdminSite

from partnerlens import views

# The admin asks for a verified second factor as well as staff status; its own sign-in
# page gives way to ours (password, throttle, then the code).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("api/v1/", include("partnerlens.api.v1.urls")),  # the API: no language prefix
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("partnerlens.directory.account_urls")),
    path("", include("partnerlens.directory.urls")),
    path("brokerage/", include("partnerlens.brokerage.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("frameworks/", include("partnerlens.frameworks.urls")),
    path("enquiries/", include("partnerlens.enquiries.urls")),
    path("insights/", include("partnerlens.insights.urls")),
    path("impact/", include("partnerlens.impact.urls")),
    path("actions/", include("partnerlens.actions.urls")),
    path("triggers/", include("partnerlens.triggers.urls")),
    path("network/", include("partnerlens.network.urls")),
    path("summary/", include("partnerlens.summary.urls")),
    path("", include("partnerlens.api.urls")),  # the lead's API token pages
    path("privacy/", include("partnerlens.privacy.urls")),
    path("mailbox/", include("partnerlens.outbox.urls")),  # demo mail catcher (DEBUG only)
    prefix_default_language=False,
)
