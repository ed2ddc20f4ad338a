"""Production refuses to start with a weak SECRET_KEY: settings raise ImproperlyConfigured
as Django sets up, in every process (web, worker, manage.py), not only in `check --deploy`."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from partnerlens.env import weak_secret_key

ROOT = Path(__file__).resolve().parents[2]
SET_UP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def start_production(secret_key: str | None) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "partnerlens.settings",
        "DJANGO_ENV": "production",
        "ALLOWED_HOSTS": "partnerlens.example.org",
    }
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    return subprocess.run(
        [sys.executable, "-c", SET_UP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def makefile_deploy_key() -> str:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^DEPLOY_ENV :=.*?SECRET_KEY=(\S+)", makefile, re.M | re.S)
    assert match, "the Makefile's DEPLOY_ENV no longer sets SECRET_KEY"
    return match.group(1)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "SECRET_KEY is not set"),
        ("", "SECRET_KEY is not set"),
        (secrets.token_hex(49)[:49], "SECRET_KEY has 49 characters; it needs at least 50"),
        ("abcd" * 20, "SECRET_KEY uses 4 different characters; it needs at least 5"),
        (
            "django-insecure-" + secrets.token_urlsafe(48),
            "SECRET_KEY starts with 'django-insecure-'",
        ),
    ],
    ids=["missing", "empty", "short", "few-characters", "django-insecure"],
)
def test_production_will_not_start_with_a_weak_key(key, reason):
    result = start_production(key)
    assert result.returncode != 0, result.stdout
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe" in result.stderr  # it says how to make a good one


def test_production_starts_with_a_strong_key_and_the_makefile_key():
    for key in (secrets.token_urlsafe(50), makefile_deploy_key()):
        result = start_production(key)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "False"  # production settings, DEBUG off


def test_a_key_is_weak_for_each_of_the_reasons_django_warns_about():
    assert weak_secret_key("x" * 49 + "abcd") is None  # 53 characters, 5 distinct
    assert weak_secret_key("x" * 46 + "abc") is not None  # 49 characters
    assert weak_secret_key("abcd" * 13) is not None  # 52 characters, 4 distinct
    assert weak_secret_key("django-insecure-" + "k" * 40 + "abcd") is not None


def test_development_keeps_its_fixed_key():
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "partnerlens.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SET_UP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
