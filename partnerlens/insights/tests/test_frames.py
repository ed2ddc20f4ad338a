from __future__ import annotations

import math

import pandas as pd
import pytest

from partnerlens.insights.analytics import frames

from .helpers import answers, themes


def test_a_valid_frame_gets_its_optional_columns_filled():
    frame = answers([{"response_id": 1, "role": "teacher", "value": 4.0}])
    assert list(frame.columns) == list(frames.ANSWER_COLUMNS)
    assert frame.loc[0, "source"] == "self"
    assert frame["value"].dtype == "float64"


def test_a_missing_organisation_becomes_no_organisation():
    frame = answers(
        [{"response_id": 1, "role": "partnership_lead", "organisation_id": None, "value": 3.0}]
    )
    assert frame.loc[0, "organisation_id"] == frames.NO_ORGANISATION


def test_missing_columns_are_named():
    with pytest.raises(frames.FrameError, match=r"missing column.*response_id"):
        frames.validate_answers(pd.DataFrame({"cycle_id": [1]}))


def test_a_dont_know_with_a_value_is_rejected_naming_the_row():
    rows = [
        {"response_id": 1, "role": "teacher", "value": 4.0},
        {"response_id": 2, "role": "teacher", "value": 3.0, "dont_know": True},
    ]
    with pytest.raises(frames.FrameError, match=r"column 'value', row 1 \(response_id=2"):
        answers(rows)


def test_a_relationship_answer_must_name_its_partner():
    with pytest.raises(frames.FrameError, match="which partner"):
        answers([{"response_id": 1, "role": "headteacher", "kind": "relationship", "value": 2.0}])


def test_free_text_does_not_belong_in_the_answers_frame():
    with pytest.raises(frames.FrameError, match="comments frame"):
        answers([{"response_id": 1, "role": "teacher", "kind": "long_text", "value": 1.0}])


def test_a_value_off_the_scale_is_rejected_when_themes_are_given():
    scale = themes({"theme_key": "trust", "scale_min": 1, "scale_max": 4})
    with pytest.raises(frames.FrameError, match="outside the theme's scale"):
        answers([{"response_id": 1, "role": "teacher", "value": 5.0}], scale)


def test_an_answer_given_twice_is_rejected():
    rows = [{"response_id": 1, "role": "teacher", "value": 4.0}] * 2
    with pytest.raises(frames.FrameError, match="answered twice"):
        answers(rows)


def test_one_response_cannot_have_two_roles():
    rows = [
        {"response_id": 1, "role": "teacher", "value": 4.0},
        {"response_id": 1, "role": "parent", "question_key": "q2", "value": 4.0},
    ]
    with pytest.raises(frames.FrameError, match="one response must have one role"):
        answers(rows)


def test_themes_reject_a_target_off_the_scale_and_an_inverted_scale():
    with pytest.raises(frames.FrameError, match="target outside"):
        themes({"theme_key": "trust", "target_level": 6.0})
    with pytest.raises(frames.FrameError, match="must exceed"):
        themes({"theme_key": "trust", "scale_min": 5.0, "scale_max": 1.0})


def test_themes_default_weight_and_no_target():
    frame = frames.validate_themes(
        pd.DataFrame({"theme_key": ["a"], "scale_min": [1], "scale_max": [5]})
    )
    assert frame.loc[0, "weight"] == 1.0
    assert math.isnan(frame.loc[0, "target_level"])
