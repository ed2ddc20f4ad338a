"""Releases: frozen, numbered, checked against earlier releases, and the only thing readers read.

The attack tests go through the real services: close a cycle, download, reopen, add people,
close again, download again, and try to subtract one release from the other.
"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerlens.directory.models import Role
from partnerlens.enquiries.services.cycles import close_cycle, open_cycle, publish_cycle
from partnerlens.enquiries.services.invitees import create_open_link
from partnerlens.enquiries.services.responses import submit_response
from partnerlens.insights.analytics.releases import changed_cells, keys_of
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.dashboard import build, codec
from partnerlens.insights.data import load_cycle
from partnerlens.insights.models import Release, ReleaseImmutable, ResponseThemeScore
from partnerlens.insights.releases import LEVELS, TOO_FEW_CHANGED, make_release
from partnerlens.insights.tests.helpers import (
    MAIL,
    answer,
    fill_cycle,
    make_results_framework,
    start_as_invited,
)

# --- the pure check --------------------------------------------------------------------------


def people(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [(str(i), role, org, "self") for i, (role, org) in enumerate(rows)],
        columns=["response_id", "role", "organisation_id", "source"],
    )


def test_a_cell_that_gained_fewer_than_k_people_is_hidden_and_k_or_more_is_not():
    before = people(*[("teacher", 1)] * 6, *[("governor", 0)] * 5)
    after = people(*[("teacher", 1)] * 6, *[("governor", 0)] * 5, ("governor", 0))
    policy = SuppressionPolicy(k=5)
    found = changed_cells(after, [set(before["response_id"])], policy)
    assert ("role", "governor", None, None, None) in found.hidden
    assert ("role", "teacher", None, None, None) not in found.hidden
    assert found.total_changed == 1 and found.total_changed_too_little
    more = people(*[("teacher", 1)] * 6, *[("governor", 0)] * 10)
    found = changed_cells(more, [set(before["response_id"])], policy)
    assert ("role", "governor", None, None, None) not in found.hidden
    assert not found.total_changed_too_little


def test_only_unchanged_cells_that_were_shown_are_known():
    group = people(*[("teacher", 1)] * 6, *[("governor", 0)] * 5)
    teacher = ("role", "teacher", None, None, None)
    governor = ("role", "governor", None, None, None)
    found = changed_cells(
        group, [set(group["response_id"])], SuppressionPolicy(k=5), shown_before={teacher}
    )
    assert teacher in found.known and governor not in found.known
    assert not found.hidden


def test_every_earlier_release_counts_not_only_the_latest():
    first = people(*[("teacher", 1)] * 5)
    second = people(*[("teacher", 1)] * 10)
    third = people(*[("teacher", 1)] * 12)
    found = changed_cells(
        third, [set(first["response_id"]), set(second["response_id"])], SuppressionPolicy(k=5)
    )
    # 7 more than the first release, but only 2 more than the second.
    assert ("role", "teacher", None, None, None) in found.hidden


def test_open_link_respondents_change_only_their_own_group_and_the_total():
    before = people(*[("teacher", 1)] * 6).assign(channel="invited")
    after = pd.concat([before, people(("teacher", 1)).assign(response_id="x", channel="open_link")])
    found = changed_cells(after, [set(before["response_id"])], SuppressionPolicy(k=5))
    assert ("open_link", None, None, None, None) in found.hidden
    assert ("role", "teacher", None, None, None) not in found.hidden


# --- the stored release ----------------------------------------------------------------------


def test_a_release_is_written_once_and_never_changed(filled_cycle):
    release = Release.objects.get(cycle=filled_cycle.cycle)
    assert (release.number, release.reason) == (1, "closed")
    with pytest.raises(ReleaseImmutable):
        release.save()
    with pytest.raises(ReleaseImmutable):
        Release.objects.filter(pk=release.pk).update(k=3)
    assert set(release.page) == set(release.exports) == {"en", "cy"}
    assert set(release.tables) == set(LEVELS)
    assert len(release.members) == release.respondents > 0


def main(page: str) -> str:
    """The page's main content (the header carries a per-request sign-out token)."""
    return page[page.index("<main") :]


def ids(svg: str) -> str:
    return re.sub(r"chart-\d+", "chart", svg)


def test_the_stored_page_decodes_to_what_a_fresh_build_shows(filled_cycle):
    release = Release.objects.get(cycle=filled_cycle.cycle)
    stored = codec.decode(release.page["en"], release.exports["en"])
    fresh = build(load_cycle(filled_cycle.cycle))
    assert [s.heading for s in stored.sections] == [s.heading for s in fresh.sections]
    # Same charts (each build numbers its chart ids afresh).
    assert [ids(s.svg) for s in stored.sections] == [ids(s.svg) for s in fresh.sections]
    assert stored.summary == fresh.summary
    assert [t.rows for t in stored.exports] == [codec._value(t.rows) for t in fresh.exports]


def test_the_page_shows_the_stored_release_even_if_the_aggregates_change(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    url = reverse("insights:dashboard", args=[filled_cycle.cycle.pk])
    before = main(client.get(url).content.decode())
    ResponseThemeScore.objects.filter(cycle=filled_cycle.cycle).update(score=1.0)
    fresh = build(load_cycle(filled_cycle.cycle))  # what a recomputation would show now
    after = main(client.get(url).content.decode())
    assert after == before
    assert fresh.summary != codec.decode(Release.objects.get().page["en"]).summary
    assert "Release 1, made" in after


def test_the_results_page_reads_no_aggregate_and_costs_a_fixed_number_of_queries(
    client, filled_cycle
):
    client.force_login(filled_cycle.people["lead_a"])
    url = reverse("insights:dashboard", args=[filled_cycle.cycle.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in queries)
    for table in ("insights_questionstat", "insights_responsethemescore", "insights_themerollup"):
        assert table not in sql
    # six reads of the page and the release, and one of the release job's status
    assert len(queries) == 7, [q["sql"][:120] for q in queries]


# --- attacks through the real services ------------------------------------------------------


def add_people(cycle, lead, schools, rows) -> None:
    """Reopen ``cycle``, submit ``rows`` (role, school index or None) and close it again."""
    with MAIL:
        open_cycle(cycle, actor=lead)
    token = create_open_link(cycle, actor=lead)
    for role, school in rows:
        organisation = schools[school] if school is not None else None
        response = start_as_invited(token, role=role, organisation=organisation)
        answer(response, "leading", "1", "integration", "")
        assert submit_response(response)
    close_cycle(cycle, actor=lead)


@pytest.fixture
def closed_cycle(personas, results_schools):
    cycle = fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        make_results_framework(),
        publish=False,
    )
    return cycle


def download(client, cycle, identifier="csv") -> bytes:
    response = client.get(reverse("insights:download", args=[cycle.pk, identifier]))
    assert response.status_code == 200
    return response.content


def test_one_more_respondent_after_reopening_changes_nothing_anyone_can_download(
    client, personas, results_schools, closed_cycle
):
    client.force_login(personas["lead_a"])
    first = download(client, closed_cycle)
    add_people(closed_cycle, personas["lead_a"], results_schools, [(Role.GOVERNOR, None)])
    assert Release.objects.filter(cycle=closed_cycle).count() == 1
    assert download(client, closed_cycle) == first  # n2*m2 - n1*m1 = 0: nothing to recover
    page = client.get(reverse("insights:dashboard", args=[closed_cycle.pk])).content.decode()
    assert 'id="withheld"' in page and "fewer than 5 people" in page
    assert make_release(closed_cycle, reason="rebuilt").code == TOO_FEW_CHANGED


def test_a_later_release_never_lets_a_small_change_be_subtracted(
    personas, results_schools, closed_cycle
):
    lead = personas["lead_a"]
    # Six newcomers: the total moves by 6 (>= k) but the governors by 1 and the Northside
    # teachers by 5, so only the governors' cells changed by fewer than k.
    add_people(
        closed_cycle, lead, results_schools, [(Role.GOVERNOR, None)] + [(Role.TEACHER, 0)] * 5
    )
    first, second = Release.objects.filter(cycle=closed_cycle).order_by("number")
    assert (second.number, second.reason) == (2, "reopened_and_closed")
    assert second.hidden_changed > 0
    policy = SuppressionPolicy(k=first.k, role_k={"parent": first.parent_k})
    for level in LEVELS:
        old = pd.DataFrame.from_records(first.tables[level])
        new = pd.DataFrame.from_records(second.tables[level])
        unit = [c for c in ("cycle_id", "theme_key", "dimension") if c in old]
        old["key"], new["key"] = keys_of(old), keys_of(new)
        both = old.merge(new, on=[*unit, "key"], suffixes=("_1", "_2"))
        shown = both[~both["suppressed_1"] & ~both["suppressed_2"]]
        assert len(shown)  # something is compared
        for row in shown.itertuples():
            changed = abs(int(row.n_responses_2) - int(row.n_responses_1))
            role = row.key[1]
            k = policy.threshold(role if isinstance(role, str) else None)
            if changed == 0:
                assert row.mean_1 == pytest.approx(row.mean_2, nan_ok=True)
            else:  # a difference of at least k people: no one person can be recovered
                assert changed >= k, (level, row.key)
        governors = new[new["key"] == ("role", "governor", None, None, None)]
        assert governors["suppressed"].all()


def test_lowering_k_after_a_release_is_refused_on_the_settings_form(client, filled_cycle):
    client.force_login(filled_cycle.people["lead_a"])
    url = reverse("insights:settings", args=[filled_cycle.cycle.partnership_id])
    response = client.post(
        url, {"min_group_size": "4", "min_parent_group_size": "10", "share_benchmarks": "no"}
    )
    assert response.status_code == 200
    assert "can be raised but not lowered" in response.content.decode()
    assert Release.objects.filter(cycle=filled_cycle.cycle).count() == 1
    raised = client.post(
        url, {"min_group_size": "6", "min_parent_group_size": "10", "share_benchmarks": "no"}
    )
    assert raised.status_code == 302
    latest = Release.objects.filter(cycle=filled_cycle.cycle).latest()
    assert (latest.number, latest.reason, latest.k) == (2, "settings", 6)


def test_members_see_only_published_releases(client, personas, closed_cycle):
    client.force_login(personas["teacher_a"])
    url = reverse("insights:dashboard", args=[closed_cycle.pk])
    assert client.get(url).status_code == 403
    publish_cycle(closed_cycle, actor=personas["lead_a"])
    # Nothing changed since the release at closing: publishing makes no new one.
    assert Release.objects.filter(cycle=closed_cycle).count() == 1
    assert client.get(url).status_code == 200


def test_the_command_makes_a_release_only_when_asked_to_force_one(filled_cycle):
    out = io.StringIO()
    call_command("release_insights", str(filled_cycle.cycle.pk), stdout=out)
    assert "unchanged, latest release 1" in out.getvalue()
    call_command("release_insights", "--all", "--force", stdout=out)
    latest = Release.objects.filter(cycle=filled_cycle.cycle).latest()
    assert (latest.number, latest.reason) == (2, "rebuilt")


def test_a_first_release_passes_the_disclosure_audit_it_skips(filled_cycle):
    from partnerlens.insights.analytics.disclosure import audit

    release = Release.objects.get(cycle=filled_cycle.cycle)
    policy = SuppressionPolicy(k=release.k, role_k={"parent": release.parent_k})
    for level in LEVELS:
        result = audit([pd.DataFrame.from_records(release.tables[level])], policy)
        assert result.hidden > 0  # the two Hilltop teachers, at least
        assert result.exact == 0, level


def test_trends_count_an_earlier_cycle_only_through_its_latest_release(
    personas, results_schools, closed_cycle
):
    lead = personas["lead_a"]
    add_people(closed_cycle, lead, results_schools, [(Role.GOVERNOR, None)])  # withheld
    publish_cycle(closed_cycle, actor=lead)
    released = Release.objects.get(cycle=closed_cycle)
    assert closed_cycle.responses.submitted().count() == released.respondents + 1
    later = fill_cycle(
        personas["a"], lead, results_schools, closed_cycle.framework_version, title="Autumn"
    )
    history = load_cycle(later, released=True).history
    earlier = history[history["cycle_id"] == closed_cycle.pk]
    assert earlier["response_id"].nunique() == released.respondents
    assert (
        load_cycle(later).history.query(f"cycle_id == {closed_cycle.pk}")["response_id"].nunique()
        == released.respondents + 1
    )  # what the live aggregates hold
