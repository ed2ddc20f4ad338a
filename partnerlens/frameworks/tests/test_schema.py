"""The framework document format: shape, rules and error paths. Pure: no database."""

from __future__ import annotations

import copy

import pytest

from partnerlens.frameworks.schema import (
    DocumentError,
    check_document,
    dump_document,
    parse_text,
    path_of,
    validate_document,
)

ROLES = ["partnership_lead", "teacher", "governor", "parent"]


def rubric_levels(n=2):
    return [
        {"value": f"l{i}", "label": {"en": f"Level {i}", "cy": f"Lefel {i}"}, "score": i}
        for i in range(1, n + 1)
    ]


def minimal():
    return {
        "schema_version": 1,
        "slug": "tiny",
        "name": {"en": "Tiny", "cy": "Bach"},
        "themes": [
            {
                "key": "one",
                "title": {"en": "One", "cy": "Un"},
                "questions": [
                    {
                        "key": "q1",
                        "kind": "rubric",
                        "text": {"en": "How?", "cy": "Sut?"},
                        "options": rubric_levels(),
                    },
                    {"key": "q2", "kind": "agreement", "text": {"en": "Yes?", "cy": "Ie?"}},
                ],
            },
            {
                "key": "two",
                "title": {"en": "Two", "cy": "Dau"},
                "questions": [
                    {"key": "q3", "kind": "relationship", "text": {"en": "Who?", "cy": "Pwy?"}},
                ],
            },
        ],
    }


def errors_of(data, **kwargs):
    kwargs.setdefault("roles", ROLES)
    return [str(problem) for problem in check_document(data, **kwargs).errors]


def test_a_minimal_document_is_valid():
    result = check_document(minimal(), roles=ROLES)
    assert result.ok, result.errors
    assert result.warnings == []


def test_paths_read_like_the_document():
    assert path_of(("themes", 2, "questions", 0, "options", 1, "score")) == (
        "themes[2].questions[0].options[1].score"
    )
    assert path_of(()) == "(document)"


def test_a_wrongly_typed_score_is_reported_with_its_full_path():
    doc = minimal()
    doc["themes"][0]["questions"][0]["options"][1]["score"] = "high"
    assert errors_of(doc) == ["themes[0].questions[0].options[1].score: must be a number"]


def test_a_rubric_level_without_a_score_names_the_level():
    doc = minimal()
    del doc["themes"][0]["questions"][0]["options"][1]["score"]
    assert "themes[0].questions[0].options[1].score: every rubric level needs a score" in (
        errors_of(doc)
    )


def test_a_rubric_needs_two_levels():
    doc = minimal()
    doc["themes"][0]["questions"][0]["options"] = rubric_levels(1)
    assert errors_of(doc) == ["themes[0].questions[0].options: a rubric needs at least 2 levels"]


def test_choice_questions_need_options():
    doc = minimal()
    doc["themes"][1]["questions"].append(
        {"key": "q4", "kind": "single_choice", "text": {"en": "Which?", "cy": "Pa un?"}}
    )
    assert errors_of(doc) == [
        "themes[1].questions[1].options: a single_choice question needs at least 2 options"
    ]


def test_an_unknown_kind_and_a_misspelt_field_are_both_named():
    doc = minimal()
    doc["themes"][1]["questions"][0]["kind"] = "essay"
    doc["themes"][0]["titel"] = {"en": "x"}
    errors = errors_of(doc)
    assert "themes[0].titel: is not a field of this schema (check the spelling)" in errors
    assert any(
        e.startswith("themes[1].questions[0].kind: must be one of: 'rubric'") for e in errors
    )


def test_missing_required_fields_are_named():
    doc = minimal()
    del doc["themes"][0]["questions"][1]["text"]
    del doc["slug"]
    assert errors_of(doc) == ["slug: is required", "themes[0].questions[1].text: is required"]


def test_keys_must_be_unique():
    doc = minimal()
    doc["themes"][1]["key"] = "one"
    doc["themes"][1]["questions"][0]["key"] = "q1"
    assert errors_of(doc) == [
        "themes: the key 'one' is used by more than one theme",
        "themes: the question key 'q1' is used more than once",
    ]


def test_roles_are_checked_against_the_list_passed_in():
    doc = minimal()
    doc["themes"][0]["questions"][1]["roles"] = ["teacher", "caretaker"]
    (error,) = errors_of(doc)
    assert error.startswith("themes[0].questions[1].roles[1]: 'caretaker' is not a role")
    assert not errors_of(doc, roles=[*ROLES, "caretaker"])


def test_agreement_and_relationship_scales_are_standard_and_cannot_be_overridden():
    doc = minimal()
    doc["themes"][0]["questions"][1]["options"] = rubric_levels()
    assert errors_of(doc) == [
        "themes[0].questions[1].options: agreement questions use the standard scale; "
        "leave options out"
    ]


def test_standard_scales_are_filled_in_with_welsh():
    document = check_document(minimal(), roles=ROLES).document
    agreement = document.themes[0].questions[1].options
    relationship = document.themes[1].questions[0].options
    assert [o.score for o in agreement] == [1, 2, 3, 4, 5]
    assert agreement[0].label.en == "Strongly disagree" and agreement[0].label.cy
    assert [o.value for o in relationship] == [
        "none",
        "networking",
        "coordination",
        "cooperation",
        "collaboration",
    ]
    assert [o.score for o in relationship] == [0, 1, 2, 3, 4]
    for option in relationship[1:]:
        assert "trust" in option.descriptor.en and option.descriptor.cy


def test_welsh_is_required_for_builtins_but_only_a_warning_for_partnerships():
    doc = minimal()
    doc["themes"][0]["questions"][0]["text"] = "How?"  # a plain string is English only
    strict = check_document(doc, roles=ROLES, require_welsh=True)
    relaxed = check_document(doc, roles=ROLES, require_welsh=False)
    line = "themes[0].questions[0].text.cy: the Welsh text is missing"
    assert [str(p) for p in strict.errors] == [line]
    assert relaxed.ok and [str(p) for p in relaxed.warnings] == [line]
    assert relaxed.warnings[0].code == "rules.welsh_missing"


def test_welsh_without_english_is_an_error_even_for_partnerships():
    doc = minimal()
    doc["themes"][0]["description"] = {"cy": "Disgrifiad"}
    assert errors_of(doc, require_welsh=False) == [
        "themes[0].description.en: the English text is missing"
    ]


def test_number_settings_are_checked():
    doc = minimal()
    doc["themes"][1]["questions"].append(
        {
            "key": "n",
            "kind": "number",
            "text": {"en": "How many?", "cy": "Sawl un?"},
            "config": {"min": 10, "max": 5, "colour": "red"},
        }
    )
    assert errors_of(doc) == [
        "themes[1].questions[1].config.colour: not a setting for number questions "
        "(allowed: max, min, step, unit)",
        "themes[1].questions[1].config.max: must be greater than min (10)",
    ]


def test_a_target_level_must_lie_on_the_themes_scale():
    doc = minimal()
    doc["themes"][0]["target_level"] = 9
    assert errors_of(doc) == ["themes[0].target_level: must lie on the theme's scale (1 to 5)"]


def test_bad_keys_explain_the_allowed_characters():
    doc = minimal()
    doc["themes"][0]["key"] = "Bad Key"
    assert errors_of(doc) == [
        "themes[0].key: use lower-case letters, digits, '-' or '_' "
        "(starting with a letter or digit)"
    ]


def test_validate_document_raises_with_all_errors():
    doc = minimal()
    doc["schema_version"] = 2
    with pytest.raises(DocumentError) as caught:
        validate_document(doc, roles=ROLES)
    assert caught.value.errors == ["schema_version: must be one of: 1"]
    assert caught.value.problems[0].code == "schema.one_of"


def test_the_canonical_form_leaves_out_defaults_and_standard_scales():
    document, _ = validate_document(minimal(), roles=ROLES)
    dumped = dump_document(document)
    assert "options" not in dumped["themes"][0]["questions"][1]
    assert "required" not in dumped["themes"][0]["questions"][0]
    again, _ = validate_document(copy.deepcopy(dumped), roles=ROLES)
    assert dump_document(again) == dumped


def test_unreadable_files_report_the_line():
    with pytest.raises(DocumentError) as caught:
        parse_text("slug: [unclosed\n", "f.yaml")
    assert caught.value.errors[0].startswith("(file) line 2:")
    with pytest.raises(DocumentError) as caught:
        parse_text(b'{"slug": }', "f.json")
    assert caught.value.errors == ["(file) line 1: Expecting value"]
    with pytest.raises(DocumentError):
        parse_text(b"\xff\xfe", "f.yaml")
