"""The project's URLconf plus one address that fails, for the 500 page's test only."""

from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from partnerlens.urls import urlpatterns as project_patterns


def fail(request):
    raise RuntimeError("a failure for the 500 page's test")


urlpatterns = [
    *project_patterns,
    *i18n_patterns(path("test-failure/", fail, name="test_failure"), prefix_default_language=False),
]
