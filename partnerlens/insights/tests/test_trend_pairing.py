"""Trends pair the same people across cycles through their invitations, in named and
confidential cycles only, and the dashboard's change uses the pairs; a theme whose
questions changed between framework versions is marked and not compared (issue 9)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from partnerlens.enquiries.models import AnonymityMode, Cycle, Invitee, Response, ResponseState
from partnerlens.enquiries.services.cycles import create_cycle
from partnerlens.frameworks.models import Question, QuestionKind
from partnerlens.insights import dashboard, data
from partnerlens.insights.links import person_column
from partnerlens.insights.models import respondent_key
from partnerlens.insights.tests.helpers import fill_cycle, make_results_framework


def _invite_everyone(cycle: Cycle, emails: list[str]) -> None:
    """Give each submitted response of ``cycle`` an invitation, in order, from ``emails``."""
    responses = list(Response.objects.filter(cycle=cycle).order_by("submitted_at", "pk"))
    for index, (response, email) in enumerate(zip(responses, emails, strict=False)):
        invitee = Invitee.objects.create(
            cycle=cycle,
            email=email,
            role=response.role,
            organisation_id=response.organisation_id,
            token_hash=f"{cycle.pk:08d}{index:08d}".ljust(64, "0"),
            expires_at=timezone.now() + timedelta(days=10),
        )
        Response.objects.filter(pk=response.pk).update(invitee=invitee)


@pytest.fixture
def two_cycles(personas, results_schools):
    version = make_results_framework()
    today = timezone.localdate()
    spring = fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        version,
        title="Spring",
        opens_on=today - timedelta(days=60),
    )
    autumn = fill_cycle(personas["a"], personas["lead_a"], results_schools, version, title="Autumn")
    return spring, autumn


@pytest.mark.django_db
def test_the_same_invited_person_is_one_person_across_cycles(two_cycles):
    spring, autumn = two_cycles
    emails = [f"person{i}@example.org" for i in range(41)]
    _invite_everyone(spring, emails)
    # In autumn the first 30 are the same people (one with their address in capitals).
    _invite_everyone(
        autumn, ["PERSON0@example.org", *emails[1:30], *[f"new{i}@x.org" for i in range(11)]]
    )
    history = data.load_cycle(autumn).history
    people = history.drop_duplicates("response_id")
    linked = people[people["person"] > 0]
    assert len(linked) == 82
    both = linked.groupby("person")["cycle_id"].nunique()
    assert (both == 2).sum() == 30
    assert not set(people["person"].astype(str)) & set(emails)  # a number, never the email


@pytest.mark.django_db
def test_responses_without_an_invitation_are_never_paired(two_cycles):
    _spring, autumn = two_cycles
    history = data.load_cycle(autumn).history
    assert (history["person"] == 0).all()


@pytest.mark.django_db
def test_the_dashboards_change_over_time_uses_the_pairs(two_cycles):
    spring, autumn = two_cycles
    emails = [f"person{i}@example.org" for i in range(41)]
    _invite_everyone(spring, emails)
    _invite_everyone(autumn, emails)
    built = dashboard.build(data.load_cycle(autumn))
    section = built.section("trends")
    assert section is not None
    change = next(e for e in built.exports if e.key == "trends")
    verdicts = {row[-1] for row in change.rows if row[1] == "Autumn"}
    # Everyone answered exactly as before: no change stands out.
    assert verdicts <= {"No", ""}
    assert any("No theme has changed" in p for p in section.paragraphs)


@pytest.mark.django_db
def test_an_anonymous_cycle_never_links_a_response_to_a_person(personas):
    """Even a response that somehow carries an invitation (old data, a bug elsewhere) is not
    linked when its cycle is anonymous: pairing would be a link the mode promised not to make."""
    version = make_results_framework()
    today = timezone.localdate()
    keys = []
    for mode in (AnonymityMode.CONFIDENTIAL, AnonymityMode.ANONYMOUS):
        cycle = create_cycle(
            personas["a"],
            actor=personas["lead_a"],
            framework_version=version,
            title=f"{mode} cycle",
            opens_on=today,
            closes_on=today + timedelta(days=10),
            anonymity_mode=mode,
        )
        invitee = Invitee.objects.create(
            cycle=cycle,
            email="same.person@example.org",
            role="teacher",
            token_hash=f"{cycle.pk:08d}".ljust(64, "0"),
            expires_at=timezone.now() + timedelta(days=10),
        )
        now = timezone.now()
        response = Response.objects.create(
            cycle=cycle,
            invitee=invitee,
            role="teacher",
            state=ResponseState.SUBMITTED,
            started_at=now,
            updated_at=now,
            submitted_at=now,
        )
        keys.append(respondent_key(response.pk))
    linked = person_column(np.array(keys, dtype=np.int64), [c.pk for c in Cycle.objects.all()])
    assert linked[0] > 0 and linked[1] == 0


@pytest.mark.django_db
def test_a_theme_whose_questions_changed_between_versions_is_marked_not_compared(
    personas, results_schools
):
    first = make_results_framework()
    second = make_results_framework(previous=first)
    practice = second.themes.get(key="practice")
    # A question added to the published version (bulk_create skips the frozen-content guard).
    Question.objects.bulk_create(
        [Question(theme=practice, key="new-q", order=3, kind=QuestionKind.AGREEMENT, text_en="?")]
    )
    today = timezone.localdate()
    fill_cycle(
        personas["a"],
        personas["lead_a"],
        results_schools,
        first,
        title="Spring",
        opens_on=today - timedelta(days=60),
    )
    autumn = fill_cycle(personas["a"], personas["lead_a"], results_schools, second, title="Autumn")
    frames = data.load_cycle(autumn)
    assert set(frames.questions["cycle_id"]) == {c for c in frames.cycles["cycle_id"]}
    built = dashboard.build(frames)
    section = built.section("trends")
    assert section is not None
    assert any("The questions of Depth of practice changed" in p for p in section.paragraphs)
    rows = next(e for e in built.exports if e.key == "trends").rows
    autumn_rows = {row[0]: row[-1] for row in rows if row[1] == "Autumn"}
    assert autumn_rows["Depth of practice"] == "Questions changed: not compared"
    assert autumn_rows["Clarity of purpose"] in {"Yes", "No"}
