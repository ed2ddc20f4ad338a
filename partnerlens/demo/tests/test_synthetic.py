"""The synthetic respondents: who is asked and what they answer, without a database."""

from __future__ import annotations

import numpy as np

from partnerlens.demo import stories
from partnerlens.demo.synthetic import Ask, Level, Person, Story, answer_sheet, roster

RUBRIC = tuple(
    Level(v, s) for v, s in [("emerging", 1), ("developing", 2), ("established", 3), ("leading", 4)]
)
AGREEMENT = tuple(Level(str(n), float(n)) for n in range(1, 6))


def people(role: str, count: int) -> list[Person]:
    return [Person(f"{role}{n}@x.example", f"P {n}", role, None) for n in range(count)]


def mean_score(sheets, question_id: int, levels) -> float:
    score = {lv.value: lv.score for lv in levels}
    values = [
        score[s[(question_id, None)].option_value]
        for s in sheets
        if s[(question_id, None)].option_value
    ]
    return float(np.mean(values))


def test_the_same_seed_gives_the_same_answers_and_another_seed_others():
    asks = {"teacher": [Ask(1, "q", "trust", "rubric", RUBRIC)]}
    story = Story(theme_means={"trust": 2.5})
    crowd = people("teacher", 30)
    first = answer_sheet(crowd, asks, story, seed=1)
    assert first == answer_sheet(crowd, asks, story, seed=1)
    assert first != answer_sheet(crowd, asks, story, seed=2)


def test_leaders_answer_higher_than_teachers_when_the_story_lifts_them():
    rubric = Ask(1, "q", "trust", "rubric", RUBRIC, allow_dont_know=False)
    asks = {"headteacher": [rubric], "teacher": [rubric]}
    story = Story(theme_means={"trust": 2.0}, role_lift={"headteacher": 1.0})
    heads = answer_sheet(people("headteacher", 200), asks, story, seed=3)
    teachers = answer_sheet(people("teacher", 200), asks, story, seed=3)
    assert mean_score(heads, 1, RUBRIC) - mean_score(teachers, 1, RUBRIC) > 0.7


def test_an_agreement_question_uses_its_own_five_point_scale():
    asks = {"teacher": [Ask(1, "q", "t", "agreement", AGREEMENT, allow_dont_know=False)]}
    sheets = answer_sheet(people("teacher", 300), asks, Story(theme_means={"t": 4.0}), seed=4)
    assert {s[(1, None)].option_value for s in sheets} >= {"5"}
    assert mean_score(sheets, 1, AGREEMENT) > 4.3


def test_dont_know_comes_at_the_chance_the_story_gives_and_only_where_allowed():
    asks = {
        "governor": [
            Ask(1, "q", "t", "rubric", RUBRIC),
            Ask(2, "r", "t", "rubric", RUBRIC, allow_dont_know=False),
        ]
    }
    story = Story(theme_means={"t": 2.5}, dont_know={"governor": 0.3})
    sheets = answer_sheet(people("governor", 400), asks, story, seed=5)
    share = np.mean([s[(1, None)].dont_know for s in sheets])
    assert 0.24 < share < 0.36
    assert not any(s[(2, None)].dont_know for s in sheets)


def test_each_written_comment_is_used_once_and_evidence_goes_where_it_is_required():
    ask = Ask(1, "why", "t", "long_text", evidence_required=True)
    story = Story(
        theme_means={},
        texts={"why": ("one", "two", "three")},
        write_chance={"why": 1.0},
        text_evidence=("the plan",),
    )
    sheets = answer_sheet(people("headteacher", 5), {"headteacher": [ask]}, story, seed=6)
    written = [s[(1, None)] for s in sheets if (1, None) in s]
    assert [g.text for g in written] == ["one", "two", "three"]
    assert {g.evidence_note for g in written} == {"the plan"}


def test_a_relationship_is_answered_about_each_partner_the_persons_school_knows():
    continuum = tuple(
        Level(v, float(s))
        for s, v in enumerate(
            ["none", "networking", "coordination", "cooperation", "collaboration"]
        )
    )
    asks = {"headteacher": [Ask(1, "now", "relationships", "relationship", continuum)]}
    story = Story(theme_means={}, relationships={10: {20: 3.9, 30: 1.0}}, noise_sd=0.1)
    crowd = [Person(f"h{n}@x.example", "H", "headteacher", 10) for n in range(50)]
    crowd += [Person("o@x.example", "O", "headteacher", 40)]  # knows nobody: answers nothing
    sheets = answer_sheet(crowd, asks, story, seed=9)
    assert {key for sheet in sheets for key in sheet} == {(1, 20), (1, 30)}
    assert sheets[-1] == {}
    # Each view is read on the continuum's own scores (0 none .. 4 collaboration).
    assert np.mean([s[(1, 20)].option_value == "collaboration" for s in sheets[:-1]]) > 0.8
    assert np.mean([s[(1, 30)].option_value == "networking" for s in sheets[:-1]]) > 0.8


def test_people_who_never_respond_get_no_answer_sheet():
    crowd = [*people("teacher", 3), Person("quiet@x.example", "Q", "teacher", None, responds=False)]
    asks = {"teacher": [Ask(1, "q", "t", "rubric", RUBRIC)]}
    assert len(answer_sheet(crowd, asks, Story(theme_means={"t": 2}), seed=7)) == 3


def test_a_roster_spreads_people_over_schools_with_one_head_each_and_unique_emails():
    invited = roster(
        [10, 20, 30],
        {"headteacher": 6, "teacher": 9},
        first_names=stories.WELSH_FIRST,
        surnames=stories.WELSH_SURNAMES,
        domain="ysgol.example",
        seed=8,
        welsh_share=0.5,
        non_responders={"teacher": 2},
    )
    heads = [p for p in invited if p.role == "headteacher"]
    assert sorted(p.organisation for p in heads) == [10, 20, 30]
    assert len({p.email for p in invited}) == len(invited) == 12
    assert all(p.email.isascii() for p in invited)  # Siôn becomes sion
    assert sum(not p.responds for p in invited) == 2
    assert {p.language for p in invited} == {"cy", "en"}


def test_the_sale_story_asks_between_60_and_90_people_to_answer_in_each_cycle():
    for term in ("spring", "autumn"):
        invited = sum(stories.SALE_INVITED[term].values())
        answering = invited - sum(stories.SALE_SILENT[term].values())
        assert 60 <= answering <= 90
        support = stories.SALE_INVITED[term]["support_staff"]
        assert support - stories.SALE_SILENT[term]["support_staff"] == 2
