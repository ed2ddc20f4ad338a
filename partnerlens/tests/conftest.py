"""The project-wide tests share one world, built once per module and rolled back after it."""

from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """``world.build()``, made once for the whole module inside a transaction that is rolled
    back when the module ends; each test's own changes roll back to a savepoint (``db``)."""
    from partnerlens.tests import world as builder

    with django_db_blocker.unblock(), transaction.atomic():
        yield builder.build()
        transaction.set_rollback(True)
