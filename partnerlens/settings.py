"""Partnerlens settings: safe development defaults, production hardening by DJANGO_ENV.

Every value can be set from the environment; see docs/deployment.md for the list.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from partnerlens.env import (
    SettingError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_str,
    weak_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production"):
    raise SettingError(f"DJANGO_ENV={DJANGO_ENV!r}: use development or production")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else "dev-only-insecure-key-change-me")
if PRODUCTION and (weakness := weak_secret_key(SECRET_KEY)):
    # Refuse to start at all (every process: web, worker, manage.py), not only warn in
    # `check --deploy`: a guessable key lets anyone forge sessions and emailed links.
    raise ImproperlyConfigured(
        f"{weakness}. In production set SECRET_KEY to at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "partnerlens.core",
    "partnerlens.outbox",
    "partnerlens.audit",
    "partnerlens.directory",
    "partnerlens.frameworks",
    "partnerlens.enquiries",
    "partnerlens.insights",
    "partnerlens.brokerage",
    "partnerlens.impact",
    "partnerlens.actions",
    "partnerlens.triggers",
    "partnerlens.network",
    "partnerlens.summary",
    "partnerlens.api",
    "partnerlens.privacy",
    "partnerlens.demo",
]

# Sign-in by email address in any case (directory/backends.py), behind django-axes'
# throttle, which axes wants first so a locked-out name is refused before any password check.
# Axes needs the request (the address it counts against): pass one to authenticate().
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "partnerlens.directory.backends.EmailBackend",
]

MIDDLEWARE = [
    # First, so its line has the final status and the whole time (core/request_log.py).
    "partnerlens.core.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # above whitenoise, so static files get the header too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnerlens.directory.middleware.SessionTimeoutMiddleware",
    "partnerlens.directory.middleware.TwoFactorMiddleware",
    "partnerlens.audit.middleware.RefusalMiddleware",  # records 403/404s of signed-in people
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a lockout into its page
]

ROOT_URLCONF = "partnerlens.urls"
WSGI_APPLICATION = "partnerlens.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "partnerlens" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "partnerlens.context_processors.language_switch",
            ],
        },
    },
]

VAR_DIR = BASE_DIR / "var"  # local state: the embedded database and collected static files
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL"), str(VAR_DIR / "partnerlens.sqlite3"))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: readers never wait for the one writer (docs/deployment.md, Capacity).
    # Django runs "init_command" on each new connection; synchronous stays FULL (durable).
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "directory:partnership_list"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3 * 60 * 60)  # a reset link lasts 3 h

# Sessions (directory/middleware.py): signed out after SESSION_IDLE_MINUTES without a
# request, and SESSION_ABSOLUTE_HOURS after signing in whatever happens; the cookie itself
# expires then too.
SESSION_IDLE_MINUTES = max(1, env_int("SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_HOURS = max(1, env_int("SESSION_ABSOLUTE_HOURS", 12))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 60 * 60

# Sign-in throttle (django-axes): AXES_FAILURE_LIMIT wrong passwords for one name from one
# address lock that pair out for AXES_COOLOFF_MINUTES; other names and addresses are not
# affected. The name is counted in lower case, as the sign-in reads it (directory/backends.py).
AXES_FAILURE_LIMIT = max(1, env_int("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=max(1, env_int("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "partnerlens.directory.backends.throttle_name"
AXES_LOCKOUT_CALLABLE = "partnerlens.directory.account_views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the page can say when to try again
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "new_password1", "new_password2", "old_password"]
# Behind a proxy, the number of proxies whose X-Forwarded-For may be trusted (0: none, so
# the address is the connection's own and cannot be forged by a header).
AXES_TRUSTED_PROXIES = max(0, env_int("AXES_TRUSTED_PROXIES", 0))
if AXES_TRUSTED_PROXIES:
    AXES_IPWARE_PROXY_COUNT = AXES_TRUSTED_PROXIES
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor sign-in (django-otp, TOTP with backup codes): anyone may turn it on; it is
# required of staff and of anyone holding one of TWO_FACTOR_REQUIRED_ROLES in a partnership.
TWO_FACTOR_REQUIRED_ROLES = env_list("TWO_FACTOR_REQUIRED_ROLES", ["broker"])
OTP_TOTP_ISSUER = "Partnerlens"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "partnerlens" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "partnerlens" / "static"]  # GOV.UK Frontend build, our CSS/JS
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "staticfiles")
# Files kept through Django's default storage (on disk here unless STORAGES says otherwise);
# docs/operations.md says how to back them up with the database.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# With STORAGE_S3_BUCKET set, files go to S3-compatible object storage (django-storages),
# which every web and worker process on every machine shares; otherwise to MEDIA_ROOT.
STORAGE_S3_BUCKET = env_str("STORAGE_S3_BUCKET")
MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            # Empty: AWS itself, or the keys and region of the machine's own AWS set-up.
            "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("STORAGE_S3_REGION") or None,
            "access_key": env_str("STORAGE_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("STORAGE_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("STORAGE_S3_PREFIX"),
            # Private files: the app reads them back and serves them itself, after checking
            # who may see them; no public address is ever handed out.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves static files straight from their folders, so the
# demo (`make run`, DEBUG off for friendly error pages) needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Sessions live in the database (Django's default engine, named here on purpose), and so does
# the cache (core/cache.py: the open-link and API rate counts), so any app server can answer
# any request; core's migration 0001 makes the cache table.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "partnerlens.core.cache.DatabaseCache",
        "LOCATION": "partnerlens_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},  # culled beyond this: room for every count
    }
}

# Every message is stored and sent by a background task (partnerlens/outbox), so no page
# fails when the mail server is down; the task sends over OUTBOX_DELIVERY_BACKEND.
EMAIL_BACKEND = "partnerlens.outbox.backend.QueuedEmailBackend"
OUTBOX_DELIVERY_BACKEND = env_str(
    "OUTBOX_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Partnerlens <no-reply@partnerlens.localhost>")

INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

# Background tasks (django-tasks): stored in the database and run by `manage.py db_worker`,
# so no broker is needed; several workers may share one PostgreSQL database.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Tasks (mail delivery, release building, matching runs) are enqueued when the asking page's
# transaction commits; tests turn this off and run tasks at once (root conftest.py).
TASKS_ENQUEUE_ON_COMMIT = True
# The demo mail catcher of `make run` (scripts/run) writes a maildir here; the Mailbox page
# (/mailbox/, for staff and DEMO_MAILBOX_READERS) shows it when DEBUG or DEMO_MAILBOX is on.
DEMO_MAILBOX = env_bool("DEMO_MAILBOX", False)
DEMO_MAILBOX_DIR = BASE_DIR / (env_str("DEMO_MAILBOX_DIR") or VAR_DIR / "mailbox")
DEMO_MAILBOX_READERS = env_list("DEMO_MAILBOX_READERS", ["demo@partnerlens.example"])

# Anonymous cycles' receipts are keyed with ANONYMITY_KEY, which is never stored in the
# database (derived from SECRET_KEY when unset; set it so rotating SECRET_KEY keeps them).
# Starting responses from a cycle's open link is limited per client address and per cycle
# within a window (see docs/anonymity.md).
ANONYMITY_KEY = env_str("ANONYMITY_KEY")
OPEN_LINK_STARTS_PER_ADDRESS = max(1, env_int("OPEN_LINK_STARTS_PER_ADDRESS", 10))
OPEN_LINK_STARTS_PER_CYCLE = max(1, env_int("OPEN_LINK_STARTS_PER_CYCLE", 300))
OPEN_LINK_WINDOW_MINUTES = max(1, env_int("OPEN_LINK_WINDOW_MINUTES", 60))
# The API answers one token at most this many requests in any minute (then 429).
API_REQUESTS_PER_MINUTE = max(1, env_int("API_REQUESTS_PER_MINUTE", 600))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp) on every response: only this site's own files run or
# style a page. Pages have no inline script, <style> or style attribute (charts are inline
# SVG drawn with presentation attributes, which a policy does not restrict); a template that
# truly needs an inline script or <style> gives it nonce="{{ request.csp_nonce }}", and
# django-csp then adds that request's nonce to the header. See docs/deployment.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers probe the servers directly over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs go to stderr through one handler whose filters (partnerlens/core/request_log.py) stamp
# each line with its request id and keep link tokens, query strings, credentials and request
# bodies out of it. LOG_FORMAT json (production's default) writes one JSON object a line;
# LOG_REQUESTS (on in production) adds a line per request: method, masked path, status, time.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in ("json", "text"):
    raise SettingError(f"LOG_FORMAT={LOG_FORMAT!r}: use json or text")
LOG_REQUESTS = env_bool("LOG_REQUESTS", PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "partnerlens.core.request_log.RequestIdFilter"},
        "redact": {"()": "partnerlens.core.request_log.RedactFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers give way to the one above, so nothing escapes its filters.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "partnerlens.requests": {"level": "INFO" if LOG_REQUESTS else "WARNING"},
        # SQL and its parameters (answers among them) are never logged, whatever LOG_LEVEL says.
        "django.db.backends": {"level": "INFO"},
    },
}
