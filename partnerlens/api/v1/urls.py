"""``/api/v1/``: the URLs django-ninja makes for the API, in the namespace ``api_v1``."""

from __future__ import annotations

from partnerlens.api.v1.api import api

urlpatterns, _app, app_name = api.urls
