from __future__ import annotations

app_name = "triggers"
urlpatterns: list = []
