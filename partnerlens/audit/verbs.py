"""Every verb the audit log records, in one place: ``record(actor, verbs.CYCLE_OPENED, ...)``.

A verb is stored as text in ``AuditEvent.verb`` (at most 60 characters) and filtered on in
the admin and in tests, so a stored verb is never renamed: old entries would stop matching.
Add a new one here, under its app, before using it.
"""

from __future__ import annotations

# directory
PARTNERSHIP_CREATED = "partnership.created"
PARTNERSHIP_UPDATED = "partnership.updated"
ORGANISATION_CREATED = "organisation.created"
MEMBERSHIP_ADDED = "membership.added"
MEMBERSHIP_ENDED = "membership.ended"
INVITATION_SENT = "invitation.sent"  # a role invitation (to join a partnership)
INVITATION_ACCEPTED = "invitation.accepted"
ACCOUNT_CREATED = "account.created"
ROLE_GRANTED = "role.granted"
ROLE_ENDED = "role.ended"
DATA_IMPORTED = "data_imported"  # a data file imported; detail holds its sha256

# frameworks
FRAMEWORK_IMPORTED = "framework.imported"
FRAMEWORK_PUBLISHED = "framework.published"
FRAMEWORK_DRAFT_STARTED = "framework.draft_started"
FRAMEWORK_FLEXED = "framework.flexed"
FRAMEWORK_THEME_ADDED = "framework.theme_added"
FRAMEWORK_THEME_REMOVED = "framework.theme_removed"
FRAMEWORK_QUESTION_ADDED = "framework.question_added"
FRAMEWORK_QUESTION_UPDATED = "framework.question_updated"
FRAMEWORK_QUESTION_REMOVED = "framework.question_removed"
FRAMEWORK_THEME_UPDATED = "framework.theme_updated"
FRAMEWORK_THEME_MOVED = "framework.theme_moved"
FRAMEWORK_QUESTION_MOVED = "framework.question_moved"
FRAMEWORK_DETAILS_UPDATED = "framework.details_updated"
FRAMEWORK_DRAFT_DISCARDED = "framework.draft_discarded"

# enquiries
CYCLE_CREATED = "cycle.created"
CYCLE_OPENED = "cycle.opened"
CYCLE_CLOSED = "cycle.closed"
CYCLE_PUBLISHED = "cycle.published"
CYCLE_INVITED = "cycle.invited"  # cycle invitations (emails asking people to respond) sent
CYCLE_REMINDED = "cycle.reminded"
CYCLE_PUBLIC_LINK = "cycle.public_link"  # stored verbs keep their first name: an open link
CYCLE_DATES_CHANGED = "cycle.dates_changed"  # opening or closing date moved
CYCLE_TEXTS_CHANGED = "cycle.texts_changed"  # title or introduction, in either language
INVITEE_CORRECTED = "invitee.corrected"  # address corrected, invitation sent again
INVITEE_REMOVED = "invitee.removed"
INVITEE_RESENT = "invitee.resent"  # a failed invitation sent again

# insights
INSIGHTS_SETTINGS_CHANGED = "insights.settings_changed"
INSIGHTS_REBUILT = "insights.rebuilt"
INSIGHTS_RELEASED = "insights.released"
INSIGHTS_RELEASE_WITHHELD = "insights.release_withheld"

# brokerage
BROKERAGE_AREAS_SAVED = "brokerage.areas_saved"
BROKERAGE_ASSESSMENTS_DERIVED = "brokerage.assessments_derived"
BROKERAGE_ASSESSMENT_ADJUSTED = "brokerage.assessment_adjusted"
BROKERAGE_OFFER_DECLARED = "brokerage.offer_declared"
BROKERAGE_SCENARIO_CREATED = "brokerage.scenario_created"
BROKERAGE_SCENARIO_RUN = "brokerage.scenario_run"
BROKERAGE_PIN_REMOVED = "brokerage.pin_removed"
BROKERAGE_EXCLUSION_REMOVED = "brokerage.exclusion_removed"
BROKERAGE_MATCH_ACCEPTED = "brokerage.match_accepted"
BROKERAGE_MATCH_REJECTED = "brokerage.match_rejected"
BROKERAGE_MATCH_PINNED = "brokerage.match_pinned"
BROKERAGE_PAIR_EXCLUDED = "brokerage.pair_excluded"
BROKERAGE_PROGRESS_RECORDED = "brokerage.progress_recorded"
BROKERAGE_SUPPORT_ENDED = "brokerage.support_ended"

# impact (registrations and estimates)
IMPACT_REGISTERED = "impact.registered"  # detail: measure, start year, schools, spec hash
IMPACT_ESTIMATE_REQUESTED = "impact.estimate_requested"
IMPACT_OWN_MEASURE_CREATED = "impact.own_measure_created"  # a partnership's own measure defined
IMPACT_OWN_MEASURE_CHANGED = "impact.own_measure_changed"  # its names or units in either language
IMPACT_OWN_MEASURE_UPLOADED = "impact.own_measure_uploaded"  # detail: rows, created, updated

# actions (action plans, evidence, activities, benefits)
ACTION_CREATED = "action.created"
ACTION_CHANGED = "action.changed"  # detail: the fields changed, by name
ACTION_UPDATE_ADDED = "action.update_added"
EVIDENCE_ADDED = "evidence.added"  # detail: kind, and a file's type and size
EVIDENCE_CHANGED = "evidence.changed"  # its wording in either language; detail: the fields
ACTIVITY_RECORDED = "activity.recorded"
ACTIVITY_CHANGED = "activity.changed"  # its wording in either language; detail: the fields
BENEFIT_RECORDED = "benefit.recorded"
BENEFIT_CHANGED = "benefit.changed"  # its wording in either language; detail: the fields

# triggers (early-warning indicators and the triggers they raise)
TRIGGERS_INDICATOR_SAVED = "triggers.indicator_saved"
TRIGGERS_RAISED = "triggers.raised"
TRIGGERS_STATUS_CHANGED = "triggers.status_changed"

# network (who works with whom)
NETWORK_REQUESTED = "network.requested"  # a fresh snapshot asked for; detail: the day, if one

# api (names of events, not secrets: hence the noqa for bandit's password rule, S105)
API_TOKEN_CREATED = "api.token_created"  # noqa: S105
API_TOKEN_REVOKED = "api.token_revoked"  # noqa: S105
API_TOKEN_USED = "api.token_used"  # noqa: S105 (one per request a token opens; method, path)
API_TOKEN_REFUSED = "api.token_refused"  # noqa: S105 (revoked, expired, or read-only writing)

# access (audit app): sign-ins, refusals and downloads; models.ACCESS_VERBS lists them
ACCOUNT_SIGNED_IN = "account.signed_in"  # a password accepted (a second factor may follow)
ACCOUNT_SIGN_IN_FAILED = "account.sign_in_failed"  # object: the account named, if any
ACCOUNT_LOCKED_OUT = "account.locked_out"  # django-axes refused a name from an address
ACCESS_REFUSED = "access.refused"  # a signed-in person given 403 or 404 by one of our pages
EXPORT_DOWNLOADED = "export.downloaded"  # detail: which export and format, never its content

# privacy: a person's data exported or erased (detail: the person's pseudonym and counts)
PRIVACY_EXPORT_ASKED = "privacy.export_asked"
PRIVACY_ERASED = "privacy.erased"
PRIVACY_RETENTION_APPLIED = "privacy.retention_applied"


def all_verbs() -> dict[str, str]:
    """Each constant's name and its verb."""
    return {name: value for name, value in globals().items() if name.isupper()}
