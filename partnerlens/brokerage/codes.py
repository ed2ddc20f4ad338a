"""What the brokerage codes mean to people, in English and Welsh: the one place that names
support areas, evidence sources and reference groups, and words every message the matching
engine, the audit rule and the loaders return as a code with values (core.messages).

Stored rows keep the codes (`UnmetNeed.reason` + `params`, each evidence source's `code` +
`params`, a run's `skipped` list), so a page shows them in its reader's language.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from partnerlens.core.messages import register, register_labels

# The support areas (engine.areas.DEFAULT_AREAS holds their ids, in this order).
AREA_LABELS = {
    "leadership": _("Leadership and management"),
    "governance": _("Governance"),
    "curriculum": _("Curriculum design"),
    "english": _("English and literacy"),
    "maths": _("Mathematics"),
    "science": _("Science"),
    "send": _("Special educational needs and disabilities"),
    "early_years": _("Early years"),
    "behaviour_attendance": _("Behaviour and attendance"),
    "disadvantaged": _("Disadvantaged pupils"),
    "assessment": _("Assessment"),
    "transition": _("Transition between phases"),
}

# Where a need or expertise level came from (audit.SOURCES).
SOURCE_LABELS = {
    "outcome_data": _("Outcome data"),
    "self_evaluation": _("Self-evaluation"),
    "peer_review": _("Peer review"),
    "broker": _("Broker"),
}

# The schools a figure was ranked against (loaders.PHASE_GROUP; "*" = every school).
GROUP_LABELS = {
    "primary": _("primary schools"),
    "secondary": _("secondary schools"),
    "special": _("special schools"),
    "*": _("schools"),
}

WALES_CATEGORY_LABELS = {
    "Red": _("Red"),
    "Amber": _("Amber"),
    "Yellow": _("Yellow"),
    "Green": _("Green"),
}

register_labels("area", AREA_LABELS)
register_labels("source", SOURCE_LABELS)
register_labels("overall_group", GROUP_LABELS)
register_labels("persistent_group", GROUP_LABELS)
register_labels("category", WALES_CATEGORY_LABELS)

register(
    {
        # Why a need went unmet (engine.UnmetReason; params from engine.explain).
        "unmet.no_offer": _("No other school offers %(area)s."),
        "unmet.out_of_range": _(
            "No school offering %(area)s is within reach (%(limit_km)s km, or less where the "
            "supporter travels less far); the nearest is %(nearest_km).1f km away."
        ),
        "unmet.incompatible": _(
            "Every school offering %(area)s within reach has a phase or language of "
            "instruction that cannot pair with this school."
        ),
        "unmet.excluded": _("Every compatible school offering %(area)s within reach is excluded."),
        "unmet.capacity": ngettext_lazy(
            "The only compatible supporter in reach is full with needs as or more severe.",
            "All %(count)s compatible supporters in reach are full with needs as or more severe.",
            "count",
        ),
        # Evidence behind a level (audit.Judgement code and params).
        "evidence.absence_overall": _(
            "Overall absence of %(overall_pct)s%% is higher than at %(overall_rank)s%% of "
            "%(overall_schools)s %(overall_group)s in %(period)s."
        ),
        "evidence.absence_persistent": _(
            "Persistent absence of %(persistent_pct)s%% is higher than at %(persistent_rank)s%% "
            "of %(persistent_schools)s %(persistent_group)s in %(period)s."
        ),
        "evidence.absence_both": _(
            "Overall absence of %(overall_pct)s%% is higher than at %(overall_rank)s%% of "
            "%(overall_schools)s %(overall_group)s, and persistent absence of "
            "%(persistent_pct)s%% higher than at %(persistent_rank)s%% of "
            "%(persistent_schools)s %(persistent_group)s, in %(period)s (mean rank "
            "%(mean_rank).2f)."
        ),
        "evidence.p8_well_below": _(
            "Progress 8 of %(p8)+.2f (95%% confidence interval %(ci_low)+.2f to %(ci_high)+.2f): "
            "well below average, below the floor standard."
        ),
        "evidence.p8_below": _(
            "Progress 8 of %(p8)+.2f (95%% confidence interval %(ci_low)+.2f to %(ci_high)+.2f): "
            "below average."
        ),
        "evidence.p8_above": _(
            "Progress 8 of %(p8)+.2f (95%% confidence interval %(ci_low)+.2f to %(ci_high)+.2f): "
            "above average."
        ),
        "evidence.p8_well_above": _(
            "Progress 8 of %(p8)+.2f (95%% confidence interval %(ci_low)+.2f to %(ci_high)+.2f): "
            "well above average."
        ),
        "evidence.wales_category": _("Welsh support category: %(category)s."),
        "evidence.rubric": ngettext_lazy(
            "%(count)s answer, on average %(position).2f of the way up the scale.",
            "%(count)s answers, on average %(position).2f of the way up the scale.",
            "count",
        ),
        "evidence.rubric_notes": ngettext_lazy(
            "%(count)s answer, on average %(position).2f of the way up the scale: %(notes)s",
            "%(count)s answers, on average %(position).2f of the way up the scale: %(notes)s",
            "count",
        ),
        # A broker's own words, or text stored before codes (kept as written).
        "evidence.note": "%(note)s",
        # Schools a run left out of its pool (loaders.build_instance).
        "skipped.no_location": _("no location recorded"),
        "skipped.no_phase": _("phase not known"),
        "skipped.offer_where_in_need": _("offers %(area)s but has a significant need in it"),
        "skipped.focus_not_in_pool": _(
            "one of the schools this scenario is for, but no longer a member or outside the "
            "local authority or region chosen"
        ),
        # Pins a run cannot honour (loaders and engine.matching).
        "pin.out_of_pool": _(
            "The pin of %(support)s supporting %(need)s (%(area)s) cannot be used: %(missing)s "
            "is not in this scenario’s pool (left the partnership, outside the area filter, "
            "or no location or phase)."
        ),
        "pin.no_need": _("The pin of %(support)s supporting %(need)s (%(area)s): no such need."),
        "pin.no_offer": _(
            "The pin of %(support)s supporting %(need)s (%(area)s): %(support)s makes no such "
            "offer."
        ),
        "pin.not_allowed": _(
            "The pin of %(support)s supporting %(need)s (%(area)s) breaks a rule (distance, "
            "phase, language, an exclusion, or the same school)."
        ),
        "pin.twice": _("The need of %(need)s in %(area)s is pinned twice."),
        "pin.offer_capacity": _("Pins use %(support)s’s offer in %(area)s beyond its capacity."),
        "pin.school_capacity": _("Pins use %(support)s beyond its overall limit."),
        # What is wrong with the engine's input: a broker's CSV files (engine.files) or the
        # data handed to match() (engine.candidates), shown by `manage.py broker_match`.
        "input.value_missing": _("value is missing"),
        "input.not_number": _("'%(value)s' is not a number"),
        "input.not_whole": _("'%(value)s' is not a whole number"),
        "input.outside": _("%(value)s is outside %(low)s to %(high)s"),
        "input.cannot_open": _("cannot open the file (%(error)s)"),
        "input.empty_file": _("the file is empty; a header row is required"),
        "input.missing_columns": ngettext_lazy(
            "missing column %(columns)s (header: %(header)s)",
            "missing columns %(columns)s (header: %(header)s)",
            "count",
        ),
        "input.not_csv": _("not valid CSV (%(error)s)"),
        "input.not_utf8_at": _(
            "the file is not UTF-8 (byte %(byte)s); save it as UTF-8 (GIAS exports are "
            "Windows-1252)"
        ),
        "input.not_utf8": _("the file is not UTF-8"),
        "input.no_position_columns": _("needs easting,northing columns or lat,lon columns"),
        "input.id_repeated": _("'%(school_id)s' already appears on line %(line)s"),
        "input.unknown_language": _(
            "unknown language '%(language)s' (english, welsh or bilingual)"
        ),
        "input.not_in_schools_file": _(
            "unknown school_id '%(school_id)s' (not in the schools file)"
        ),
        "input.unknown_area_known": _("unknown area '%(area_id)s' (known areas: %(areas)s)"),
        "input.area_repeated": _("'%(school_id)s' already has '%(area_id)s' on line %(line)s"),
        "input.phase_not_applicable": _(
            "phase '%(phase)s' is ambiguous: GIAS uses 'Not applicable' for special schools, "
            "pupil referral units and many independent schools alike; write special, or the "
            "phase the school teaches"
        ),
        "input.phase_unknown": _(
            "unknown phase '%(phase)s' (use one of %(phases)s, or a GIAS phase name)"
        ),
        "input.school_twice": _("school_id '%(school_id)s' appears twice"),
        "input.not_a_phase": _("'%(phase)s' is not a Phase"),
        "input.limit_not_positive": _("the distance limit must be above 0 km"),
        "input.unknown_school": _("unknown school_id '%(school_id)s'"),
        "input.unknown_area": _("unknown area '%(area_id)s'"),
        "input.listed_twice": _("'%(school_id)s' is listed twice for '%(area_id)s'"),
        "input.level_not_1_to_3": _("%(name)s %(level)s is not 1, 2 or 3"),
        "input.capacity_below_zero": _("capacity %(capacity)s is below 0"),
        "input.area_list_empty": _("the area list is empty"),
        "input.area_ids": _(
            "area ids must be snake_case letters, digits and underscores: %(areas)s"
        ),
        "input.area_twice": _("area listed twice: %(areas)s"),
        # Evidence handed to the audit rule (audit.py) that it cannot read.
        "audit.unknown_category": _(
            "unknown Welsh support category '%(category)s' (Red, Amber, Yellow, Green)"
        ),
        "audit.missing": _("%(where)s: missing '%(name)s'"),
        "audit.not_numbers": _("%(where)s: level and scale_max must be numbers"),
        "audit.off_scale": _("%(where)s: level %(level)s is not on the scale %(low)s to %(high)s"),
    }
)
