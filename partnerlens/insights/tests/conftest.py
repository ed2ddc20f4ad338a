"""Fixtures of the insights tests: partnership A's schools and a published cycle answered by
``helpers.PEOPLE`` through the real enquiry services."""

from __future__ import annotations

import pytest

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


@pytest.fixture
def results_schools(personas, make_school):
    """Partnership A's member schools: Northside Primary, Riverside Infants, Hilltop High."""
    extra = [make_school("Riverside Infants"), make_school(SMALL_TEACHER_SCHOOL)]
    for school in extra:
        Membership.objects.create(partnership=personas["a"], organisation=school)
    return [personas["school_a"], *extra]


@pytest.fixture
def filled_cycle(personas, results_schools):
    """A published cycle of partnership A answered by ``PEOPLE``; the governors comment."""
    version = make_results_framework()
    cycle = fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        version,
        comments={Role.GOVERNOR: "Governors hear good things", Role.PARENT: "A parent's view"},
    )
    return Filled(cycle, results_schools, personas)
