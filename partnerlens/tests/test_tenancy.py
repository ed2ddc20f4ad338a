"""Nothing of partnership A reaches anyone in partnership B, whatever their role, through any
address of any app, by GET or by POST.

Every URL pattern whose view is Partnerlens code (read from the URLconf, as in
``test_personas``) must have a row in ``SCOPED`` (its address names A's objects) or a written
reason in ``NOT_SCOPED``: a new URL fails ``test_every_url_is_covered`` until it has one.

For each scoped address, the world (``world.build``) is visited by a person in every role of
partnership B (``world.B_PEOPLE``), by someone with no role anywhere, and by an anonymous
visitor; each GETs the page and POSTs the form a lead of A could send there (``SCOPED``).
The address is tried as A's own, and also with B's own containers in front of A's object
(``/partnerships/<B>/scenarios/<B's>/proposals/<A's>/``): the way one partnership's people
might try to reach another's objects through pages they may open. Each answer must be:

* 404, or sign-in for the anonymous (403 only where B's own part of the address is the one
  refused: a member of B without the role that page needs), or 405 (the method not taken,
  before anything is read);
* free of A's names (``a_names``): its partnership, cycles, scenario, framework, people and
  invitees, and the reason given for a school's need;
* without a write to the database: no INSERT, UPDATE or DELETE but the session's and the
  audit log's own ``access.refused`` entry (caught statement by statement), and the same
  number of rows in every table after the sweep of each address;
* recorded: one ``access.refused`` entry for each 403 or 404 given to a signed-in person.

``test_the_forms_would_change_a_for_its_own_lead`` proves each POST body is one that works:
A's own lead sending it writes to the database. ``test_a_lead_sees_every_name_checked``
proves each of A's names can be found on a page, so their absence means something; and
``test_the_sweep_catches_a_helper_that_forgets_the_partnership`` breaks one access helper
and watches the sweep name the crossing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from conftest import pass_second_factor
from partnerlens.audit import verbs
from partnerlens.audit.models import AuditEvent
from partnerlens.directory.models import PartnershipRole, Role
from partnerlens.frameworks.schema import to_yaml
from partnerlens.frameworks.services import documents
from partnerlens.tests.test_personas import address, partnerlens_url_names
from partnerlens.tests.world import B_PEOPLE

IN = "sign in"
PERSONAS = ("anonymous", "outsider", *B_PEOPLE)
# Tables a refused request may write: its session, the audit log's record of the refusal,
# and django-axes' own (it logs sign-ins). Anything else written is a crossing.
MAY_WRITE = re.compile(r"^(django_session|audit_auditevent|axes_\w+)$")
OWN_WRITES = re.compile(r"^(django_session|axes_\w+)$")  # what any request may write
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
# The segment before an address argument, when it names a container that B has one of too.
CONTAINER = re.compile(r"(partnerships?|cycles|versions|scenarios)/<(?:int:)?(\w+)>")
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")


def _dates(prefix: str, day=None) -> dict:
    day = day or timezone.localdate()
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _framework_file(w) -> SimpleUploadedFile:
    text = to_yaml(documents.export_version(w["base"]))
    return SimpleUploadedFile("ours.yaml", text.encode(), content_type="application/yaml")


def _new_cycle(w) -> dict:
    soon = timezone.localdate() + timedelta(days=14)
    return {
        "title": "Summer review",
        "framework_version": w["base"].pk,
        **_dates("opens_on"),
        **_dates("closes_on", soon),
        "anonymity_mode": "anonymous",
        "audience_roles": ["teacher"],
        "audience_organisations": [school.pk for school in w["schools"]],
    }


def _reflection(w) -> dict:
    prompts = w["open_cycle"].framework_version.reflection_prompts.all()
    return {f"prompt-{prompt.pk}": "We will share planning." for prompt in prompts}


def _own_figures(w) -> SimpleUploadedFile:
    text = f"school,period,value\n{w['schools'][0].urn},2025-26,99\n"
    return SimpleUploadedFile("figures.csv", text.encode(), content_type="text/csv")


def _indicator(w) -> dict:
    return {
        "kind": "progress_drop",
        "name": "Planted by B",
        "targeted_at": "0.5",
        "notify_roles": ["partnership_lead"],
        "deadline_days": "10",
        "active": "on",
    }


def _theme(w) -> int:
    return w["question"].theme_id


NONE: Callable[[dict], dict] = lambda w: {}  # noqa: E731  a page without a form
# What a lead of A could POST at each address; NONE where the page has no form (the POST
# is still sent, empty, in case it is taken).
# fmt: off
SCOPED: dict[str, Callable[[dict], dict]] = {
    "directory:partnership_detail": NONE,
    "directory:partnership_edit": lambda w: {"name": "Renamed by B", "kind": "federation"},
    "directory:member_add": lambda w: {"organisation": w["b"].memberships.get().organisation_id},
    "directory:partner_organisation_add": lambda w: {"name": "B's parents", "kind": "parent_group"},
    "directory:membership_end": lambda w: _dates("left"),
    "directory:person_invite": lambda w: {"email": "spy@example.org", "role": "governor"},
    "directory:role_end": lambda w: {"confirm": "yes"},
    "brokerage:home": NONE,
    "brokerage:areas": lambda w: {"areas": ["maths", "english"]},
    "brokerage:profile_list": NONE,
    "brokerage:profiles_derive": lambda w: {"confirm": "yes"},
    "brokerage:profile_detail": NONE,
    "brokerage:assessment_adjust": lambda w: {
        "need_level": "1", "expertise_level": "2", "reason": "Changed from outside"},
    "brokerage:offer_list": NONE,
    "brokerage:offer_edit": lambda w: {
        "capacity_total": "1", "max_km": "", "strength_maths": "2", "capacity_maths": "1"},
    "brokerage:scenario_create": lambda w: {"name": "Taken", "areas": ["maths"], "max_km": "20"},
    "brokerage:scenario_detail": NONE,
    "brokerage:scenario_run": lambda w: {"confirm": "yes"},
    "brokerage:match_decide": lambda w: {"confirm": "yes"},
    "brokerage:match_accept": lambda w: {"confirm": "yes"},
    "brokerage:pin_remove": lambda w: {"confirm": "yes"},
    "brokerage:exclusion_remove": lambda w: {"confirm": "yes"},
    "brokerage:support_list": NONE,
    "brokerage:support_detail": lambda w: {"text": "Noted from outside", **_dates("noted_on")},
    "brokerage:support_end": lambda w: {
        "status": "completed", "reason": "Ended from outside", "confirm": "True",
        **_dates("ended_on")},
    "frameworks:list": NONE,
    "frameworks:upload": lambda w: {"document": _framework_file(w)},
    "frameworks:version": NONE,
    "frameworks:flex": lambda w: {"name_en": "Taken", "themes": ["purpose"]},
    "frameworks:publish": lambda w: {"confirm": "yes"},
    "frameworks:start_draft": lambda w: {"confirm": "yes"},
    "frameworks:add_theme": lambda w: {"title_en": "Planted", "weight": "1"},
    "frameworks:add_question": lambda w: {
        "text_en": "Planted?", "theme": _theme(w), "kind": "agreement", "roles": ["teacher"]},
    "frameworks:remove_question": lambda w: {"confirm": "yes"},
    "frameworks:discard": lambda w: {"confirm": "yes"},
    "frameworks:edit_details": lambda w: {"name_en": "Renamed by B"},
    "frameworks:preview": NONE,
    "frameworks:edit_theme": lambda w: {"title_en": "Renamed by B", "weight": "2"},
    "frameworks:move_theme": lambda w: {"direction": "down"},
    "frameworks:remove_theme": lambda w: {"confirm": "yes"},
    "frameworks:edit_question": lambda w: {"text_en": "Renamed by B?", "roles": ["teacher"]},
    "frameworks:move_question": lambda w: {"direction": "down"},
    "frameworks:add_option": lambda w: {"label_en": "Planted", "score": "2.5"},
    "frameworks:edit_option": lambda w: {"label_en": "Renamed by B"},
    "frameworks:remove_option": lambda w: {"confirm": "yes"},
    "frameworks:download_yaml": NONE,
    "frameworks:download_json": NONE,
    "enquiries:cycle_list": NONE,
    "enquiries:cycle_create": _new_cycle,
    "enquiries:cycle": NONE,
    "enquiries:invite": lambda w: {"rows": "eve@example.org,Eve,Teacher,Ash Primary"},
    "enquiries:cycle_texts": lambda w: {"title": "Renamed by B", "introduction": ""},
    "enquiries:reflection": _reflection,
    "enquiries:cycle_dates": lambda w: {
        **_dates("opens_on"), **_dates("closes_on", timezone.localdate() + timedelta(days=30)),
        "confirm": "yes"},
    "enquiries:cycle_action": lambda w: {"confirm": "yes"},
    "enquiries:invitees": NONE,
    "enquiries:invitee_correct": lambda w: {"email": "ann.moved@example.org"},
    "enquiries:invitee_remove": lambda w: {"confirm": "yes"},
    "enquiries:invitee_resend": lambda w: {"confirm": "yes"},
    "enquiries:invitees_resend_failed": lambda w: {"confirm": "yes"},
    "insights:cycle_list": NONE,
    "insights:settings": lambda w: {
        "min_group_size": "7", "min_parent_group_size": "10", "share_benchmarks": "yes"},
    "insights:dashboard": NONE,
    "insights:download": NONE,
    "insights:release_retry": lambda w: {"confirm": "yes"},
    "insights:download_status": lambda w: {"confirm": "yes"},
    "impact:panel": NONE,
    "impact:own_measures": lambda w: {"name": "Planted by B", "unit": "%"},
    "impact:own_measure_upload": lambda w: {"document": _own_figures(w)},
    "impact:own_measure_edit": lambda w: {"name": "Renamed by B", "name_cy": "Ailenwyd gan B"},
    "impact:own_measure_download": NONE,
    "impact:home": NONE,
    "impact:registration_create": lambda w: {
        "question": "Planted by B", "measure": "ks2.rwm_exp_pct",
        "schools": [school.pk for school in w["schools"]], "start_year": "2018"},
    "impact:registration": NONE,
    "impact:estimate_create": lambda w: {
        "measure": "ks2.rwm_exp_pct", "schools": [school.pk for school in w["schools"]],
        "start_year": "2018"},
    "impact:estimate": NONE,
    "impact:estimate_run": lambda w: {"confirm": "yes"},
    "impact:family": NONE,
    "triggers:register": NONE,
    "triggers:heatmap": NONE,
    "triggers:detail": lambda w: {"status": "resolved"},
    "triggers:indicators": NONE,
    "triggers:recommended": lambda w: {"confirm": "yes"},
    "triggers:indicator_create": _indicator,
    "triggers:indicator_edit": _indicator,
    "triggers:evaluate": lambda w: {"confirm": "yes"},
    "network:home": NONE,
    "network:isolated": NONE,
    "network:organisation": NONE,
    "network:mismatched": NONE,
    "network:refresh": lambda w: {"confirm": "yes"},
    "network:start_scenario": lambda w: {"la": w["schools"][0].la_code},
    "summary:page": NONE,
    "summary:download": NONE,
    "actions:plan": NONE,
    "actions:action_create": lambda w: {
        "title": "Planted by B", "owner": w["lead"].pk, **_dates("start_on"),
        **_dates("due_on"), "status": "planned"},
    "actions:moved": NONE,
    "actions:action_detail": lambda w: {
        "text": "Noted from outside", "language": "en", **_dates("noted_on")},
    "actions:action_edit": lambda w: {
        "title": "Renamed by B", "owner": w["lead"].pk, **_dates("start_on", w["action"].start_on),
        **_dates("due_on", w["action"].due_on), "status": "done"},
    "actions:evidence_list": NONE,
    "actions:evidence_add": lambda w: {"kind": "note", "title": "Planted", "text": "From B"},
    "actions:evidence_download": NONE,
    "actions:evidence_edit": lambda w: {"title": "Renamed by B", "title_cy": "Ailenwyd gan B"},
    "actions:activity_list": NONE,
    "actions:activity_add": lambda w: {
        "title": "Planted", "kind": "meeting", **_dates("held_on"), "hours": "1", "cost": "0"},
    "actions:activity_edit": lambda w: {"title": "Renamed by B", "notes": "From B"},
    "actions:benefits": NONE,
    "actions:benefit_add": lambda w: {
        "category": "standards", "state": "expected", "description": "Planted by B"},
    "actions:benefit_edit": lambda w: {"description": "Renamed by B"},
    "api:tokens": NONE,
    "api:token_create": lambda w: {"name": "Planted", "scope": "write"},
    "api:token_revoke": lambda w: {"confirm": "yes"},
}
# fmt: on

# Forms that change nothing when A's own lead sends them in this world, and why.
IDLE_FOR_A = {
    "enquiries:invitee_resend": "only a failed invitation is sent again; Ann's was delivered",
    "enquiries:invitees_resend_failed": "no invitation of the cycle has failed",
    "insights:release_retry": "the release was built; there is nothing to retry",
    "enquiries:invitee_remove": "Ann's invitation was delivered, so she may not be removed",
    "enquiries:reflection": "the cycle's framework asks no reflection prompts",
    "triggers:recommended": "A has its indicators; the recommended ones go to one with none",
}

NOT_SCOPED = {
    # not about any partnership: the page is the person's own, or everyone's
    "home": "sends a signed-in person to their partnerships",
    "healthz": "the service's health, the same for everyone",
    "readyz": "the service's readiness, the same for everyone",
    "account": "the signed-in person's own account",
    "two_factor_verify": "the signed-in person's own second factor",
    "two_factor_setup": "the signed-in person's own second factor",
    "two_factor_backup_codes": "the signed-in person's own second factor",
    "two_factor_remove": "the signed-in person's own second factor",
    "directory:partnership_list": "only the person's own partnerships (directory's test_tenancy)",
    "directory:partnership_create": "a new partnership of one's own",
    "enquiries:reflections_export": "only the person's own reflections (enquiries' tests)",
    "enquiries:submitted": "a thank-you page that names no cycle",
    "outbox:mailbox": "the demo's mail catcher, off outside DEBUG (404 for all)",
    "outbox:message": "the demo's mail catcher, off outside DEBUG (404 for all)",
    "privacy:home": "a lead's exports cover only the partnerships they lead (privacy's tests)",
    "privacy:download": "only the requester's own export (privacy's tests)",
    "privacy:erase": "the site admin's only: 404 for everyone else (privacy's tests)",
    # reached by a secret link, whose holder it serves whoever is signed in
    "password_reset_confirm": "a password-reset link, for the account it was made for",
    "directory:accept_invitation": "an invitation link: its page tells others it is not theirs",
    "enquiries:start": "a respondent's own link",
    "enquiries:theme": "a respondent's own link",
    "enquiries:review": "a respondent's own link",
    "enquiries:submit": "a respondent's own link",
    "enquiries:resume_link": "a respondent's own link",
    "enquiries:open_link": "a cycle's open link, shared by the lead with whoever should answer",
}


def routes(patterns=None, namespace: str = "", prefix: str = "") -> dict[str, str]:
    """Each URL name and its whole route, such as ``brokerage/partnerships/<int:pk>/``."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found |= routes(pattern.url_patterns, inner, route)
        elif pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = route
    return found


def addresses(name: str, w: dict) -> list[str]:
    """A's own address, then each with B's containers in front of A's object (the last
    object the address names)."""
    kwargs = {**address(name, w), **ADDRESSED.get(name, lambda w: {})(w)}
    b_has = {
        "partnership": w["b"].pk,
        "partnerships": w["b"].pk,
        "cycles": w["b_cycle"].pk,
        "versions": w["b_draft"].pk,
        "scenarios": w["b_scenario"].pk,
    }
    in_order = [arg for arg in ARGUMENT.findall(ROUTES[name]) if isinstance(kwargs[arg], int)]
    segments = {arg: segment for segment, arg in CONTAINER.findall(ROUTES[name])}
    containers = [arg for arg in in_order[:-1] if segments.get(arg) in b_has]
    found = [reverse(name, kwargs=kwargs)]
    for end in range(1, len(containers) + 1):
        mixed = {**kwargs, **{arg: b_has[segments[arg]] for arg in containers[:end]}}
        found.append(reverse(name, kwargs=mixed))
    return found


# Where these addresses differ from test_personas': flexing starts from A's own published
# framework (a built-in one is B's to flex too), and the cycle action closes A's cycle (a
# reminder changes nothing when none is due).
ADDRESSED = {
    "frameworks:flex": lambda w: {"version_pk": w["published"].pk},
    "enquiries:cycle_action": lambda w: {"action": "close"},
    "insights:download_status": lambda w: {"pk": w["results_cycle"].pk, "identifier": "pdf"},
}
ROUTES = routes()


def a_names(w) -> list[str]:
    names = [
        w["a"].name,
        w["open_cycle"].title,
        w["results_cycle"].title,
        w["scenario"].name,
        w["draft"].framework.slug,
        "ann@example.org",  # invited to the open cycle
        "new.head@example.org",  # invited to a role
        "Local authority review",  # why A's schools need support
        w["api_token"].name,
        w["impact_registration"].question,  # a registered question
        w["action"].title,
        w["evidence"].title,
        w["indicator"].name,
        w["own_measure"].name,
    ]
    return names + [w[key].email for key in ("lead", "member", "broker", "head")]


def writes(captured, allowed=MAY_WRITE) -> list[str]:
    found = (WRITE.match(query["sql"]) for query in captured.captured_queries)
    return sorted({f"{m[1].split()[0]} {m[2]}" for m in found if m and not allowed.match(m[2])})


def row_counts() -> dict[str, int]:
    """The number of rows in every table but those a refusal may write, in one query."""
    models = apps.get_models(include_auto_created=True)
    tables = sorted({m._meta.db_table for m in models if not MAY_WRITE.match(m._meta.db_table)})
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return IN
    return response.status_code


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):
    """A client signed in (and past the second factor) for each persona, once per module."""
    signed_in = {"anonymous": Client()}
    with django_db_blocker.unblock():
        for persona in PERSONAS[1:]:
            signed_in[persona] = Client()
            signed_in[persona].force_login(world[persona])
            pass_second_factor(signed_in[persona], world[persona])
    return signed_in


def test_every_url_is_covered():
    names = partnerlens_url_names()
    assert len(names) > 50, "the URLconf was not read"
    assert names - set(SCOPED) - set(NOT_SCOPED) == set(), "each new URL needs a row here"
    assert (set(SCOPED) | set(NOT_SCOPED)) - names == set(), "a row names a URL no longer there"
    assert set(SCOPED) & set(NOT_SCOPED) == set()


def test_b_has_a_person_in_every_role(world, db):
    people = [world[person] for person in B_PEOPLE]
    held = PartnershipRole.objects.filter(partnership=world["b"], user__in=people)
    assert sorted(held.values_list("role", flat=True)) == sorted(Role.values)


def crossings(world: dict, clients: dict, name: str) -> list[str]:
    """Every way the address ``name`` lets something of A through, as sentences."""
    names = a_names(world)
    before = row_counts()
    refusals = AuditEvent.objects.filter(verb=verbs.ACCESS_REFUSED)
    refused_before, refused = refusals.count(), 0
    problems = []
    for n, url in enumerate(addresses(name, world)):
        allowed = {404, 405} | ({403} if n else set())
        for persona in PERSONAS:
            for method in ("get", "post"):
                data = SCOPED[name](world) if method == "post" else None
                with CaptureQueriesContext(connection) as captured:
                    response = getattr(clients[persona], method)(url, data)
                got = outcome(response)
                if persona != "anonymous" and got in (403, 404):
                    refused += 1
                if got not in (allowed | {405, IN} if persona == "anonymous" else allowed):
                    problems.append(f"{method} {url} as {persona}: {got}")
                shown = [text for text in names if text in body(response)]
                if shown:
                    problems.append(f"{method} {url} as {persona} shows {shown}")
                if written := writes(captured):
                    problems.append(f"{method} {url} as {persona} wrote {written}")
    if row_counts() != before:
        problems.append("the number of rows changed")
    if refusals.count() - refused_before != refused:
        problems.append("a refusal went unrecorded")
    return problems


@pytest.mark.parametrize("name", sorted(SCOPED))
def test_nothing_of_a_crosses_to_b(world, clients, db, name):
    assert crossings(world, clients, name) == []


FORMS = sorted(name for name, form in SCOPED.items() if form is not NONE)


@pytest.mark.parametrize("name", [name for name in FORMS if name not in IDLE_FOR_A])
def test_the_forms_would_change_a_for_its_own_lead(world, db, client, name):
    client.force_login(world["lead"])
    url = addresses(name, world)[0]
    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        response = client.post(url, SCOPED[name](world))
        transaction.set_rollback(True)
    assert response.status_code in (200, 302), response.status_code
    assert writes(captured, OWN_WRITES), (
        f"A's lead posting this form changed nothing: {body(response)[:3000]}"
    )


def test_a_lead_sees_every_name_checked(world, db, client):
    client.force_login(world["lead"])
    pages = "".join(
        body(client.get(addresses(name, world)[0])) for name in SCOPED if SCOPED[name] is NONE
    )
    pages += body(client.get(reverse("directory:partnership_detail", args=[world["a"].pk])))
    assert [text for text in a_names(world) if text not in pages] == []


def test_the_sweep_catches_a_helper_that_forgets_the_partnership(world, clients, db, monkeypatch):
    """Break one access helper as a slip would (look a scenario up by its key alone), and
    the sweep must name the crossing: B's broker reading A's scenario through B's address."""
    from partnerlens.brokerage import views
    from partnerlens.brokerage.models import Scenario

    def forgetful(access, pk):
        access.require("broker")
        return Scenario.objects.select_related("partnership").get(pk=pk)

    monkeypatch.setattr(views, "get_scenario_for_user", forgetful)
    found = crossings(world, clients, "brokerage:scenario_detail")
    mixed = reverse("brokerage:scenario_detail", args=[world["b"].pk, world["scenario"].pk])
    assert f"get {mixed} as b_broker: 200" in found
    [shown] = [problem for problem in found if problem.startswith(f"get {mixed} as lead_b shows")]
    assert "Maths support" in shown  # the scenario's name
