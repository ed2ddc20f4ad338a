"""Engines return codes and values; the pages word them (brokerage/codes.py, core.messages)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from partnerlens.brokerage import audit
from partnerlens.brokerage.audit import Reference
from partnerlens.brokerage.codes import (
    AREA_LABELS,
    GROUP_LABELS,
    SOURCE_LABELS,
    WALES_CATEGORY_LABELS,
)
from partnerlens.brokerage.engine import DEFAULT_AREAS, Need, Offer, Pair, Phase, Rules, match
from partnerlens.brokerage.services.matches import accept_match
from partnerlens.brokerage.services.scenarios import run_scenario
from partnerlens.core.messages import Message, is_registered, render
from partnerlens.directory.models import OutcomeMeasure

from .test_engine_rules import school

APP = Path(__file__).resolve().parents[1]
CODE = re.compile(r"""["'](unmet|evidence|skipped|pin|input|audit)\.([a-z_0-9]+)["']""")
# Raw codes a page must never show: area ids, evidence sources, message codes.
INTERNAL = re.compile(
    r"\b(maths|leadership|curriculum|behaviour_attendance|early_years|outcome_data|self_evaluation"
    r"|peer_review|no_offer|out_of_range"
    r"|(unmet|evidence|skipped|pin)\.[a-z_]+)\b"
)


def test_every_code_the_brokerage_writes_has_a_text():
    sources = [*APP.glob("*.py"), *APP.glob("engine/*.py"), *APP.glob("services/*.py")]
    found = {f"{m.group(1)}.{m.group(2)}" for p in sources for m in CODE.finditer(p.read_text())}
    found |= {"evidence.absence_overall", "evidence.absence_persistent"}  # built from parts
    assert len(found) > 50
    assert sorted(code for code in found if not is_registered(code)) == []


def test_every_area_has_a_label_and_the_engine_keeps_only_ids():
    assert list(AREA_LABELS) == list(DEFAULT_AREAS)
    assert Message("unmet.no_offer", {"area": "behaviour_attendance"}).__str__() == (
        "No other school offers Behaviour and attendance."
    )


def test_each_unmet_reason_is_worded_with_its_values_and_the_area_name():
    schools = [
        school("lonely", km_east=0),
        school("far", km_east=60),
        school("sec", Phase.SECONDARY, km_east=1),
        school("banned", km_east=2),
        school("busy", km_east=80),
        school("first", km_east=81),
        school("second", km_east=82),
    ]
    needs = [
        Need("lonely", "governance", 2),
        Need("lonely", "maths", 2),
        Need("lonely", "english", 2),
        Need("lonely", "science", 2),
        Need("first", "leadership", 3),
        Need("second", "leadership", 2),
    ]
    offers = [
        Offer("far", "maths", 3, 1),
        Offer("sec", "english", 3, 1),
        Offer("banned", "science", 3, 1),
        Offer("busy", "leadership", 2, 1),
    ]
    result = match(schools, needs, offers, Rules(exclusions=(Pair("banned", "lonely", "science"),)))
    texts = {
        u.reason.value: str(Message(f"unmet.{u.reason.value}", u.params)) for u in result.unmet
    }
    assert texts["no_offer"] == "No other school offers Governance."
    assert "Mathematics" in texts["out_of_range"] and "60.0 km away" in texts["out_of_range"]
    assert "25.0 km" in texts["out_of_range"]
    assert texts["incompatible"].startswith("Every school offering English and literacy")
    assert texts["excluded"] == "Every compatible school offering Science within reach is excluded."
    assert texts["capacity"].startswith("The only compatible supporter in reach is full")
    assert render("unmet.capacity", {"area": "maths", "count": 3}).startswith("All 3 compatible")
    assert not any(INTERNAL.search(text) for text in texts.values())


@pytest.fixture
def references():
    return {
        audit.ABSENCE_PERSISTENT: Reference.of([5 + 0.2 * i for i in range(100)], "secondary"),
        audit.ABSENCE_OVERALL: Reference.of([3 + 0.05 * i for i in range(100)], "*"),
    }


def test_audit_evidence_is_worded_from_its_values(references):
    judgements = [
        *audit.judge_attendance(7.95, 24.8, references, "2018-19"),
        *audit.judge_attendance(None, 24.8, references, "2018-19"),
        *audit.judge_progress8(-0.9, -1.1, -0.7, "2018-19"),
        *audit.judge_progress8(0.7, 0.5, 0.9, "2018-19"),
        *audit.judge_wales_category("amber", "2019"),
        *audit.judge_peer_review([{"area": "send", "level": 4, "scale_max": 4, "detail": "hub"}]),
    ]
    texts = [str(Message(j.code, j.params)) for j in judgements]
    assert texts[0] == (
        "Overall absence of 7.95% is higher than at 100% of 100 schools, and persistent absence "
        "of 24.8% higher than at 100% of 100 secondary schools, in 2018-19 (mean rank 0.99)."
    )
    assert texts[1].startswith("Persistent absence of 24.8% is higher than at 100% of 100 second")
    assert texts[2].startswith("Progress 8 of -0.90 (95% confidence interval -1.10 to -0.70)")
    assert "well above average" in texts[4]
    assert texts[6] == "Welsh support category: Amber."
    assert texts[-1] == "1 answer, on average 1.00 of the way up the scale: hub"
    assert not any(INTERNAL.search(text) for text in texts)


def test_sentences_stored_before_codes_are_read_back_into_codes():
    migration = importlib.import_module("partnerlens.brokerage.migrations.0002_codes_not_sentences")
    old = {
        "source": "outcome_data",
        "date": "2018-19",
        "need": 2,
        "expertise": 0,
        "detail": "overall absence 6.1% is higher than 88% of 120 secondary schools in 2018-19; "
        "persistent absence 21.4% is higher than 93% of 120 secondary schools in 2018-19 "
        "(mean rank 0.91)",
    }
    new = migration.source_code(old)
    assert new["code"] == "evidence.absence_both" and "detail" not in new
    assert new["params"]["persistent_rank"] == 93 and new["params"]["overall_group"] == "secondary"
    assert new["params"]["period"] == "2018-19" and new["params"]["mean_rank"] == 0.91
    assert str(Message.of(new)).startswith("Overall absence of 6.1% is higher than at 88% of 120")
    p8 = migration.source_code(
        {
            "source": "outcome_data",
            "detail": "Progress 8 -0.62 (95% CI -0.80 to -0.44): well "
            "below average, below the floor standard",
        }
    )
    assert (p8["code"], p8["params"]["ci_high"]) == ("evidence.p8_well_below", -0.44)
    broker = migration.source_code({"source": "broker", "detail": "Local authority review"})
    assert broker["params"] == {"note": "Local authority review"}
    assert migration.unmet_params(
        "out_of_range",
        "no school offering maths is within reach (limit 25 km or the supporter's own max_km); "
        "the nearest is 31.4 km away",
    ) == {"limit_km": 25.0, "nearest_km": 31.4}
    assert migration.unmet_params("capacity", "all 3 compatible supporters in reach are") == {
        "count": 3
    }
    assert migration.skipped_code(
        {"school": "Ash", "reason": "offers maths but has a significant need in it"}
    ) == {"school": "Ash", "code": "skipped.offer_where_in_need", "params": {"area": "maths"}}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_brokerage_pages_never_show_an_internal_code(client, cluster, scenario, language):
    from partnerlens.brokerage.services.profiles import derive_assessments

    OutcomeMeasure.objects.create(
        organisation=cluster["ash"], measure=audit.WALES_CATEGORY, period="2019", value_text="Red"
    )
    derive_assessments(cluster["a"], actor=cluster["broker"])
    run = run_scenario(scenario, actor=cluster["broker"])
    proposal = run.matches.get(need_school=cluster["ash"])
    support = accept_match(run.matches.get(need_school=cluster["birch"]), actor=cluster["broker"])
    client.force_login(cluster["broker"])
    pk = cluster["a"].pk
    with translation.override(language):
        on_partnership = {
            reverse(f"brokerage:{name}", kwargs={"pk": pk}): []
            for name in ("home", "areas", "offer_list", "support_list", "scenario_create")
        }
        on_support = {
            reverse(f"brokerage:{name}", kwargs={"pk": pk, "support_pk": support.pk}): []
            for name in ("support_detail", "support_end")
        }
        accept = reverse(
            "brokerage:match_accept",
            kwargs={"pk": pk, "scenario_pk": scenario.pk, "proposal_pk": proposal.pk},
        )
        offer = reverse("brokerage:offer_edit", kwargs={"pk": pk, "school_pk": cluster["cedar"].pk})
        adjust = reverse(
            "brokerage:assessment_adjust",
            kwargs={"pk": pk, "school_pk": cluster["ash"].pk, "area": "behaviour_attendance"},
        )
        scenario_url = reverse(
            "brokerage:scenario_detail", kwargs={"pk": pk, "scenario_pk": scenario.pk}
        )
        pages = {
            scenario_url: ["Mathematics", "Local authority review"],
            reverse("brokerage:profile_list", kwargs={"pk": pk}): ["Mathematics"],
            reverse(
                "brokerage:profile_detail", kwargs={"pk": pk, "school_pk": cluster["ash"].pk}
            ): ["Outcome data", "Welsh support category: Red."],
            accept: ["Mathematics", "Local authority review", "Accept this match?"],
            offer: ["Strength in Behaviour and attendance"],
            adjust: ["Behaviour and attendance"],
            **on_partnership,
            **on_support,
        }
    for url, english in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", page)  # ids and URLs may hold codes; the words may not
        assert not INTERNAL.search(text), (url, INTERNAL.search(text).group(0))
        if language == "en":
            assert all(words in text for words in english), url


@pytest.mark.parametrize("language", ["en", "cy"])
def test_ending_support_never_shows_an_internal_code(client, cluster, scenario, language):
    """The confirmation page (a POST's answer, so not in the list above) and the pages that
    show ended support word the area and how it ended, in the reader's language."""
    run = run_scenario(scenario, actor=cluster["broker"])
    support = accept_match(run.matches.get(need_school=cluster["birch"]), actor=cluster["broker"])
    client.force_login(cluster["broker"])
    kwargs = {"pk": cluster["a"].pk, "support_pk": support.pk}
    data = {
        "status": "ended_early",
        "reason": "The school asked to pause.",
        "ended_on_0": support.started_on.day,
        "ended_on_1": support.started_on.month,
        "ended_on_2": support.started_on.year,
    }
    internal = re.compile(rf"{INTERNAL.pattern}|\b(ended_early|completed|active)\b")
    with translation.override(language):
        end = reverse("brokerage:support_end", kwargs=kwargs)
        confirm = client.post(end, data).content.decode()
        assert 'name="confirm"' in confirm
        assert client.post(end, {**data, "confirm": "True"}).status_code == 302
        pages = {
            "confirm": confirm,
            "list": client.get(reverse("brokerage:support_list", kwargs={"pk": kwargs["pk"]})),
            "detail": client.get(reverse("brokerage:support_detail", kwargs=kwargs)),
        }
    expected = {"en": ("Mathematics", "Ended early"), "cy": ("Mathemateg", "Daeth i ben yn gynnar")}
    for name, page in pages.items():
        html = page if isinstance(page, str) else page.content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        found = internal.search(text)
        assert not found, (name, found and found.group(0))
        assert all(words in text for words in expected[language]), name


@pytest.mark.parametrize(
    "labels",
    [AREA_LABELS, SOURCE_LABELS, GROUP_LABELS, WALES_CATEGORY_LABELS],
    ids=["areas", "sources", "groups", "categories"],
)
def test_every_area_and_evidence_code_has_a_welsh_label(labels):
    english = {code: str(label) for code, label in labels.items()}
    with translation.override("cy"):
        welsh = {code: str(label) for code, label in labels.items()}
    assert [code for code in labels if welsh[code] == english[code] or not welsh[code]] == []
    assert not any(INTERNAL.search(text) for text in [*english.values(), *welsh.values()])
