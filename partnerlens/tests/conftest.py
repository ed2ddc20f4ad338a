"""The project-wide tests share one world, built once per module and rolled back after it."""

from __future__ import annotations

import pytest
from django.db import transaction

from partnerlens.core.testing_snapshots import Snapshot

# The world as first built in this process (each pytest-xdist worker has its own database).
_SNAPSHOTS: dict[str, Snapshot] = {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """``world.build()``, in a transaction of the module's own that is rolled back when the
    module ends; each test's own changes roll back to a savepoint (``db``).

    The first module to ask builds it through the services; later modules get a copy of
    the very rows that build made (``core/testing_snapshots.py``), in a fraction of the time.
    """
    from partnerlens.tests import world as builder

    with django_db_blocker.unblock(), transaction.atomic():
        if "world" in _SNAPSHOTS:
            built = _SNAPSHOTS["world"].restore()
        else:
            _SNAPSHOTS["world"], built = Snapshot.take(builder.build)
        yield built
        transaction.set_rollback(True)
