"""The one bulk writer: it writes exactly the named fields, through bound parameters.

The ``plain=True`` path with JSON (the insights aggregates) is proved by
insights/tests/test_aggregates.py, which compares it with a recount from raw answers.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from partnerlens.core import bulk

pytestmark = pytest.mark.django_db


def test_save_fields_writes_the_named_fields_and_leaves_the_rest():
    people = [
        User.objects.create(username=f"u{i}", first_name="Old", last_name="Kept") for i in range(3)
    ]
    for index, person in enumerate(people):
        person.first_name = f"New {index}"
        person.last_name = "Not saved"
    bulk.save_fields(people, ["first_name"])
    stored = list(User.objects.order_by("username").values_list("first_name", "last_name"))
    assert stored == [("New 0", "Kept"), ("New 1", "Kept"), ("New 2", "Kept")]


def test_values_go_through_their_fields_by_default():
    person = User.objects.create(username="dated")
    joined = timezone.make_aware(datetime.datetime(2024, 9, 1, 8, 30))
    bulk.update_rows(User, ["date_joined", "is_active"], [[joined, False, person.pk]])
    person.refresh_from_db()
    assert (person.date_joined, person.is_active) == (joined, False)


def test_a_quote_in_a_value_is_data_not_sql():
    bulk.insert_rows(Group, ["name"], [["Robert'); DROP TABLE auth_group;--"]], plain=True)
    assert Group.objects.get().name == "Robert'); DROP TABLE auth_group;--"


def test_it_writes_every_row_past_one_batch():
    rows = [[f"group {i}"] for i in range(bulk.BATCH + 7)]
    bulk.insert_rows(Group, ["name"], rows, plain=True)
    assert Group.objects.count() == bulk.BATCH + 7
    ids = list(Group.objects.order_by("pk").values_list("pk", flat=True))
    bulk.update_rows(Group, ["name"], [[f"renamed {pk}", pk] for pk in ids], plain=True)
    assert not Group.objects.exclude(name__startswith="renamed").exists()


def test_nothing_to_write_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        bulk.insert_rows(Group, ["name"], [])
        bulk.update_rows(Group, ["name"], [])
        bulk.save_fields([], ["name"])
