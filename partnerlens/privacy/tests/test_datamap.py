"""The data map covers every field that could hold personal data, and the docs say the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test.utils import isolate_apps

from partnerlens.privacy import datamap, retention
from partnerlens.privacy.exemptions import OTHER_TABLES

# Field types that can hold what a person typed or is: text of any kind, structured data,
# bytes, addresses, files; and any link to an account (it says who did something).
TEXTUAL = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.BinaryField,
    models.GenericIPAddressField,
    models.FileField,
)


def _could_be_personal(field) -> bool:
    if field.is_relation:
        return field.related_model is apps.get_model(settings.AUTH_USER_MODEL)
    if isinstance(field, models.EmailField):
        return True  # even with choices
    # A field limited to fixed choices holds one of the service's codes, never typed text.
    return isinstance(field, TEXTUAL) and not field.choices


def _fields_needing_a_place() -> dict[str, set[str]]:
    found = {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = {f.name for f in model._meta.concrete_fields if _could_be_personal(f)}
        if names:
            found[model._meta.label] = names
    return found


def test_every_field_that_could_hold_personal_data_is_in_the_map():
    covered = datamap.covered()
    missing = {
        label: sorted(names - covered.get(label, set()))
        for label, names in _fields_needing_a_place().items()
        if names - covered.get(label, set())
    }
    assert missing == {}, "add each to privacy/datamap.py: a Kind, or NOT_PERSONAL with why"


@isolate_apps("partnerlens.privacy")
def test_the_check_would_catch_a_new_email_field():
    class Visitor(models.Model):
        email = models.EmailField()
        nickname = models.CharField(max_length=40)
        kind = models.CharField(max_length=10, choices=[("a", "A")])

        class Meta:
            app_label = "privacy"

        def __str__(self):
            return self.nickname

    fields = {f.name for f in Visitor._meta.concrete_fields if _could_be_personal(f)}
    assert fields == {"email", "nickname"}
    assert "privacy.Visitor" not in datamap.covered()


def test_the_map_names_only_fields_that_exist():
    for label, names in datamap.covered().items():
        model = apps.get_model(label)
        existing = {f.name for f in model._meta.concrete_fields}
        assert set(names) <= existing, f"{label}: {sorted(set(names) - existing)}"


def test_every_kind_has_a_period_and_every_rule_runs():
    for kind in datamap.KINDS:
        assert kind.retention and kind.basis and kind.erasure, kind.code
        if kind.rule:
            assert kind.rule in retention.RULES and kind.days is not None, kind.code
    ruled = {kind.rule for kind in datamap.KINDS if kind.rule}
    assert ruled == set(retention.RULES), "every rule belongs to a kind of the map"


def test_the_docs_table_is_the_map():
    page = Path(settings.BASE_DIR) / "docs" / "privacy" / "data-map.md"
    assert page.read_text(encoding="utf-8") == datamap.markdown(), "run: manage.py privacy_data_map"


@pytest.mark.django_db
def test_every_table_is_a_model_or_said_to_hold_nothing_personal():
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    models_tables = set(connection.introspection.django_table_names(include_views=False))
    assert tables - models_tables == set(OTHER_TABLES), "say what a new table holds"
