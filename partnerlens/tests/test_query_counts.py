"""What every list and detail page costs in queries, pinned, and that the cost does not grow
when there is more on the page.

``PINNED`` gives each page's count for partnership A's lead in ``world.build()``'s world.
``test_the_counts_do_not_grow_with_the_data`` then adds one more of everything each page
lists (a partnership, members, people, scenarios and runs, offers, support and its notes,
frameworks, themes, cycles, invitees) and expects the same counts: a query per row would
show at once. A page whose count changes for a good reason gets its new number here, with
the reason in the comment.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerlens.brokerage.services.offers import declare_offer
from partnerlens.brokerage.services.profiles import adjust_assessment
from partnerlens.brokerage.services.scenarios import create_scenario, run_scenario
from partnerlens.brokerage.services.support import record_progress
from partnerlens.directory.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Role,
)
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.models import CycleState
from partnerlens.enquiries.services.cycles import create_cycle
from partnerlens.enquiries.services.invitees import invite_people
from partnerlens.frameworks.services.themes import add_theme
from partnerlens.frameworks.services.versions import flex_framework
from partnerlens.tests.test_personas import address

# Every count starts with the session and the signed-in user (2), and, on a partnership's
# page, the partnership read together with the user's roles in it (1: the Access object).
PINNED = {
    "directory:partnership_list": 4,  # + partnerships with member counts, the user's roles
    "directory:partnership_detail": 6,  # + members, people, pending invitations
    "brokerage:home": 5,  # + scenarios with run counts, active support count
    # + areas, filter choices (LAs and phases), member schools counted and paged, their
    # assessments, the outcome data's age
    "brokerage:profile_list": 9,
    "brokerage:profile_detail": 6,  # + the member school, its assessments, the areas
    # + filter choices, member schools counted and paged, offers, their areas
    "brokerage:offer_list": 8,
    "brokerage:scenario_detail": 12,  # pinned with its reasons in brokerage's test_views_pages
    # + areas (the filter), current and ended relationships with schools and note counts
    "brokerage:support_list": 6,
    "brokerage:support_detail": 5,  # + the relationship with its schools, its notes
    "frameworks:list": 5,  # + frameworks, their versions
    "frameworks:version": 8,  # + the version, themes, questions, options, prompts
    "enquiries:cycle_list": 4,  # + cycles with their frameworks
    # + the cycle, its roles read (the Access), group size, invited and responded counts by
    # role and school, school names, submitted count
    "enquiries:cycle": 9,
    # the response by its link; answers and partners for the rows (themes, questions and
    # options come from the version's cached structure, frameworks/structure.py, warm once
    # the world is built); session and user for the header. The world's draft has no answer
    # yet, so what stops submission is not read (the page says nothing has been answered)
    "enquiries:review": 5,
    # + the cycle, its roles read (the Access), invitees with their schools, the latest
    # invitation mail of each, whether any was sent (what may be removed)
    "enquiries:invitees": 7,
    "insights:cycle_list": 4,  # + the result cycles
    "insights:dashboard": 7,  # pinned with its reasons in insights' test_views
    # + own measures' names; the measures with years (members, their URNs, GIAS links a
    # generation at a time, published and own counts); the table (members, the schools, their
    # URNs, links, figures; and predecessors' names when a year came through one)
    "impact:panel": 14,
    "impact:own_measures": 5,  # + the own measures, their uploads
}


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def signed_in_lead(client, world):
    client.force_login(world["lead"])
    client.get(reverse("directory:partnership_list"))  # warm per-process caches
    return client


def grow(w: dict) -> None:
    """One more of everything the pages above list."""
    a, lead, schools = w["a"], w["lead"], w["schools"]
    today = timezone.localdate()
    extra = Organisation.objects.create(kind=OrganisationKind.SCHOOL, name="Elm Primary")
    Membership.objects.create(partnership=a, organisation=extra)
    other = Partnership.objects.create(name="Westside Federation", kind="federation")
    PartnershipRole.objects.create(partnership=other, user=lead, role=Role.PARTNERSHIP_LEAD)
    Membership.objects.create(partnership=other, organisation=extra)
    PartnershipRole.objects.create(
        partnership=a, user=w["outsider"], role=Role.GOVERNOR, organisation=extra
    )
    for school in (schools[0], extra):
        adjust_assessment(
            a,
            school,
            "english",
            need_level=2,
            expertise_level=0,
            reason="Spring review",
            actor=lead,
        )
    declare_offer(a, schools[1], capacity_total=1, max_km=None, areas={"maths": (2, 1)}, actor=lead)
    run_scenario(
        create_scenario(a, name="English", areas=["english"], max_km=25, actor=lead), actor=lead
    )
    record_progress(w["support"], text="Joint planning day", actor=lead)
    flex_framework(a, w["base"], theme_keys=["relations"], actor=lead, slug="ours-relations")
    add_theme(w["draft"], title_en="Leadership", actor=lead)
    cycle = create_cycle(
        a,
        actor=lead,
        framework_version=w["base"],
        title="Summer review",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        audience_roles=[Role.TEACHER],
    )
    cycle.state = CycleState.PUBLISHED
    cycle.save(update_fields=["state"])
    row = InviteeRow(2, "bo@example.org", "Bo", Role.TEACHER, schools[0], "en")
    invite_people(w["open_cycle"], [row], actor=lead)


@pytest.mark.parametrize("name", list(PINNED))
def test_each_list_and_detail_page_costs_its_pinned_queries(client, world, db, name):
    url = reverse(name, kwargs=address(name, world))
    signed_in_lead(client, world).get(url)  # this page's per-process caches warm, as in service
    assert queries(client, url) == PINNED[name]


def test_the_counts_do_not_grow_with_the_data(client, world, db):
    grow(world)
    signed_in_lead(client, world)
    for name in PINNED:
        client.get(reverse(name, kwargs=address(name, world)))
    counts = {name: queries(client, reverse(name, kwargs=address(name, world))) for name in PINNED}
    assert counts == PINNED
