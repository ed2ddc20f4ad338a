"""Every form of Partnerlens, left empty: each required field's message says which field it
is, and each form with fields people fill in uses the GOV.UK form kit, whose error summary
links each message to its field.

The forms are found, not listed: every module of the project is imported and every form
class defined in it is built (``PROVIDERS`` gives what a form's constructor asks for, from
the shared world), so a new form is checked as soon as it exists.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms

import partnerlens
from partnerlens.core.forms import GovukFormMixin
from partnerlens.directory.models import Organisation

# Forms outside the GOV.UK kit, each with the reason it needs no error summary.
OUTSIDE_THE_KIT = {
    "partnerlens.directory.forms.AddMemberForm": "the school comes from a search result's "
    "button, never typed; a wrong one is a 404",
}
# What a form's constructor asks for, by parameter name, from the world.
PROVIDERS = {
    "partnership": lambda w: w["a"],
    "version": lambda w: w["draft"],
    "membership": lambda w: w["membership"],
    "cycle": lambda w: w["open_cycle"],
    "user": lambda w: w["lead"],
    "areas": lambda w: ["maths", "english"],
    "choices": lambda w: [("maths", "Maths"), ("english", "English")],
    "question": lambda w: w["question"],
    "theme": lambda w: w["question"].theme,
    "schools": lambda w: Organisation.objects.filter(pk__in=[s.pk for s in w["schools"]]),
    "measure_choices": lambda w: [("ks2.rwm_exp_pct", "KS2 reading, writing and maths")],
    "school_choices": lambda w: [(s.pk, s.name) for s in w["schools"]],
}
SKIPPED_MODULES = re.compile(r"\.(tests|migrations|management)(\.|$)")


def project_modules():
    for module in pkgutil.walk_packages(partnerlens.__path__, "partnerlens."):
        if not SKIPPED_MODULES.search(module.name):
            yield importlib.import_module(module.name)


def form_classes() -> list[type]:
    modules = {module.__name__ for module in project_modules()}
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__ in modules and not inspect.isabstract(sub):
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def build(cls, world):
    """``cls`` bound to empty data, or the names of constructor arguments we cannot give."""
    kwargs, missing = {}, []
    # A constructor taking (*args, **kwargs) passes them on: read its bases' too.
    for base in cls.__mro__:
        if "__init__" not in vars(base):
            continue
        for name, parameter in inspect.signature(base.__init__).parameters.items():
            if name in ("self", "data", "files", *kwargs, *missing):
                continue
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if parameter.default is not parameter.empty:
                continue
            if name in PROVIDERS:
                kwargs[name] = PROVIDERS[name](world)
            else:
                missing.append(name)
    if missing:
        return missing
    return cls(data={}, files={}, **kwargs)


FORMS = form_classes()


def test_the_forms_were_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"PartnershipForm", "CycleForm", "OfferForm", "QuestionForm"} <= names


@pytest.mark.parametrize("cls", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_an_empty_form_names_each_missing_field(cls, world, db):
    path = f"{cls.__module__}.{cls.__qualname__}"
    form = build(cls, world)
    assert not isinstance(form, list), f"give PROVIDERS a way to make {form} for {path}"
    if not issubclass(cls, GovukFormMixin):
        assert path in OUTSIDE_THE_KIT, f"{path} has no error summary: give it GovukFormMixin"
        return
    form.is_valid()
    anonymous = str(forms.Field.default_error_messages["required"])
    for name, errors in form.errors.as_data().items():
        for error in errors:
            for message in error.messages:
                assert message != anonymous, f"{path}.{name} says only {message!r}"


class _Plain(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name of the school")
    kind = forms.ChoiceField(label="Kind of school", choices=[("a", "A")])
    kept = forms.CharField(label="Kept", error_messages={"required": "Enter the kept thing"})


def test_the_kit_names_a_field_left_empty_and_keeps_a_forms_own_message():
    form = _Plain(data={})
    assert not form.is_valid()
    assert form.errors["name"] == ["Enter “Name of the school”"]
    assert form.errors["kind"] == ["Select an answer for “Kind of school”"]
    assert form.errors["kept"] == ["Enter the kept thing"]


TEMPLATES = [
    path
    for path in Path(partnerlens.__path__[0]).rglob("templates/**/*.html")
    if not path.name.startswith("_") and "partials" not in path.parts
]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.name))
def test_a_page_with_form_fields_shows_the_error_summary(path):
    text = path.read_text()
    if "partials/field.html" not in text:
        return
    assert "partials/error_summary.html" in text or 'extends "form_page.html"' in text, (
        f"{path} shows form fields without the error summary"
    )
