"""The built-in frameworks: valid, fully bilingual, loadable twice without change."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from partnerlens.directory.models import Role
from partnerlens.frameworks.models import Framework, FrameworkVersion, Question
from partnerlens.frameworks.schema import _texts, check_document, dump_document
from partnerlens.frameworks.services.documents import export_version
from partnerlens.frameworks.services.versions import builtin_paths, import_framework

BUILTINS = builtin_paths()
BUILTIN_DOCS = Path(__file__).resolve().parents[3] / "docs" / "frameworks.md"


def test_there_are_four_builtin_frameworks():
    assert sorted(p.stem for p in BUILTINS) == [
        "collaboration-continuum",
        "deep-and-tight",
        "partnership-quality",
        "self-improving-system",
    ]


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_each_builtin_validates_with_welsh_required(path):
    result = check_document(yaml.safe_load(path.read_text()), roles=Role.values)
    assert result.errors == []
    assert result.warnings == []
    assert result.document.slug == path.stem


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_every_required_text_has_english_and_welsh(path):
    document = check_document(yaml.safe_load(path.read_text()), roles=Role.values).document
    for where, text, required in _texts(document):
        if required or text.en:
            assert text.en and text.cy, where


@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_every_rubric_has_four_described_levels(path):
    document = check_document(yaml.safe_load(path.read_text()), roles=Role.values).document
    rubrics = [q for t in document.themes for q in t.questions if q.kind == "rubric"]
    assert rubrics
    for question in rubrics:
        assert len(question.options) == 4, question.key
        assert all(o.descriptor.en and o.descriptor.cy for o in question.options), question.key


def test_the_maturity_model_has_three_dimensions_of_four_strands():
    path = next(p for p in BUILTINS if p.stem == "self-improving-system")
    document = check_document(yaml.safe_load(path.read_text()), roles=Role.values).document
    dimensions = {}
    for theme in document.themes:
        dimensions.setdefault(theme.dimension, []).append(theme.key)
    assert sorted(dimensions) == [
        "collaborative-capital",
        "partnership-competence",
        "professional-development",
    ]
    assert all(len(strands) == 4 for strands in dimensions.values())


@pytest.mark.django_db
def test_loading_builtins_twice_creates_nothing_new():
    call_command("load_frameworks", stdout=StringIO())
    counts = (Framework.objects.count(), FrameworkVersion.objects.count(), Question.objects.count())
    call_command("load_frameworks", stdout=StringIO())
    assert counts == (
        Framework.objects.count(),
        FrameworkVersion.objects.count(),
        Question.objects.count(),
    )
    assert counts[0] == 4 and counts[1] == 4
    assert all(v.is_published and v.number == 1 for v in FrameworkVersion.objects.all())


@pytest.mark.django_db
@pytest.mark.parametrize("path", BUILTINS, ids=lambda p: p.stem)
def test_a_builtin_survives_a_round_trip(path, make_partnership):
    original = yaml.safe_load(path.read_text())
    version = import_framework(original, publish=True)
    exported = export_version(version)
    expected = dump_document(check_document(original, roles=Role.values).document)
    assert exported == expected
    copy = import_framework(exported, make_partnership("Elsewhere"))
    assert export_version(copy) == exported


@pytest.mark.django_db
def test_a_changed_builtin_gets_a_new_published_version_and_keeps_the_old(tmp_path):
    path = next(p for p in BUILTINS if p.stem == "deep-and-tight")
    document = yaml.safe_load(path.read_text())
    first = import_framework(document, publish=True)
    document["themes"][0]["questions"][0]["text"]["en"] = "How do teachers learn together?"
    second = import_framework(document, publish=True)
    assert (first.number, second.number) == (1, 2)
    assert second.is_published
    first.refresh_from_db()
    assert first.is_published
    assert (
        first.questions_for()[0].text_en
        == "How do teachers in different schools learn from each other?"
    )


def test_the_example_in_the_documentation_is_valid():
    text = (BUILTIN_DOCS).read_text()
    example = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    result = check_document(yaml.safe_load(example), roles=Role.values)
    assert result.errors == [] and result.warnings == []
