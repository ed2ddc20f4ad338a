from __future__ import annotations

app_name = "impact"
urlpatterns: list = []
