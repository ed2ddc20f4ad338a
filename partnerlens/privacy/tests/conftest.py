"""The project-wide test world (``partnerlens/tests/world.py``), built once per module."""

from partnerlens.tests.conftest import world  # noqa: F401
