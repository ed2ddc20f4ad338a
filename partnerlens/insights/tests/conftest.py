"""Fixtures of the insights tests: partnership A's schools and a published cycle answered by
``helpers.PEOPLE`` through the real enquiry services."""

from __future__ import annotations

import pytest

from conftest import build_personas
from partnerlens.core.testing_snapshots import Snapshot
from partnerlens.directory.models import Membership, Role
from partnerlens.insights.tests.helpers import (
    SMALL_TEACHER_SCHOOL,
    Filled,
    fill_cycle,
    make_results_framework,
)


@pytest.fixture(autouse=True)
def _files_in_a_temporary_folder(settings, tmp_path):
    """Prepared downloads (the PDF) are kept through Django's storage: here, a folder that
    goes with the test."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


# The filled world as first built in this process (each pytest-xdist worker has its own).
_SNAPSHOTS: dict[str, Snapshot] = {}


def _extra_schools(personas, make_school) -> list:
    """Partnership A's member schools: Northside Primary, Riverside Infants, Hilltop High."""
    extra = [make_school("Riverside Infants"), make_school(SMALL_TEACHER_SCHOOL)]
    for school in extra:
        Membership.objects.create(partnership=personas["a"], organisation=school)
    return [personas["school_a"], *extra]


def _wants_the_filled_world(request) -> bool:
    return "filled_cycle" in request.fixturenames


@pytest.fixture
def _filled_world(db, make_user, make_partnership, make_school) -> dict:
    """The personas, A's three schools and a published cycle answered by ``PEOPLE``.

    Made through the real services by the first test that asks (about 5 s); later tests
    get a copy of the very rows it made (``core/testing_snapshots.py``), in their own
    transaction, in a fraction of the time."""
    if "filled" in _SNAPSHOTS:
        return _SNAPSHOTS["filled"].restore()

    def build() -> dict:
        personas = build_personas(make_user, make_partnership, make_school)
        schools = _extra_schools(personas, make_school)
        cycle = fill_cycle(
            personas["a"],
            personas["lead_a"],
            schools,
            make_results_framework(),
            comments={Role.GOVERNOR: "Governors hear good things", Role.PARENT: "A parent's view"},
        )
        return {"personas": personas, "schools": schools, "cycle": cycle}

    _SNAPSHOTS["filled"], built = Snapshot.take(build)
    return built


@pytest.fixture
def personas(request, make_user, make_partnership, make_school):
    """The root fixture's personas; in a test of the filled cycle, the filled world's."""
    if _wants_the_filled_world(request):
        return request.getfixturevalue("_filled_world")["personas"]
    return build_personas(make_user, make_partnership, make_school)


@pytest.fixture
def results_schools(request, personas, make_school):
    """Partnership A's member schools: Northside Primary, Riverside Infants, Hilltop High."""
    if _wants_the_filled_world(request):
        return request.getfixturevalue("_filled_world")["schools"]
    return _extra_schools(personas, make_school)


@pytest.fixture
def filled_cycle(_filled_world):
    """A published cycle of partnership A answered by ``PEOPLE``; the governors comment."""
    world = _filled_world
    return Filled(world["cycle"], world["schools"], world["personas"])
