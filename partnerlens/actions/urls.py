from __future__ import annotations

app_name = "actions"
urlpatterns: list = []
