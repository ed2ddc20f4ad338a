"""The address of a frameworks page for one version, as the editor's tests reach it."""

from __future__ import annotations

from django.urls import reverse


def url(name, version, **kwargs) -> str:
    return reverse(
        f"frameworks:{name}",
        kwargs={"pk": version.framework.owner_id, "version_pk": version.pk, **kwargs},
    )
