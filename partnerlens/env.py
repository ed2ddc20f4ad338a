"""Typed readers for settings that come from environment variables.

Each helper rejects a malformed value at start-up with a message naming the variable,
rather than letting a typo turn into a silently wrong setting.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlparse

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class SettingError(ValueError):
    pass


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={raw!r} is not a yes/no value (use one of 1, 0, true, false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingError(f"{name}={raw!r} is not a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str, sqlite_default: str) -> dict:
    """Turn DATABASE_URL into Django's DATABASES['default']; empty means embedded SQLite."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_default,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    parts = urlparse(url)
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "TEST": {"NAME": "test_" + unquote(parts.path.lstrip("/"))},
        }
    if parts.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parts.path) or sqlite_default,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    raise SettingError(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported (postgres or sqlite)"
    )


# Django's own deployment check (security.W009) uses the same three tests; production
# refuses to start on them rather than only warning when someone runs `check --deploy`.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
INSECURE_KEY_PREFIX = "django-insecure-"


def weak_secret_key(key: str) -> str | None:
    """Why ``key`` is too weak to sign production sessions and links, or None if it is not."""
    if not key:
        return "SECRET_KEY is not set"
    if key.startswith(INSECURE_KEY_PREFIX):
        return (
            f"SECRET_KEY starts with {INSECURE_KEY_PREFIX!r}, so it was generated for development"
        )
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"SECRET_KEY has {len(key)} characters; it needs at least {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        return (
            f"SECRET_KEY uses {len(set(key))} different characters; "
            f"it needs at least {SECRET_KEY_MIN_DISTINCT}"
        )
    return None
