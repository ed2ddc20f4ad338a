from __future__ import annotations

import pytest

from partnerlens.frameworks.services.versions import load_builtin_frameworks


@pytest.fixture
def builtins(db):
    """The four built-in frameworks, loaded and published: {slug: version}."""
    return {version.framework.slug: version for version, _ in load_builtin_frameworks()}
