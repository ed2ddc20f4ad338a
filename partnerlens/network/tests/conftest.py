from __future__ import annotations

import pytest

from partnerlens.network.tests import world


@pytest.fixture
def network_world(personas, make_school, make_user):
    """The small named world of ``world.py``, with A's cycle answered and published."""
    return world.build(personas, make_school, make_user)
