from __future__ import annotations

import pytest
from django.utils import translation

from partnerlens.frameworks.services import load_builtin_frameworks


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Personas are created for nearly every test here; the real hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request to a /cy/ page leaves Welsh active in this thread, which would make the
    # next test's reverse() produce /cy/ addresses.
    yield
    translation.activate("en")


@pytest.fixture
def builtins(db):
    """The four built-in frameworks, loaded and published: {slug: version}."""
    return {version.framework.slug: version for version, _ in load_builtin_frameworks()}
