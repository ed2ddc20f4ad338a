"""A partnership whose scope holds 3,000 schools (six local authorities, 250 public trusts):
the loader reads it in a fixed number of queries and the snapshot holds every school and tie.
How long it takes is measured by ``bench/network_service.py``, not here."""

from __future__ import annotations

import datetime as dt

import pytest

from partnerlens.network import loaders, snapshots
from partnerlens.network.tests.large import MEMBERS, PER_TRUST, SCHOOLS, TRUSTS, large_scope

pytestmark = pytest.mark.django_db


def test_a_scope_of_3000_schools_loads_in_a_few_queries(django_assert_max_num_queries):
    partnership = large_scope()
    with django_assert_max_num_queries(12):
        loaded = loaders.load(partnership, dt.date.today())
    fields = snapshots.build(loaded)
    assert loaded.network.n_nodes == SCHOOLS
    assert fields["figures"]["members"] == MEMBERS
    assert len(fields["ties"]) > TRUSTS * PER_TRUST * (PER_TRUST - 1) / 2
