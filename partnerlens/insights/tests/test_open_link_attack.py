"""The open-link stuffing attack, through the real services: made-up "governor, <school>"
responses from the open link must not complete a small group holding one real governor."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from django.utils import timezone

from partnerlens.directory.models import Role
from partnerlens.enquiries.services.cycles import close_cycle, create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import start_open_link_response, submit_response
from partnerlens.insights.analytics.releases import keys_of
from partnerlens.insights.models import Release
from partnerlens.insights.tests.helpers import (
    MAIL,
    answer,
    make_results_framework,
    start_as_invited,
)

GOVERNORS = ("role", Role.GOVERNOR.value, None, None, None)


def run_cycle(personas, school, fakes: int, governors: int = 1):
    lead = personas["lead_a"]
    today = timezone.localdate()
    cycle = create_cycle(
        personas["a"],
        actor=lead,
        framework_version=make_results_framework(),
        title="Stuffed",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        audience_roles=[Role.TEACHER, Role.GOVERNOR],
    )
    with MAIL:
        open_cycle(cycle, actor=lead)
    token = create_open_link(cycle, actor=lead)
    for _ in range(8):
        teacher = start_as_invited(token, role=Role.TEACHER, organisation=school)
        answer(teacher, "developing", "3", "networking", "")
        assert submit_response(teacher)
    for _ in range(governors):  # the real, invited governors
        governor = start_as_invited(token, role=Role.GOVERNOR, organisation=school)
        answer(governor, "emerging", "1", "none", "")
        assert submit_response(governor)
    for _ in range(fakes):  # the attacker's, through the open link: answers they know
        fake, _resume = start_open_link_response(token, role=Role.GOVERNOR, organisation=school)
        answer(fake, "leading", "5", "collaboration", "")
        assert submit_response(fake)
    close_cycle(cycle, actor=lead)
    release = Release.objects.get(cycle=cycle)
    table = pd.DataFrame.from_records(release.tables["theme"])
    table["key"] = keys_of(table)
    return table


def test_made_up_open_link_governors_never_complete_the_real_governors_group(
    personas, results_schools
):
    table = run_cycle(personas, results_schools[0], fakes=4)
    governors = table[table["key"] == GOVERNORS]
    # One real governor: hidden, and the four made-up ones were not counted in the role.
    assert len(governors) and governors["suppressed"].all()
    open_link = table[table["group"] == "open_link"]
    assert len(open_link) and open_link["suppressed"].all()  # four people: fewer than k
    # Nothing about governors at that school can be read from any shown cell either.
    shown = table[~table["suppressed"]]
    assert not (shown["role"] == Role.GOVERNOR.value).any()


def test_open_link_respondents_are_counted_in_their_own_group_only(personas, results_schools):
    table = run_cycle(personas, results_schools[0], fakes=6, governors=5)
    purpose = table[table["theme_key"] == "purpose"]
    open_link = purpose[purpose["group"] == "open_link"]
    governors = purpose[purpose["key"] == GOVERNORS]
    assert (~open_link["suppressed"]).all() and list(open_link["n_responses"]) == [6]
    assert (~governors["suppressed"]).all() and list(governors["n_responses"]) == [5]
    total = purpose[purpose["group"] == "partnership"]
    assert list(total["n_responses"]) == [8 + 5 + 6]
