"""A framework upload is bounded: the file (size, nesting, YAML aliases, expanded values) and
every text, count and number in it. Each refusal names the limit it passed. Pure but for
the one test of the upload page."""

from __future__ import annotations

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerlens.frameworks import limits, reading
from partnerlens.frameworks.models import Framework
from partnerlens.frameworks.schema import DocumentError, check_document, parse_text

from .test_schema import ROLES, errors_of, minimal


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    """Each line a list of ``width`` aliases of the line before: width**levels values."""
    lines = ["a0: &a0 [" + ",".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        aliases = ",".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def refusal(text: str | bytes, filename: str = "f.yaml") -> str:
    with pytest.raises(DocumentError) as caught:
        parse_text(text, filename)
    [error] = caught.value.errors
    return error


def test_a_billion_laughs_file_is_refused_before_it_is_built():
    bomb = billion_laughs()
    assert len(bomb.encode()) <= 520  # the size of the 508-byte file
    # An unknown tag after the bomb: building any value would fail on it with the loader's
    # own error, so refusing with our limit proves nothing was built first.
    with pytest.raises(reading.TooBig) as caught:
        reading.load_yaml(bomb + "z: !!python/object:os.system {}\n")
    assert caught.value.code == "file.too_many_values"
    message = refusal(bomb)
    assert message == (
        f"(file): holds more than {reading.MAX_VALUES} values once its YAML aliases are expanded"
    )


def test_the_upload_page_refuses_the_bomb_with_its_limit(lead, personas):
    upload = SimpleUploadedFile("laughs.yaml", billion_laughs().encode())
    page = lead.post(reverse("frameworks:upload", args=[personas["a"].pk]), {"document": upload})
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text
    assert f"holds more than {reading.MAX_VALUES} values" in page.text
    assert not Framework.objects.filter(owner=personas["a"]).exists()  # nothing made


def test_a_file_with_too_many_aliases_is_refused_while_it_is_read():
    many = "a: &a x\nb: [" + ",".join(["*a"] * (reading.MAX_ALIASES + 1)) + "]\n"
    assert refusal(many) == f"(file): uses more than {reading.MAX_ALIASES} YAML aliases (*name)"
    enough = "a: &a x\nb: [" + ",".join(["*a"] * reading.MAX_ALIASES) + "]\n"
    assert parse_text(enough, "f.yaml")["b"] == ["x"] * reading.MAX_ALIASES


def test_an_alias_inside_its_own_anchor_is_refused():
    assert "holds more than" in refusal("a: &a [1, *a]\n")


@pytest.mark.parametrize("filename", ["f.yaml", "f.json"])
def test_deep_nesting_is_refused_naming_the_limit(filename):
    deep = "[" * (reading.MAX_DEPTH + 1) + "]" * (reading.MAX_DEPTH + 1)
    expected = f"(file): nested more than {reading.MAX_DEPTH} levels deep"
    assert refusal(deep, filename) == expected
    # Far deeper than Python's own stack: still the same refusal, not a crash.
    assert refusal("[" * 100_000 + "]" * 100_000, filename) == expected
    shallow = "[" * reading.MAX_DEPTH + "]" * reading.MAX_DEPTH
    assert parse_text(shallow, filename) is not None


def test_aliases_cannot_nest_a_document_deeper_than_the_limit():
    """Each line is shallow, but each alias adds its anchor's depth to where it is used."""
    lines = ["a0: &a0 [[[x]]]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [[[*a{level - 1}]]]")
    message = refusal("\n".join(lines))
    assert message == f"(file): nested more than {reading.MAX_DEPTH} levels deep"


def test_a_large_file_is_refused_naming_its_limit_as_text_or_bytes():
    big = "x: " + "a" * reading.MAX_DOCUMENT_BYTES
    expected = f"(file): larger than {reading.MAX_DOCUMENT_BYTES // 1000} kB"
    assert refusal(big) == expected
    assert refusal(big.encode()) == expected


def test_the_built_in_aliases_still_read():
    text = "label: &networking {en: Networking, cy: Rhwydweithio}\nagain: *networking\n"
    assert parse_text(text, "f.yaml")["again"] == {"en": "Networking", "cy": "Rhwydweithio"}


# --- texts, counts and numbers in the document -----------------------------------------


def question(**fields):
    return {"key": "n", "kind": "number", "text": {"en": "How many?", "cy": "Faint?"}, **fields}


def with_question(**fields):
    data = minimal()
    data["themes"][0]["questions"].append(question(**fields))
    return data


def number_errors(**config):
    return errors_of(with_question(config=config))


def test_number_settings_must_be_finite_and_within_range():
    where = "themes[0].questions[2].config"
    high = limits.shown(limits.MAX_SETTING)
    assert number_errors(max=float("inf")) == [f"{where}.max: must be a finite number"]
    assert number_errors(min=-1e12) == [f"{where}.min: must be between -{high} and {high}"]
    assert number_errors(step=0) == [f"{where}.step: must be more than 0"]
    assert number_errors(step=1e10) == [f"{where}.step: must be between 0 and {high}"]
    assert number_errors(min=0, max=10, step=0.5) == []


def test_text_settings_are_bounded():
    where = "themes[0].questions[2].config"
    long_text = with_question(kind="long_text", config={"max_length": 1_000_000})
    assert errors_of(long_text) == [
        f"{where}.max_length: must be between 1 and {limits.shown(limits.MAX_ANSWER_LENGTH)}"
    ]
    fractional = with_question(kind="short_text", config={"max_length": 10.5})
    assert errors_of(fractional) == [f"{where}.max_length: must be a whole number"]
    unit = with_question(config={"unit": "u" * (limits.MAX_UNIT + 1)})
    assert errors_of(unit) == [
        f"{where}.unit: must be text of at most {limits.MAX_UNIT} characters"
    ]


def test_a_question_ticks_at_most_as_many_options_as_a_question_may_have():
    options = [{"value": v, "label": {"en": v, "cy": v}} for v in ("a", "b", "c")]
    data = with_question(kind="multiple_choice", options=options, config={"max_choices": 0})
    high = limits.MAX_OPTIONS
    assert errors_of(data) == [
        f"themes[0].questions[2].config.max_choices: must be between 1 and {high}"
    ]
    data["themes"][0]["questions"][2]["config"]["max_choices"] = high + 1
    assert len(errors_of(data)) == 1
    data["themes"][0]["questions"][2]["config"]["max_choices"] = 3
    assert errors_of(data) == []


def test_texts_are_bounded_naming_the_length():
    data = minimal()
    data["themes"][0]["questions"][0]["text"]["cy"] = "a" * (limits.MAX_TEXT + 1)
    assert errors_of(data) == [
        f"themes[0].questions[0].text.cy: must be at most {limits.MAX_TEXT} characters"
    ]
    data = minimal()
    data["themes"][1]["title"]["en"] = "T" * (limits.MAX_SHORT_TEXT + 1)
    assert errors_of(data) == [
        f"themes[1].title.en: must be at most {limits.MAX_SHORT_TEXT} characters"
    ]


def test_counts_are_bounded_naming_the_limit():
    data = minimal()
    theme = data["themes"][1]
    data["themes"] = []
    for n in range(limits.MAX_THEMES + 1):
        copied = copy.deepcopy(theme)
        copied["key"] = f"t{n}"
        copied["questions"][0]["key"] = f"q{n}"
        data["themes"].append(copied)
    assert errors_of(data) == [f"themes: must have at most {limits.MAX_THEMES} items"]
    data["themes"].pop()
    assert check_document(data, roles=ROLES).ok


@pytest.mark.parametrize(
    ("where", "field", "value", "message"),
    [
        ("theme", "weight", limits.MAX_WEIGHT + 1, f"must be {limits.MAX_WEIGHT} or less"),
        ("theme", "target_level", float("nan"), "must be a number"),
        ("question", "weight", float("inf"), "must be a number"),
        ("option", "score", limits.MAX_SCORE * 10, f"must be {limits.MAX_SCORE} or less"),
    ],
)
def test_numbers_are_finite_and_bounded(where, field, value, message):
    data = minimal()
    theme = data["themes"][0]
    target, path = {
        "theme": (theme, "themes[0]"),
        "question": (theme["questions"][0], "themes[0].questions[0]"),
        "option": (theme["questions"][0]["options"][0], "themes[0].questions[0].options[0]"),
    }[where]
    target[field] = value
    assert errors_of(data) == [f"{path}.{field}: {message}"]
