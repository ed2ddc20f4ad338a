"""Every URL of every Partnerlens app, against every persona.

``EXPECTED`` has one row per URL name: the method the page is reached by, then what each
persona gets (its columns are ``world.PERSONAS``). The URL patterns are read from the
URLconf itself, so a new URL whose view lives in Partnerlens fails
``test_every_url_has_a_row`` until someone says who may reach it. The addresses point at
partnership A's objects (``world.build``); ``lead_b`` leads partnership B.

Outcomes: 200 the page; 302 a redirect that is the page's own answer (a change made, or a
signed-in visitor sent on); ``IN`` sent to sign in; 403 refused inside the partnership;
404 not found, which is how a partnership hides from people outside it.

The apps' own tests try the POSTs of every form and prove that refused requests change
nothing; this table proves the boundary of every address in one place.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerlens.tests.world import PERSONAS

IN = "sign in"
GET, POST = "get", "post"

# fmt: off
EXPECTED = {
    # name                              method  anon outsider member lead lead_b broker staff super
    "home":                             (GET,   200, 302, 302, 302, 302, 302, 302, 302),
    "healthz":                          (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "readyz":                           (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    # accounts: each person's own; the two-factor pages send on whoever has no use for them
    "account":                          (GET,   IN,  200, 200, 200, 200, 200, 200, 200),
    "two_factor_verify":                (GET,   IN,  302, 302, 302, 302, 302, 302, 302),
    "two_factor_setup":                 (GET,   IN,  200, 200, 200, 200, 302, 302, 302),
    "two_factor_backup_codes":          (POST,  IN,  302, 302, 302, 302, 302, 302, 302),
    "two_factor_remove":                (POST,  IN,  302, 302, 302, 302, 302, 302, 302),
    "password_reset_confirm":           (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    # directory: reading a partnership is for its members; changing it for its lead
    "directory:partnership_list":       (GET,   IN,  200, 200, 200, 200, 200, 200, 200),
    "directory:partnership_create":     (GET,   IN,  200, 200, 200, 200, 200, 200, 200),
    "directory:partnership_detail":     (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "directory:partnership_edit":       (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "directory:member_add":             (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "directory:partner_organisation_add": (GET, IN,  404, 403, 200, 404, 403, 404, 200),
    "directory:membership_end":         (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "directory:person_invite":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "directory:role_end":               (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    # an invitation is its invited address's: anyone else signed in is shown whose it is
    "directory:accept_invitation":      (GET,   200, 403, 403, 403, 403, 403, 403, 403),
    # brokerage: brokering is for brokers and the lead; support is seen by every member
    "brokerage:home":                   (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "brokerage:areas":                  (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:profile_list":           (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:profiles_derive":        (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "brokerage:profile_detail":         (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:assessment_adjust":      (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:offer_list":             (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:offer_edit":             (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:scenario_create":        (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:scenario_detail":        (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:scenario_run":           (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "brokerage:match_decide":        (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "brokerage:match_accept":           (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "brokerage:pin_remove":             (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "brokerage:exclusion_remove":       (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "brokerage:support_list":           (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "brokerage:support_detail":         (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "brokerage:support_end":            (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    # frameworks: members read them; the lead flexes, edits, publishes and uploads (remove,
    # publish and discard are confirmation pages on GET; their POSTs are in frameworks' tests)
    "frameworks:list":                  (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "frameworks:upload":                (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:version":               (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "frameworks:flex":                  (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:publish":               (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:start_draft":           (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    "frameworks:add_theme":             (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:add_question":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:remove_question":       (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:discard":               (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:edit_details":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:preview":               (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "frameworks:edit_theme":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:move_theme":            (POST,  IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:remove_theme":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:edit_question":         (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:move_question":         (POST,  IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:add_option":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:edit_option":           (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:remove_option":         (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "frameworks:download_yaml":         (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "frameworks:download_json":         (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    # enquiries: respondents' pages answer to the link alone, whoever is signed in
    "enquiries:start":                  (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:theme":                  (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:review":                 (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:submit":                 (POST,  302, 302, 302, 302, 302, 302, 302, 302),
    "enquiries:submitted":              (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:resume_link":            (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:open_link":                 (GET,   200, 200, 200, 200, 200, 200, 200, 200),
    "enquiries:cycle_list":             (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "enquiries:cycle_create":           (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:cycle":                  (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "enquiries:invite":                 (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:cycle_texts":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:reflection":             (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "enquiries:cycle_dates":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:cycle_action":           (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    "enquiries:reflections_export":     (GET,   IN,  200, 200, 200, 200, 200, 200, 200),
    # invitees: the cycle's leads only (removing asks first; its POST is in enquiries' tests)
    "enquiries:invitees":               (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:invitee_correct":        (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:invitee_remove":         (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "enquiries:invitee_resend":         (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    "enquiries:invitees_resend_failed": (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    # the demo Mailbox exists only when DEBUG or DEMO_MAILBOX is on (off in tests)
    "outbox:mailbox":                   (GET,   IN,  404, 404, 404, 404, 404, 404, 404),
    "outbox:message":                   (GET,   IN,  404, 404, 404, 404, 404, 404, 404),
    # insights: a published cycle's results are every member's; the settings the lead's
    "insights:cycle_list":              (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "insights:settings":                (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "insights:dashboard":               (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "insights:download":                (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "insights:download_status":         (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "insights:release_retry":           (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    # api: every member reads what the API is; the lead makes and revokes tokens
    "api:tokens":                       (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "api:token_create":                 (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "api:token_revoke":                 (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    # impact's outcome panel: seen by those who see impact; own measures uploaded by the lead
    "impact:panel":                     (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "impact:own_measures":              (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "impact:own_measure_upload":        (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "impact:own_measure_edit":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "impact:own_measure_download":      (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    # impact's estimates: leaders, governors and brokers see them; the lead registers and runs
    "impact:home":                      (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "impact:registration_create":       (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "impact:registration":              (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "impact:estimate_create":           (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "impact:estimate":                  (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "impact:estimate_run":              (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    "impact:family":                    (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    # triggers: the partnership's leaders see early warnings; its lead agrees the indicators
    "triggers:register":                (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "triggers:heatmap":                 (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "triggers:detail":                  (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "triggers:indicators":              (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "triggers:recommended":             (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    "triggers:indicator_create":        (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "triggers:indicator_edit":          (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "triggers:evaluate":                (POST,  IN,  404, 403, 302, 404, 403, 404, 302),
    # network: the same readers as early warnings; brokers and the lead ask for it afresh
    "network:home":                     (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "network:isolated":                 (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "network:organisation":             (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "network:mismatched":               (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "network:refresh":                  (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    "network:start_scenario":           (POST,  IN,  404, 403, 302, 404, 302, 404, 302),
    # the governors' impact and value summary: those who see impact (leaders, governors)
    "summary:page":                     (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    "summary:download":                 (GET,   IN,  404, 403, 200, 404, 200, 404, 200),
    # actions: every member sees the plan, evidence, activities and benefits; the lead makes
    # and changes them; an action's owner (A's member) adds updates and evidence to it, and
    # changes the wording of that evidence
    "actions:plan":                     (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:action_create":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "actions:moved":                    (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:action_detail":            (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:action_edit":              (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "actions:evidence_list":            (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:evidence_add":             (GET,   IN,  404, 200, 200, 404, 403, 404, 200),
    "actions:evidence_download":        (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:evidence_edit":            (GET,   IN,  404, 200, 200, 404, 403, 404, 200),
    "actions:activity_list":            (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:activity_add":             (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "actions:activity_edit":            (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "actions:benefits":                 (GET,   IN,  404, 200, 200, 404, 200, 404, 200),
    "actions:benefit_add":              (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    "actions:benefit_edit":             (GET,   IN,  404, 403, 200, 404, 403, 404, 200),
    # privacy: leads export within their partnerships; only the site admin erases
    "privacy:home":                     (GET,   IN,  404, 404, 200, 200, 404, 404, 200),
    "privacy:download":                 (GET,   IN,  404, 404, 404, 404, 404, 404, 404),
    "privacy:erase":                    (GET,   IN,  404, 404, 404, 404, 404, 404, 200),
}
# fmt: on


def address(name: str, w: dict) -> dict:
    """The URL arguments of each page, pointed at partnership A's objects."""
    a = {"pk": w["a"].pk}
    scenario = {**a, "scenario_pk": w["scenario"].pk}
    version = {**a, "version_pk": w["draft"].pk}
    invitee = {"pk": w["open_cycle"].pk, "invitee_pk": w["open_cycle"].invitees.first().pk}
    return {
        "directory:partnership_detail": a,
        "directory:partnership_edit": a,
        "directory:member_add": a,
        "directory:partner_organisation_add": a,
        "directory:membership_end": {**a, "membership_pk": w["membership"].pk},
        "directory:person_invite": a,
        "directory:role_end": {**a, "role_pk": w["teacher_role"].pk},
        "directory:accept_invitation": {"token": w["invitation_token"]},
        "password_reset_confirm": {"uidb64": "MQ", "token": "not-a-real-token"},
        "brokerage:home": a,
        "brokerage:areas": a,
        "brokerage:profile_list": a,
        "brokerage:profiles_derive": a,
        "brokerage:profile_detail": {**a, "school_pk": w["schools"][0].pk},
        "brokerage:assessment_adjust": {**a, "school_pk": w["schools"][0].pk, "area": "maths"},
        "brokerage:offer_list": a,
        "brokerage:offer_edit": {**a, "school_pk": w["schools"][2].pk},
        "brokerage:scenario_create": a,
        "brokerage:scenario_detail": scenario,
        "brokerage:scenario_run": scenario,
        "brokerage:match_decide": {
            **scenario,
            "proposal_pk": w["proposal"].pk,
            "action": "accept",
        },
        "brokerage:match_accept": {**scenario, "proposal_pk": w["proposal"].pk},
        "brokerage:pin_remove": {**scenario, "pin_pk": w["pin"].pk},
        "brokerage:exclusion_remove": {**scenario, "exclusion_pk": w["exclusion"].pk},
        "brokerage:support_list": a,
        "brokerage:support_detail": {**a, "support_pk": w["support"].pk},
        "brokerage:support_end": {**a, "support_pk": w["support"].pk},
        "frameworks:list": a,
        "frameworks:upload": a,
        "frameworks:version": version,
        "frameworks:flex": {**a, "version_pk": w["base"].pk},
        "frameworks:publish": version,
        "frameworks:start_draft": {**a, "version_pk": w["published"].pk},
        "frameworks:add_theme": version,
        "frameworks:add_question": version,
        "frameworks:remove_question": {**version, "question_pk": w["question"].pk},
        "frameworks:discard": version,
        "frameworks:edit_details": version,
        "frameworks:preview": version,
        "frameworks:edit_theme": {**version, "theme_pk": w["question"].theme_id},
        "frameworks:move_theme": {**version, "theme_pk": w["question"].theme_id},
        "frameworks:remove_theme": {**version, "theme_pk": w["question"].theme_id},
        "frameworks:edit_question": {**version, "question_pk": w["question"].pk},
        "frameworks:move_question": {**version, "question_pk": w["question"].pk},
        "frameworks:add_option": {**version, "question_pk": w["question"].pk},
        "frameworks:edit_option": {**version, "option_pk": w["question"].options.first().pk},
        "frameworks:remove_option": {**version, "option_pk": w["question"].options.first().pk},
        "frameworks:download_yaml": version,
        "frameworks:download_json": version,
        "enquiries:start": {"token": w["token"]},
        "enquiries:theme": {"token": w["token"], "number": 1},
        "enquiries:review": {"token": w["token"]},
        "enquiries:submit": {"token": w["token"]},
        "enquiries:resume_link": {"token": w["token"]},
        "enquiries:open_link": {"token": w["open_link_token"]},
        "enquiries:cycle_list": {"partnership_pk": w["a"].pk},
        "enquiries:cycle_create": {"partnership_pk": w["a"].pk},
        "enquiries:cycle": {"pk": w["open_cycle"].pk},
        "enquiries:invite": {"pk": w["open_cycle"].pk},
        "enquiries:cycle_texts": {"pk": w["open_cycle"].pk},
        "enquiries:reflection": {"pk": w["open_cycle"].pk},
        "enquiries:cycle_dates": {"pk": w["open_cycle"].pk},
        "enquiries:cycle_action": {"pk": w["open_cycle"].pk, "action": "remind"},
        "enquiries:reflections_export": {"fmt": "csv"},
        "enquiries:invitees": {"pk": w["open_cycle"].pk},
        "enquiries:invitee_correct": invitee,
        "enquiries:invitee_remove": invitee,
        "enquiries:invitee_resend": invitee,
        "enquiries:invitees_resend_failed": {"pk": w["open_cycle"].pk},
        "outbox:message": {"key": "no-such-message"},
        "insights:cycle_list": {"partnership_pk": w["a"].pk},
        "insights:settings": {"partnership_pk": w["a"].pk},
        "insights:dashboard": {"pk": w["results_cycle"].pk},
        "insights:download": {"pk": w["results_cycle"].pk, "identifier": "csv"},
        "insights:download_status": {"pk": w["results_cycle"].pk, "identifier": "pdf"},
        "insights:release_retry": {"pk": w["results_cycle"].pk},
        "api:tokens": a,
        "api:token_create": a,
        "api:token_revoke": {**a, "token_pk": w["api_token"].pk},
        "privacy:download": {"pk": 999_999},  # an export of nobody's: each one's own (privacy)
        "actions:plan": a,
        "actions:action_create": a,
        "actions:moved": a,
        "actions:action_detail": {**a, "action_pk": w["action"].pk},
        "actions:action_edit": {**a, "action_pk": w["action"].pk},
        "actions:evidence_list": a,
        "actions:evidence_add": a,
        "actions:evidence_download": {**a, "item_pk": w["evidence"].pk},
        "actions:evidence_edit": {**a, "item_pk": w["evidence"].pk},
        "actions:activity_list": a,
        "actions:activity_add": a,
        "actions:activity_edit": {**a, "activity_pk": w["activity"].pk},
        "actions:benefits": a,
        "actions:benefit_add": a,
        "actions:benefit_edit": {**a, "benefit_pk": w["benefit"].pk},
        "triggers:register": a,
        "triggers:heatmap": a,
        "triggers:detail": {**a, "trigger_pk": w["trigger"].pk},
        "triggers:indicators": a,
        "triggers:recommended": a,
        "triggers:indicator_create": a,
        "triggers:indicator_edit": {**a, "indicator_pk": w["indicator"].pk},
        "triggers:evaluate": a,
        "network:home": a,
        "network:isolated": a,
        "network:organisation": {**a, "org_pk": w["schools"][0].pk},
        "network:mismatched": a,
        "network:refresh": a,
        "network:start_scenario": a,
        "summary:page": a,
        "summary:download": a,
        "impact:panel": a,
        "impact:own_measures": a,
        "impact:own_measure_upload": {**a, "measure_pk": w["own_measure"].pk},
        "impact:own_measure_edit": {**a, "measure_pk": w["own_measure"].pk},
        "impact:own_measure_download": {**a, "measure_pk": w["own_measure"].pk},
        "impact:home": a,
        "impact:registration_create": a,
        "impact:registration": {**a, "registration_pk": w["impact_registration"].pk},
        "impact:estimate_create": a,
        "impact:estimate": {**a, "estimate_pk": w["impact_estimate"].pk},
        "impact:estimate_run": {**a, "estimate_pk": w["impact_estimate"].pk},
        "impact:family": {**a, "group_pk": w["impact_group"].pk},
    }.get(name, {})


def partnerlens_url_names(patterns=None, namespace: str = "") -> set[str]:
    """The name of every URL pattern in the URLconf whose view is Partnerlens code."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            names |= partnerlens_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.callback.__module__.startswith(
            "partnerlens."
        ):
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return IN
    return response.status_code


def test_every_url_has_a_row():
    names = partnerlens_url_names()
    assert len(names) > 50, "the URLconf was not read"
    assert names - set(EXPECTED) == set(), "each new URL needs a row in EXPECTED"
    assert set(EXPECTED) - names == set(), "a row names a URL that no longer exists"


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_persona_gets_what_the_table_says(client, world, db, name):
    method, *expected = EXPECTED[name]
    url = reverse(name, kwargs=address(name, world))
    got = []
    for persona in PERSONAS:
        with transaction.atomic():  # each persona meets the world as it was built
            if persona == "anonymous":
                client.logout()
            else:
                client.force_login(world[persona])
            got.append(outcome(getattr(client, method)(url)))
            transaction.set_rollback(True)
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, expected, strict=True))
