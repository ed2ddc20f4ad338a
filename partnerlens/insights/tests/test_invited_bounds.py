"""Issue 8: the lead knows whom they invited. Invited counts per role x school are upper
bounds on every hidden count, and neither the engine nor the release audit may let them pin
one (six headteachers shown, one invited per school: each school's headteacher took part).

The attack runs through the real services: invitations, emailed links, submissions, closing
(which makes the release), the stored release's tables."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pandas as pd
from django.core import mail
from django.utils import timezone

from partnerlens.directory.models import Membership, Role
from partnerlens.enquiries.invitee_files import InviteeRow
from partnerlens.enquiries.services.cycles import close_cycle, create_cycle, open_cycle
from partnerlens.enquiries.services.invitees import invite_people
from partnerlens.enquiries.services.responses import start_or_resume_response, submit_response
from partnerlens.insights import dashboard as dashboards
from partnerlens.insights.analytics import disclosure
from partnerlens.insights.analytics.disclosure_lp import BIG
from partnerlens.insights.analytics.releases import invited_cells
from partnerlens.insights.analytics.suppression import (
    CELL_COLUMNS,
    COMPLEMENTARY,
    SMALL_GROUP,
    VISIBLE,
    SuppressionPolicy,
    protect_breakdown,
    published_rows,
)
from partnerlens.insights.data import load_cycle
from partnerlens.insights.models import Release
from partnerlens.insights.releases import LEVELS, people_frame
from partnerlens.insights.tests.helpers import MAIL, answer, make_results_framework

LINK = re.compile(r"/enquiries/r/([A-Za-z0-9_-]+)/")
HEAD = Role.HEADTEACHER.value


def test_reader_bounds_take_the_invited_count_as_the_upper_bound(monkeypatch):
    status = np.array([VISIBLE, SMALL_GROUP, COMPLEMENTARY, SMALL_GROUP, COMPLEMENTARY])
    threshold = np.full(5, 5.0)
    caps = np.array([BIG, 1.0, 7.0, BIG, BIG])
    concealed = np.array([False, True, False, False, False])
    low, high = disclosure.reader_bounds(status, threshold, "n_responses", None, concealed, caps)
    # A concealed cell is "0 or more", but never more than were invited.
    assert (low[1], high[1]) == (0.0, 1.0)
    # A printed hidden cell holds at least one person, at most those invited.
    assert (low[2], high[2]) == (1.0, 7.0)
    # Without an invitation, at least one person and no upper bound.
    assert (low[4], high[4]) == (1.0, BIG)
    plain = disclosure.reader_bounds(status, threshold, "n", None, concealed)[1]
    assert plain[1] == BIG and plain[2] == BIG
    # A reader who also knew the reasons: fewer than k, or at least k, within the list.
    monkeypatch.setattr(disclosure, "REASONS_SHOWN", True)
    low, high = disclosure.reader_bounds(status, threshold, "n", None, concealed, caps)
    assert high[3] == 4.0 and (low[2], high[2]) == (5.0, 7.0)


def test_invited_counts_add_up_for_every_grouping_and_never_fall_below_the_respondents():
    invited_by = pd.DataFrame(
        {
            "organisation_id": [1, 2, 2, 0],
            "role": [HEAD, HEAD, "teacher", "peer_reviewer"],
            "invited": [1, 1, 4, 2],
        }
    )
    people = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d"],
            "role": [HEAD, HEAD, HEAD, "teacher"],
            "organisation_id": [1, 1, 2, 3],
            "source": ["self"] * 4,
            "channel": ["invited", "invited", "invited", "open_link"],
        }
    )
    counts = invited_cells(invited_by, people)
    assert counts[("partnership", None, None, None, None)] == 9  # 8 invited, one more answered
    assert counts[("role", HEAD, None, None, None)] == 3  # two answered at school 1
    assert counts[("role_organisation", HEAD, None, 1, None)] == 2
    assert counts[("organisation", None, None, 2, None)] == 5
    assert counts[("role_group", None, "leaders", None, None)] == 3
    assert counts[("source", None, None, None, "peer")] == 2
    # The open-link teacher at school 3 was not invited: no bound is claimed there.
    assert ("organisation", None, None, 3, None) not in counts
    assert invited_cells(invited_by.iloc[0:0], people) == {}
    # An answer from a role and school nobody was invited to: no bound there, nor above.
    loaded = pd.concat([people, people.iloc[[0]].assign(role="governor", response_id="e")])
    counts = invited_cells(invited_by, loaded)
    assert ("organisation", None, None, 1, None) not in counts
    assert ("partnership", None, None, None, None) not in counts
    assert counts[("organisation", None, None, 2, None)] == 5


def _one_head_per_school(personas, make_school):
    """Six schools, one headteacher invited in each (all answer), and 6 teachers each
    (5 answer); closed through the real services, which makes the release."""
    lead, partnership = personas["lead_a"], personas["a"]
    schools = [personas["school_a"]]
    for number in range(2, 7):
        school = make_school(f"School {number}")
        Membership.objects.create(partnership=partnership, organisation=school)
        schools.append(school)
    today = timezone.localdate()
    cycle = create_cycle(
        partnership,
        actor=lead,
        framework_version=make_results_framework(),
        title="One head each",
        opens_on=today,
        closes_on=today + timedelta(days=7),
    )
    rows, answering = [], []
    for s, school in enumerate(schools):
        people = [(HEAD, True)] + [("teacher", t < 5) for t in range(6)]
        for p, (role, answers) in enumerate(people):
            email = f"p{s}-{p}@example.org"
            rows.append(
                InviteeRow(
                    row=len(rows) + 2,
                    email=email,
                    name="",
                    role=role,
                    organisation=school,
                    language="en",
                )
            )
            if answers:
                answering.append(email)
    invite_people(cycle, rows, actor=lead)
    with MAIL:
        open_cycle(cycle, actor=lead)
        tokens = {m.to[0]: LINK.search(m.body).group(1) for m in mail.outbox}
    for number, email in enumerate(answering):
        response = start_or_resume_response(tokens[email])
        answer(response, "developing", str(2 + number % 3), "networking", "")
        assert submit_response(response, token=tokens[email])
    close_cycle(cycle, actor=lead)
    return cycle, schools


def test_one_invited_head_per_school_never_shows_who_took_part(personas, make_school):
    cycle, schools = _one_head_per_school(personas, make_school)
    release = Release.objects.get(cycle=cycle)
    theme = pd.DataFrame.from_records(release.tables["theme"])
    heads = theme[(theme["group"] == "role_organisation") & (theme["role"] == HEAD)]
    # The stored tables carry the lead's bounds: one headteacher invited per school.
    assert len(heads) == 6 * theme["theme_key"].nunique()
    assert (heads["invited"] == 1).all() and heads["suppressed"].all()
    # The reader's attack: a shown count of all headteachers (the role, or the leaders,
    # who are headteachers only here) equal to the number of schools pins each one to 1.
    for _unit, rows in theme.groupby("theme_key"):
        whole = rows[
            (rows["group"].isin(["role", "role_group"]))
            & ((rows["role"] == HEAD) | (rows["role_group"] == "leaders"))
        ]
        shown = whole[~whole["suppressed"]]
        assert not (shown["n_responses"] == len(schools)).any()
    # The linear program with every published figure and these bounds pins nothing.
    policy = SuppressionPolicy(k=release.k, role_k={"parent": release.parent_k})
    for level in LEVELS:
        table = pd.DataFrame.from_records(release.tables[level])
        assert "invited" in table and table["invited"].notna().any()
        found = disclosure.audit([table], policy)
        assert found.exact == 0, level
    # And the partnership still sees its totals, and each school's.
    totals = theme[theme["group"].isin(["partnership", "organisation"])]
    assert len(totals) == 7 * theme["theme_key"].nunique()
    assert not totals["suppressed"].any()


def test_without_the_bounds_the_same_release_would_give_the_heads_away(personas, make_school):
    # The attack is real: tables protected as before (no invitation list) let the reader
    # with the list pin hidden headteacher counts; the release made with it does not.
    cycle, _schools = _one_head_per_school(personas, make_school)
    frames = load_cycle(cycle)
    invited = invited_cells(frames.invited_by, people_frame(cycle))
    old = dashboards.build(frames, SuppressionPolicy()).protected["theme"]
    reader = SuppressionPolicy(invited=invited)
    assert disclosure.audit([old], reader).exact > 0
    assert disclosure.audit([old], SuppressionPolicy()).exact == 0  # the old reader
    new = dashboards.build(frames, reader).protected["theme"]
    assert disclosure.audit([new], reader).exact == 0


def test_a_hidden_group_fewer_than_k_were_invited_to_is_left_out_like_an_empty_one():
    # One external adviser invited: a printed "not enough responses" row would say they
    # answered. Such a group is always hidden, so its hidden row is left out of outputs.
    rows = [
        {"group": "partnership", "n": 12},
        {"group": "role", "role": "teacher", "n": 11},
        {"group": "role", "role": "external_adviser", "n": 1},
        {"group": "role_organisation", "role": "teacher", "organisation_id": 1, "n": 11},
        {"group": "role_organisation", "role": "external_adviser", "organisation_id": 1, "n": 1},
        {"group": "organisation", "organisation_id": 1, "n": 12},
    ]
    cells = pd.DataFrame(rows).reindex(columns=[*CELL_COLUMNS, "n"])
    cells["organisation_id"] = cells["organisation_id"].astype("Int64")
    cells = cells.assign(cycle_id=1, n_responses=cells["n"])
    invited_by = pd.DataFrame(
        {"organisation_id": [1, 1], "role": ["teacher", "external_adviser"], "invited": [14, 1]}
    )
    policy = SuppressionPolicy(invited=invited_cells(invited_by))
    table = protect_breakdown(cells, policy, ["cycle_id"])
    adviser = table[(table["group"] == "role") & (table["role"] == "external_adviser")]
    assert adviser["suppressed"].all() and adviser["concealed"].all()
    printed = published_rows(table)
    assert not (printed["role"] == "external_adviser").any()
    assert not printed.loc[printed["group"] == "partnership", "suppressed"].any()
    assert disclosure.audit([disclosure.with_invited(table, policy.invited)], policy).exact == 0
    # Without the list, the hidden row is printed (the reader knows no upper bound).
    plain = protect_breakdown(cells, SuppressionPolicy(), ["cycle_id"])
    assert (published_rows(plain)["role"] == "external_adviser").any()


def test_a_release_the_audit_cannot_secure_is_withheld_and_the_page_says_why(
    personas, make_school, client
):
    # A release stored before the invitation bounds were modelled (its tables protected
    # without them) already lets the lead pin the hidden headteacher counts. No later
    # release can undo that: the audit withholds it, nothing is stored, and the lead's page
    # keeps the earlier release and says why.
    from django.urls import reverse

    from partnerlens.insights.jobs import request_release
    from partnerlens.insights.models import ReleaseJob
    from partnerlens.insights.releases import AUDIT_FAILED, table_records

    cycle, _schools = _one_head_per_school(personas, make_school)
    first = Release.objects.get(cycle=cycle)
    frames = load_cycle(cycle)
    weak = dashboards.build(frames, SuppressionPolicy()).protected
    invited = invited_cells(frames.invited_by, people_frame(cycle))
    assert disclosure.audit([weak["theme"]], SuppressionPolicy(invited=invited)).exact > 0
    Release(
        cycle=cycle,
        number=2,
        created_at=timezone.now(),
        reason="rebuilt",
        k=first.k,
        parent_k=first.parent_k,
        respondents=first.respondents,
        members=first.members,
        page=first.page,
        exports=first.exports,
        tables={level: table_records(weak[level], level) for level in LEVELS},
    ).save()
    request_release(cycle, reason="rebuilt", actor=personas["lead_a"], force=True)
    assert ReleaseJob.objects.get(cycle=cycle).outcome == AUDIT_FAILED
    assert list(Release.objects.filter(cycle=cycle).values_list("number", flat=True)) == [1, 2]
    client.force_login(personas["lead_a"])
    page = client.get(reverse("insights:dashboard", args=[cycle.pk])).content.decode()
    assert 'id="withheld"' in page and "found no way to show them safely" in page
    assert "You see the results released before." in page and 'id="release"' in page
