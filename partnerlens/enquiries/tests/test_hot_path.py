"""The respondent's hot path: the framework's structure comes from the cache, a page's answers
are written in bulk, and every answer given is kept (issue 12, part 1)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerlens.enquiries.models import Answer, Response
from partnerlens.enquiries.responding import AnswerValue, themes_for
from partnerlens.enquiries.services.responses import save_theme_answers
from partnerlens.frameworks import structure
from partnerlens.frameworks.models import FrameworkVersion, Question, Theme, VersionStatus

pytestmark = pytest.mark.django_db


def _framework_reads(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if any(
            t in q["sql"] for t in ("frameworks_theme", "frameworks_question", "frameworks_option")
        )
    ]


@pytest.fixture
def started(opened, client):
    cycle, token = opened()
    client.post(reverse("enquiries:start", args=[token]))
    ids = {q.key: q.id for q in Question.objects.filter(theme__version=cycle.framework_version)}
    return cycle, token, ids, Response.objects.get()


def _page_one(ids, rubric="embedded", agreement="4"):
    return {
        f"q{ids['shared-aims']}": rubric,
        f"q{ids['agree-direction']}": agreement,
        f"q{ids['agree-direction']}-note": "Minutes of the March meeting",
        "continue": "1",
    }


def test_a_theme_page_reads_no_framework_table_once_the_structure_is_cached(started, client):
    _cycle, token, _ids, _response = started
    address = reverse("enquiries:theme", args=[token, 1])
    client.get(address)  # the first page of any respondent may read the framework
    with CaptureQueriesContext(connection) as captured:
        page = client.get(address)
    assert page.status_code == 200
    assert "How well do partners share their aims?" in page.text
    assert _framework_reads(captured) == []
    # The link's response and its stored answers; the page asks about no partners.
    assert len(captured) <= 2, [q["sql"][:80] for q in captured.captured_queries]


def test_saving_a_page_writes_its_answers_in_one_statement_each_way(started, client):
    _cycle, token, ids, response = started
    address = reverse("enquiries:theme", args=[token, 1])
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        reply = client.post(address, _page_one(ids))
    assert reply.status_code == 302
    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len(inserts) == 1 and "enquiries_answer" in inserts[0]["sql"]
    assert _framework_reads(captured) == []
    assert len(captured) <= 9, [q["sql"][:80] for q in captured.captured_queries]
    with CaptureQueriesContext(connection) as captured:
        client.post(address, _page_one(ids, rubric="leading", agreement="2"))
    updates = [
        q for q in captured.captured_queries if q["sql"].startswith('UPDATE "enquiries_answer"')
    ]
    assert len(updates) == 1
    stored = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert stored[ids["shared-aims"]].option_value == "leading"
    assert stored[ids["agree-direction"]].option_value == "2"
    assert stored[ids["agree-direction"]].evidence_note == "Minutes of the March meeting"


def test_a_bulk_save_keeps_every_answer_and_clears_only_those_emptied(started):
    _cycle, _token, ids, response = started
    pages = themes_for(response)
    practice = next(theme for theme, _questions in pages if theme.key == "practice")
    first = {
        (ids["visits"], None): AnswerValue(number=7),
        (ids["story"], None): AnswerValue(text="We plan together"),
        (ids["activities"], None): AnswerValue(choices=["cpd", "moderation"]),
    }
    assert save_theme_answers(response, practice, first) == 3
    second = {
        (ids["visits"], None): AnswerValue(number=9),
        (ids["story"], None): AnswerValue(),  # cleared
        (ids["activities"], None): AnswerValue(dont_know=True),
    }
    assert save_theme_answers(response, practice, second) == 3  # 1 deleted + 2 given
    stored = {a.question_id: a for a in Answer.objects.filter(response=response)}
    assert set(stored) == {ids["visits"], ids["activities"]}
    assert stored[ids["visits"]].number == 9
    assert stored[ids["activities"]].dont_know and stored[ids["activities"]].choices == []


def test_relationship_answers_are_saved_per_partner_in_bulk(started):
    _cycle, _token, ids, response = started
    relations, _questions = next(p for p in themes_for(response) if p[0].key == "relations")
    from partnerlens.enquiries.responding import partners_for

    partners = partners_for(response)
    assert len(partners) >= 2
    answers = {(ids["depth"], p.pk): AnswerValue(option_value="cooperation") for p in partners}
    with CaptureQueriesContext(connection) as captured:
        assert save_theme_answers(response, relations, answers) == len(partners)
    assert sum(q["sql"].startswith("INSERT INTO") for q in captured.captured_queries) == 1
    assert Answer.objects.filter(response=response, question_id=ids["depth"]).count() == len(
        partners
    )


def test_the_structure_is_shared_through_django_s_cache(started):
    cycle, _token, _ids, _response = started
    version = cycle.framework_version
    structure.forget(version)
    first = structure.structure(version)
    assert cache.get(structure.cache_key(version)) is not None
    structure._memo.clear()  # another process: nothing in its memo, the cache shared
    with CaptureQueriesContext(connection) as captured:
        again = structure.structure(version)
    assert _framework_reads(captured) == []
    assert [(t.key, [q.key for q in qs]) for t, qs in again] == [
        (t.key, [q.key for q in qs]) for t, qs in first
    ]
    assert [o.value for o in again[0][1][0].options.all()] == [
        "emerging",
        "developing",
        "embedded",
        "leading",
    ]


def test_a_draft_is_never_cached_and_an_edit_published_again_is_read_afresh(make_framework):
    from partnerlens.frameworks.services.versions import publish_version

    version = make_framework("draft-one", published=False)
    assert structure.cache_key(version) is None
    theme = Theme.objects.get(version=version, key="purpose")
    assert structure.structure(version)[0][0].title_en == "Clarity of purpose"
    theme.title_en = "Shared purpose"
    theme.save()
    assert structure.structure(version)[0][0].title_en == "Shared purpose"
    version = publish_version(version, actor=None)
    assert structure.structure(version)[0][0].title_en == "Shared purpose"
    assert cache.get(structure.cache_key(version)) is not None
    # Taken back to draft (only possible outside the services), edited and published again:
    # the new publication is a new snapshot, never the cached one.
    FrameworkVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    theme.title_en = "Purpose we share"
    theme.save()
    version = publish_version(FrameworkVersion.objects.get(pk=version.pk), actor=None)
    assert structure.structure(version)[0][0].title_en == "Purpose we share"


def test_saving_the_version_drops_its_snapshot(started):
    cycle, _token, _ids, _response = started
    version = cycle.framework_version
    structure.structure(version)
    key = structure.cache_key(version)
    assert key in structure._memo and cache.get(key) is not None
    version.save()
    assert key not in structure._memo and cache.get(key) is None


@pytest.mark.parametrize("asked", ["all", "changed"])
def test_the_relationship_page_reads_the_partners_in_one_query(started, client, asked):
    from partnerlens.enquiries.models import Cycle
    from partnerlens.enquiries.partners import register_changed_partners

    cycle, token, _ids, _response = started
    Cycle.objects.filter(pk=cycle.pk).update(relationships_asked=asked)
    address = reverse("enquiries:theme", args=[token, 3])
    client.get(address)
    previous = register_changed_partners(None)  # no rule: a "changed" cycle asks everyone
    try:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
    finally:
        register_changed_partners(previous)
    # The link's response with its cycle, its answers, the partnership's current members.
    # With the network's rule a "changed" cycle costs two more (network/tests/test_resurvey.py).
    assert len(captured) == 3, [q["sql"][:80] for q in captured.captured_queries]
