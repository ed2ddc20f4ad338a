"""Settings read from the environment: bad values stop start-up with the variable named."""

from __future__ import annotations

import pytest

from partnerlens.env import SettingError, database_from_url, env_bool, env_int, env_list


def test_yes_no_values_are_read_and_a_typo_is_refused(monkeypatch):
    monkeypatch.setenv("PL_FLAG", "Yes")
    assert env_bool("PL_FLAG") is True
    monkeypatch.setenv("PL_FLAG", "0")
    assert env_bool("PL_FLAG", default=True) is False
    monkeypatch.setenv("PL_FLAG", "maybe")
    with pytest.raises(SettingError, match=r"PL_FLAG='maybe' is not a yes/no value"):
        env_bool("PL_FLAG")


def test_numbers_fall_back_when_unset_and_refuse_words(monkeypatch):
    monkeypatch.delenv("PL_PORT", raising=False)
    assert env_int("PL_PORT", 1025) == 1025
    monkeypatch.setenv("PL_PORT", "abc")
    with pytest.raises(SettingError, match=r"PL_PORT='abc' is not a whole number"):
        env_int("PL_PORT", 1025)


def test_lists_are_split_on_commas_without_blanks(monkeypatch):
    monkeypatch.setenv("PL_HOSTS", " a.example , ,b.example")
    assert env_list("PL_HOSTS", []) == ["a.example", "b.example"]


def test_no_database_url_means_the_embedded_sqlite_file():
    db = database_from_url("", "var/demo.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3" and db["NAME"] == "var/demo.sqlite3"


def test_a_postgres_url_is_split_into_its_parts_with_escapes_undone():
    db = database_from_url("postgres://app:p%40ss@db.example:5433/partner", "unused")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app",
        "p@ss",
        "db.example",
        "5433",
        "partner",
    )


def test_an_unknown_database_scheme_is_refused_by_name():
    with pytest.raises(SettingError, match="scheme 'mysql' is not supported"):
        database_from_url("mysql://x@y/z", "unused")


def test_production_refuses_a_missing_secret_key():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import partnerlens.settings"],
        env={"DJANGO_ENV": "production", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
