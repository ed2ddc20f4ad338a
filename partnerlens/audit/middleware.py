"""Every refusal of a signed-in person, recorded in one place (settings.MIDDLEWARE).

The apps' access helpers answer "not found" (404) for another partnership's object and
"forbidden" (403) for a role that may not do something; this middleware sees the answer,
whichever helper gave it, and records ``access.refused`` with the page's name, the method
and the address's arguments. An address that names no page of ours (a mistyped URL) is
not a refusal and is not recorded. Secret arguments (a respondent's or invitation's token,
a password-reset key) are left out, so the log never holds a working link.

The entry is written after the view's own transaction has ended, so it stays even though
the refused request changed nothing else. If the log cannot be written (the database is
failing), the refusal still reaches the person as the 403 or 404 it is, never a 500; the
failure goes to the error log.
"""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError, transaction

from partnerlens.audit import verbs
from partnerlens.audit.services import record
from partnerlens.core.request_log import SECRET_ARGS

REFUSALS = frozenset({403, 404})
# URL arguments that carry a secret: the same list the request log masks.
SECRET_ARGUMENTS = SECRET_ARGS
# The address argument that names a partnership: /partnerships/<pk>/, /partnership/<pk>/.
PARTNERSHIP_ARGUMENT = re.compile(r"partnerships?/<(?:int:)?(\w+)>")
logger = logging.getLogger(__name__)


def _partnership_named(match) -> int | None:
    found = PARTNERSHIP_ARGUMENT.search(match.route or "")
    value = match.kwargs.get(found.group(1)) if found else None
    return value if isinstance(value, int) else None


class RefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            response.status_code in REFUSALS
            and match is not None
            and user is not None
            and user.is_authenticated
        ):
            arguments = {
                name: value if isinstance(value, int) else str(value)[:60]
                for name, value in match.kwargs.items()
                if name not in SECRET_ARGUMENTS
            }
            try:
                with transaction.atomic():
                    record(
                        user,
                        verbs.ACCESS_REFUSED,
                        None,
                        partnership_id=_partnership_named(match),
                        status=response.status_code,
                        page=match.view_name,
                        method=request.method,
                        arguments=arguments,
                    )
            except DatabaseError:
                logger.exception("The refusal of %s could not be logged", match.view_name)
        return response
