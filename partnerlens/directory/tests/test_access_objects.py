"""``Access.object_or_404``: the one way an app fetches one of a partnership's objects."""

from __future__ import annotations

import pytest
from django.http import Http404

from partnerlens.directory.access import get_partnership_for_user
from partnerlens.directory.models import Membership


def test_it_returns_the_partnerships_own_object_from_a_model_or_a_queryset(personas):
    access = get_partnership_for_user(personas["lead_a"], personas["a"].pk)
    own = Membership.objects.get(partnership=personas["a"])
    assert access.object_or_404(Membership, own.pk, "membership") == own
    found = access.object_or_404(Membership.objects.select_related("organisation"), own.pk, "m")
    assert found == own and found.organisation == personas["school_a"]


@pytest.mark.parametrize("pk", ["other", "abc", None, 0])
def test_another_partnerships_object_or_a_bad_id_is_not_found(personas, pk):
    access = get_partnership_for_user(personas["lead_a"], personas["a"].pk)
    others = Membership.objects.get(partnership=personas["b"]).pk
    with pytest.raises(Http404, match="No such membership"):
        access.object_or_404(Membership, others if pk == "other" else pk, "membership")
