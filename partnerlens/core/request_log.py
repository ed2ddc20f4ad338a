"""One log line per request, and the filter that keeps secrets out of every log line.

``RequestLogMiddleware`` (first in settings.MIDDLEWARE) gives each request an id (the
proxy's ``X-Request-ID`` when it sends a sane one, else a new one, echoed back in the
response) and logs ``method``, ``path``, ``status`` and ``duration_ms`` to the
``partnerlens.requests`` logger once the response is ready. The path is masked and its query
string dropped; bodies and headers are never read.

``RedactFilter`` sits on the log handler, so it sees every record, Django's own included
("Not Found: /r/<token>/", the request attached to a server error, a traceback):

- every path in the text is masked: a URL argument that is a secret (``SECRET_ARGS``: the
  respondent, resume, open, invitation and password-reset links) becomes ``[secret]``, and
  a path the URLconf does not know has any token-like part masked;
- query strings are dropped (forms that GET would put answers there);
- API tokens (``pl_...``) and ``Bearer`` credentials are masked wherever they appear;
- extra fields that are not plain numbers or text (a request, a socket) are removed, so
  no formatter can turn them into text that holds a body, a cookie or a header.

``RequestIdFilter`` stamps ``request_id`` on every record made while a request is served.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django.utils import translation

logger = logging.getLogger("partnerlens.requests")

MASK = "[secret]"
# URL arguments that carry a secret: link tokens, the password-reset user and token, and the
# demo mailbox's message keys.
SECRET_ARGS = frozenset({"token", "uidb64", "key"})
REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# A path, alone or in a URL, inside free text: up to a space, a quote or an angle bracket.
PATH_IN_TEXT = re.compile(r"(?P<origin>https?://[^/\s\"'<>]+)?(?P<path>/[^\s\"'<>]*)")
# A path part that looks like a random token: 16 or more URL-safe characters, at least one
# of them a digit, a capital or "_" (so plain lower-case slugs stay readable).
TOKEN_LIKE = re.compile(r"(?=[A-Za-z0-9_-]*[0-9A-Z_])[A-Za-z0-9_-]{16,}")
API_TOKEN = re.compile(r"\bpl_[A-Za-z0-9_-]{8,}")
BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+")

# What a LogRecord holds of its own; anything else on a record is an "extra".
STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "partnerlens_request_id", default=None
)


def _resolve(path: str):
    """The URL match for ``path`` in whichever language its prefix names (the /cy/ pages
    resolve only while Welsh is active), or None."""
    language = settings.LANGUAGE_CODE
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/"):
            language = code
    try:
        with translation.override(language):
            return resolve(path)
    except (Resolver404, ValueError):
        return None


def mask_path(path: str, match=None) -> str:
    """``path`` without its query string, with every secret in it replaced by MASK; ``match``
    is the path's URL match when the caller has it (saves resolving again)."""
    path = path.split("?", 1)[0].split("#", 1)[0]
    match = match or _resolve(path)
    if match is not None:
        secrets = {str(v) for k, v in match.kwargs.items() if k in SECRET_ARGS and v}
        return "/".join(MASK if part in secrets else part for part in path.split("/"))
    return "/".join(MASK if TOKEN_LIKE.fullmatch(part) else part for part in path.split("/"))


def mask_text(text: str) -> str:
    """``text`` with every path in it masked, and API tokens and credentials hidden."""
    text = API_TOKEN.sub(f"pl_{MASK}", text)
    text = BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    return PATH_IN_TEXT.sub(lambda m: (m.group("origin") or "") + mask_path(m.group("path")), text)


class RedactFilter(logging.Filter):
    """Masks secrets in a record's message, traceback and extra fields (see the module)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == logger.name:
            return True  # the request lines, made from masked paths and numbers only
        try:
            record.msg, record.args = mask_text(record.getMessage()), None
        except Exception:  # a message that cannot be formatted is not worth a secret
            record.msg, record.args = "(unformattable log message)", None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_info, record.exc_text = None, mask_text(text)
        elif record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        for name in [n for n in vars(record) if n not in STANDARD_ATTRS]:
            value = getattr(record, name)
            if isinstance(value, str):
                setattr(record, name, mask_text(value))
            elif not (value is None or isinstance(value, (bool, int, float))):
                delattr(record, name)
        return True


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (None outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = _request_id.get()
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get(REQUEST_ID_HEADER, "")
        request_id = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
        # Kept until the response is closed (request_finished), so Django's own lines about
        # this request ("Not Found: ...", written after the middleware returns) carry it too.
        _request_id.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        response["X-Request-ID"] = request_id
        path = mask_path(request.path, getattr(request, "resolver_match", None))
        logger.info(
            "%s %s %s %sms",
            request.method,
            path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


@receiver(request_finished, dispatch_uid="partnerlens.core.request_log.forget_request_id")
def forget_request_id(**kwargs) -> None:
    _request_id.set(None)
