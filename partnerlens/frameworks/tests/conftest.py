from __future__ import annotations

import pytest

from partnerlens.frameworks.services.versions import flex_framework, load_builtin_frameworks


@pytest.fixture
def builtins(db):
    """The four built-in frameworks, loaded and published: {slug: version}."""
    return {version.framework.slug: version for version, _ in load_builtin_frameworks()}


@pytest.fixture
def draft(personas, builtins):
    """Partnership A's own draft: two themes of partnership-quality, flexed."""
    return flex_framework(
        personas["a"], builtins["partnership-quality"], theme_keys=["purpose", "trust"]
    )


@pytest.fixture
def lead(client, personas):
    """A client signed in as partnership A's lead."""
    client.force_login(personas["lead_a"])
    return client
