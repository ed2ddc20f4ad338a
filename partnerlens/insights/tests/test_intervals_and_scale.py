"""One common scale for every answer, intervals that stay honest on small, skewed and
unanimous groups, and the caution shown below ten respondents."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from partnerlens.insights.analytics import frames, intervals, scores
from partnerlens.insights.analytics.suppression import SuppressionPolicy
from partnerlens.insights.dashboard import scores as score_section
from partnerlens.insights.dashboard.parts import Context

from .helpers import answers, themes
from .reference import reference_interval

RUBRIC = {"kind": "rubric", "item_min": 1.0, "item_max": 4.0}
AGREEMENT = {"kind": "agreement", "item_min": 1.0, "item_max": 5.0}


def _theme_cell(rows, scale, level="theme", **keys):
    table = scores.breakdown(answers(rows, scale), scale, level, policy=SuppressionPolicy(k=3))
    table = table[table["group"] == "partnership"]
    for key, value in keys.items():
        table = table[table[key] == value]
    assert len(table) == 1
    return table.iloc[0]


def _person(response, question, value, extra, weight=1.0):
    row = {"response_id": response, "role": "teacher", "question_key": question, **extra}
    row["item_weight"] = weight
    if value == "dk":
        return {**row, "dont_know": True}
    return {**row, "value": float(value)}


# --- one common scale ----------------------------------------------------------------------


def test_a_rubric_and_an_agreement_question_count_on_one_scale():
    scale = themes({"theme_key": "trust"})  # the theme spans 1-5
    # Top of both scales; bottom of both; level 3 of 4 with "agree" (4 of 5).
    pairs = {1: (4, 5), 2: (1, 1), 3: (3, 4)}
    rows = [
        row
        for person, (rubric, agreement) in pairs.items()
        for row in (
            _person(person, "rubric", rubric, RUBRIC),
            _person(person, "agree", agreement, AGREEMENT),
        )
    ]
    cell = _theme_cell(rows, scale)
    # Positions: (1 + 1)/2, (0 + 0)/2, (2/3 + 3/4)/2, reported on 1-5.
    by_person = [5.0, 1.0, 1 + 4 * (2 / 3 + 3 / 4) / 2]
    assert cell["mean"] == pytest.approx(np.mean(by_person))
    assert cell["median"] == pytest.approx(by_person[2])


def test_question_weights_are_honoured():
    scale = themes({"theme_key": "trust"})
    rows = []
    for person in range(1, 4):
        rows.append(_person(person, "light", 1, AGREEMENT, weight=1.0))
        rows.append(_person(person, "heavy", 5, AGREEMENT, weight=3.0))
    assert _theme_cell(rows, scale)["mean"] == pytest.approx((1 * 1 + 3 * 5) / 4)


def test_dont_know_never_changes_the_scale():
    scale = themes({"theme_key": "trust"})
    # The top rubric level with "don't know" to the agreement question is the top of the
    # theme's scale (5), not the top of the rubric's (4).
    rows = []
    for person in range(1, 4):
        rows.append(_person(person, "rubric", 4, RUBRIC))
        rows.append(_person(person, "agree", "dk", AGREEMENT))
    cell = _theme_cell(rows, scale)
    assert cell["mean"] == pytest.approx(5.0)
    assert cell["n_dont_know"] == 3


def test_a_question_is_reported_on_its_own_scale():
    scale = themes({"theme_key": "trust"})
    rows = [_person(person, "rubric", 4, RUBRIC) for person in range(1, 6)]
    cell = _theme_cell(rows, scale, "question", question_key="rubric")
    assert (cell["scale_min"], cell["scale_max"], cell["mean"]) == (1.0, 4.0, 4.0)
    assert cell["ci_high"] <= 4.0


# --- honest intervals ----------------------------------------------------------------------


def test_no_interval_is_ever_zero_width():
    sizes = np.arange(2, 201)
    for value in (1.0, 2.0, 3.0, 4.5, 5.0):
        low, high = intervals.interval(
            sizes, np.full(sizes.size, value), np.zeros(sizes.size), 1.0, 5.0
        )
        assert (high - low > 0).all()
        assert ((low <= value) & (value <= high)).all()
        assert (low >= 1.0).all() and (high <= 5.0).all()


def test_a_unanimous_small_group_is_not_called_above_target():
    # Five people all "strongly agree", against a target of "agree".
    scale = themes({"theme_key": "trust", "target_level": 4.0})
    rows = [_person(person, "agree", 5, AGREEMENT) for person in range(1, 6)]
    cell = _theme_cell(rows, scale)
    assert cell["ci_low"] < 4.0 < cell["ci_high"]
    assert cell["progress"] == "around_target"
    # Twenty such people are evidence enough.
    many = [_person(person, "agree", 5, AGREEMENT) for person in range(1, 21)]
    assert _theme_cell(many, scale)["progress"] == "above_target"


def _simulate(rng, shares, people, replicates, items):
    """Answers of ``replicates`` groups of ``people``, each answering ``items`` 1-5
    questions whose answers follow ``shares`` and are correlated within a person."""
    cuts = stats.norm.ppf(np.cumsum(shares)[:-1])
    person = rng.standard_normal((replicates, people, 1))
    latent = np.sqrt(0.5) * person + np.sqrt(0.5) * rng.standard_normal((replicates, people, items))
    return np.searchsorted(cuts, latent).astype(float) + 1


def _coverage(rng, shares, people, items, replicates=300):
    truth = _simulate(rng, shares, 200_000, 1, items)[0].mean()
    values = _simulate(rng, shares, people, replicates, items)
    frame = pd.DataFrame(
        {
            "cycle_id": np.repeat(np.arange(replicates), people * items),
            "response_id": np.repeat(np.arange(replicates * people), items),
            "role": "teacher",
            "organisation_id": 1,
            "theme_key": "trust",
            "question_key": np.tile([f"q{i}" for i in range(items)], replicates * people),
            "kind": "agreement",
            "value": values.ravel(),
            "dont_know": False,
        }
    )
    scale = themes({"theme_key": "trust"})
    level = "theme" if items > 1 else "question"
    table = scores.breakdown(
        answers(frame.to_dict("records"), scale),
        scale,
        level,
        policy=SuppressionPolicy(k=3),
        groupings=("partnership",),
    )
    held = (table["ci_low"] <= truth) & (truth <= table["ci_high"])
    # What the t-interval would have given on the same groups, for comparison.
    means, sds = values.mean(axis=2).mean(axis=1), values.mean(axis=2).std(axis=1, ddof=1)
    half = stats.t.ppf(0.975, people - 1) * sds / np.sqrt(people)
    t_held = (means - half <= truth) & (truth <= means + half)
    return float(held.mean()), float(t_held.mean())


def test_coverage_on_a_small_simulation_of_very_skewed_answers_is_above_a_floor():
    rng = np.random.default_rng(7)
    very_skewed = [0.02, 0.03, 0.05, 0.10, 0.80]
    theme, theme_t = _coverage(rng, very_skewed, people=5, items=3)
    item, item_t = _coverage(rng, very_skewed, people=10, items=1)
    assert theme >= 0.90
    assert item >= 0.88
    # The floor is one the plain t-interval fails on these very groups.
    assert theme_t < 0.90 and item_t < 0.88


@pytest.mark.parametrize(
    "shares",
    [
        [0.10, 0.20, 0.40, 0.20, 0.10],
        [0.05, 0.10, 0.15, 0.20, 0.50],
        [0.02, 0.03, 0.05, 0.10, 0.80],
        [0.80, 0.10, 0.05, 0.03, 0.02],
    ],
    ids=["symmetric", "skewed", "very skewed", "very skewed to the bottom"],
)
def test_five_people_get_an_interval_that_is_not_wider_than_it_needs_to_be(shares):
    # Groups of five: inside the band, not far above it. A beta with Student's allowance
    # squared held 98-99% on the first two; the score interval with 2.5% on each side held
    # 98% on the very skewed ones, whose intervals could only ever miss on one side.
    coverage, _t = _coverage(np.random.default_rng(11), shares, people=5, items=3, replicates=600)
    assert 0.93 <= coverage <= 0.975


def test_near_the_top_of_the_scale_the_interval_has_more_room_below_than_above():
    low, high = intervals.interval(np.array([12.0]), np.array([4.7]), np.array([0.5]), 1.0, 5.0)
    assert (4.7 - low[0]) > 1.5 * (high[0] - 4.7)
    # In the middle of the scale, a large group gets about mean +/- t s / sqrt(n).
    low, high = intervals.interval(np.array([400.0]), np.array([3.0]), np.array([1.0]), 1.0, 5.0)
    half = stats.t.ppf(0.975, 399) / 20
    assert (low[0], high[0]) == pytest.approx((3.0 - half, 3.0 + half), abs=0.005)


def test_one_dissenting_answer_never_makes_a_group_look_surer_than_unanimity():
    for n in range(3, 61):
        unanimous, _ = intervals.interval(np.array([n]), np.array([5.0]), np.array([0.0]), 1, 5)
        for dissent in (4.75, 4.0, 3.0, 1.0):
            values = np.array([5.0] * (n - 1) + [dissent])
            low, high = intervals.interval(
                np.array([n]), np.array([values.mean()]), np.array([values.std(ddof=1)]), 1, 5
            )
            assert low[0] < unanimous[0] and high[0] <= 5.0


def test_the_interval_matches_one_written_out_independently():
    # scipy's beta moments, t quantile and a root finder (tests/reference.py) against the
    # engine's closed form, table of t quantiles and Newton steps.
    rng = np.random.default_rng(5)
    for _ in range(80):
        n = int(rng.integers(2, 60))
        shares = rng.dirichlet(np.full(5, rng.uniform(0.2, 3.0)))
        values = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], n, p=shares)
        low, high = intervals.interval(
            np.array([n]), np.array([values.mean()]), np.array([values.std(ddof=1)]), 1, 5
        )
        assert (low[0], high[0]) == pytest.approx(reference_interval(values.tolist()), abs=1e-4)


def test_the_degrees_of_freedom_are_what_the_beta_model_gives():
    n = np.full(3, 11.0)
    # A narrow bell in the middle of the scale: Student's n - 1. Answers only at the two
    # ends: the dispersion follows from the mean, so the normal quantile (no allowance).
    assert intervals.degrees_of_freedom(n, np.full(3, 0.5), np.full(3, 1e-9)) == pytest.approx(
        10.0, rel=1e-6
    )
    assert (intervals.degrees_of_freedom(n, np.array([0.2, 0.5, 0.9]), np.ones(3)) >= 1e6).all()
    # In between, against scipy's skewness and kurtosis of the beta (delta method).
    for q in (0.1, 0.3, 0.5, 0.8, 0.95):
        for phi in (0.05, 0.2, 0.5, 0.8):
            size = 1 / phi - 1
            skew, kurt = stats.beta(q * size, (1 - q) * size).stats(moments="sk")
            g = (1 - 2 * q) * np.sqrt(phi / (q * (1 - q)))
            d = float(kurt) + 2 - 2 * g * float(skew) + g * g
            found = intervals.degrees_of_freedom(np.array([11.0]), np.array([q]), np.array([phi]))
            assert found[0] == pytest.approx(20 / d, rel=1e-9)


def _wilson(successes, n, z):
    p, r = successes / n, z * z / n
    centre, half = (p + r / 2) / (1 + r), np.sqrt(r * p * (1 - p) + r * r / 4) / (1 + r)
    return centre - half, centre + half


def test_near_an_end_of_the_scale_the_test_spends_its_whole_five_percent():
    # Yes/no answers (the two ends of the scale only): the dispersion is known, so far from
    # the ends the interval is Wilson's with 1.96 on each side.
    half_and_half = np.array([0.0] * 100 + [1.0] * 100)
    low, high = intervals.interval(
        np.array([200]), np.array([0.5]), np.array([half_and_half.std(ddof=1)]), 0, 1
    )
    assert (low[0], high[0]) == pytest.approx(_wilson(100, 200, 1.96), abs=1e-4)
    # 18 of 20 "yes": at the upper end the top is under one standard error away, so the
    # test's high side can use none of its 2.5% and the low side takes all 5%: the upper
    # end is Wilson's one-sided one. The lower end, far from the bottom, is two-sided.
    mostly = np.array([0.0] * 2 + [1.0] * 18)
    low, high = intervals.interval(
        np.array([20]), np.array([0.9]), np.array([mostly.std(ddof=1)]), 0, 1
    )
    assert high[0] == pytest.approx(_wilson(18, 20, 1.645)[1], abs=1e-4)
    assert low[0] == pytest.approx(_wilson(18, 20, 1.96)[0], abs=1e-4)
    # 190 of 200: the top is about two standard errors above the upper end, so the high side
    # keeps part of its share and the upper end lies strictly between the two.
    mostly = np.array([0.0] * 10 + [1.0] * 190)
    low, high = intervals.interval(
        np.array([200]), np.array([0.95]), np.array([mostly.std(ddof=1)]), 0, 1
    )
    assert _wilson(190, 200, 1.645)[1] + 0.001 < high[0] < _wilson(190, 200, 1.96)[1] - 0.001


def test_the_aggregates_and_the_raw_answers_give_the_same_interval():
    values = np.array([5.0, 5.0, 4.0, 5.0, 3.0, 5.0])
    n, total, squares = len(values), values.sum(), (values**2).sum()
    mean = total / n
    sd = np.sqrt((squares - total * mean) / (n - 1))  # as QuestionStat sums give it
    from_sums = intervals.interval(np.array([n]), np.array([mean]), np.array([sd]), 1.0, 5.0)
    from_values = intervals.interval(
        np.array([n]), np.array([values.mean()]), np.array([values.std(ddof=1)]), 1.0, 5.0
    )
    assert np.allclose(from_sums, from_values)


# --- caution below ten respondents ---------------------------------------------------------


def _context(rows, scale):
    table = scores.breakdown(answers(rows, scale), scale, "theme", policy=SuppressionPolicy(k=3))
    return Context(None, scale, {}, SuppressionPolicy(k=3), table)


def test_fewer_than_ten_people_bring_a_plain_caution(db):
    scale = themes({"theme_key": "trust"})
    few = [_person(p, "agree", 1 + p % 5, AGREEMENT) for p in range(1, 7)]
    words = " ".join(score_section.caution(_context(few, scale)))
    assert "Only 6 people answered" in words
    many = [_person(p, "agree", 1 + p % 5, AGREEMENT) for p in range(1, 31)]
    assert score_section.caution(_context(many, scale)) == []


def test_a_question_scale_or_weight_that_cannot_be_is_refused():
    scale = themes({"theme_key": "trust"})
    with pytest.raises(frames.FrameError, match="item_weight"):
        answers([_person(1, "agree", 3, AGREEMENT, weight=-1.0)], scale)
    with pytest.raises(frames.FrameError, match="outside the question's scale"):
        answers([_person(1, "rubric", 5, RUBRIC)], scale)
