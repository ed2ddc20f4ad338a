"""What the every-page browser test visits: every named URL of the project, read from the
URLconf, each either visited (as the personas that may see it) or skipped with a reason.

Who may see a page comes from the project's persona table (``test_personas.EXPECTED``),
where the addresses come from too (``test_personas.address``), so a page gains its row there
once and is visited here from then on. A URL that is neither visited nor skipped below fails
``test_every_url_is_visited_or_skipped``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from partnerlens.tests.test_personas import EXPECTED, GET, address

# The personas whose view of a page is visited, when they may see it (a 200 in EXPECTED).
# ``anonymous`` is also the respondent holding a link. The outsider, the lead of the other
# partnership and the superuser see the same templates as these; a page only they can see
# is visited as the first of them that can.
VISITORS = ("anonymous", "member", "lead", "broker", "staff")
WIDTHS = (320, 1280)
LANGUAGES = ("en", "cy")

# Named URLs that are not pages, each with the reason.
SKIPPED = {
    "healthz": "plain text for the load balancer, not a page",
    "readyz": "JSON for the load balancer and monitoring, not a page",
    "set_language": "POST-only: the language switch in every page's header posts here",
    "logout": "POST-only: the Sign out button in every page's header posts here",
    "frameworks:download_yaml": "a download (YAML file)",
    "frameworks:download_json": "a download (JSON file)",
    "enquiries:reflections_export": "a download (CSV or text file)",
    "insights:download": "a download (CSV, XLSX or PDF file)",
    "privacy:download": "a download (JSON file)",
    "actions:evidence_download": "a download (an evidence document)",
    "impact:own_measure_download": "a download (CSV file)",
    "summary:download": "a download (the summary as a PDF file)",
    "two_factor_verify": "shown only between a password and its code, to someone with an "
    "authenticator; every persona here has passed or needs no second factor",
    "outbox:mailbox": "the demo mail catcher's page, on only under make run (DEMO_MAILBOX)",
    "outbox:message": "the demo mail catcher's page, on only under make run (DEMO_MAILBOX)",
}
SKIPPED_PREFIXES = {
    "admin:": "Django's own administration pages, not Partnerlens templates",
    "api_v1:": "the JSON API (docs/api.md), not pages: Schemathesis checks it (api/tests)",
}
# Pages whose view is Django's own (so they have no row in EXPECTED): who sees them.
DJANGO_PAGES = {
    "login": ("anonymous",),
    "password_reset": ("anonymous",),
    "password_reset_done": ("anonymous",),
    "password_reset_complete": ("anonymous",),
    "password_change": ("lead",),
    "password_change_done": ("lead",),
}
# More than one state of the same page: another template branch worth a visit.
VARIANTS = {
    "enquiries:cycle": {"published": lambda w: {"pk": w["results_cycle"].pk}},
    "impact:estimate": {
        "estimated": lambda w: {"pk": w["a"].pk, "estimate_pk": w["impact_estimated"].pk}
    },
    "frameworks:version": {
        "published": lambda w: {"pk": w["a"].pk, "version_pk": w["published"].pk}
    },
}


@dataclass(frozen=True)
class Visit:
    name: str
    variant: str
    persona: str
    kwargs: dict

    def path(self, language: str) -> str:
        with translation.override(language):
            return reverse(self.name, kwargs=self.kwargs)

    def __str__(self):
        variant = f" ({self.variant})" if self.variant else ""
        return f"{self.name}{variant} as {self.persona}"


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """Every named URL in the URLconf, whoever's view it is, in URLconf order."""
    names = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            names += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name not in names:
                names.append(name)
    return names


def skip_reason(name: str) -> str | None:
    if name in SKIPPED:
        return SKIPPED[name]
    for prefix, reason in SKIPPED_PREFIXES.items():
        if name.startswith(prefix):
            return reason
    row = EXPECTED.get(name)
    if row and row[0] != GET:
        return "POST-only (test_personas.EXPECTED): the page holding its form is visited"
    return None


def personas_for(name: str) -> tuple[str, ...]:
    """Who is shown the page: the visitors with a 200 in EXPECTED, else the first who is."""
    if name in DJANGO_PAGES:
        return DJANGO_PAGES[name]
    row = EXPECTED.get(name)
    if row is None:
        return ()
    from partnerlens.tests.world import PERSONAS

    seeing = [p for p, outcome in zip(PERSONAS, row[1:], strict=True) if outcome == 200]
    return tuple(p for p in VISITORS if p in seeing) or tuple(seeing[:1])


def visits(name: str, world: dict) -> list[Visit]:
    states = {"": lambda w: address(name, w), **VARIANTS.get(name, {})}
    return [
        Visit(name, variant, persona, kwargs(world))
        for variant, kwargs in states.items()
        for persona in personas_for(name)
    ]
