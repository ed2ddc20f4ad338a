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


def all_verbs() -> dict[str, str]:
    """Each constant's name and its verb."""
    return {name: value for name, value in globals().items() if name.isupper()}
