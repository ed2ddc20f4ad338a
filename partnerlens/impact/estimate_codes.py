"""The words for the codes the impact engines and services return (``core.messages``), and
the names of the measures an estimate can use. Imported once, from ``apps.ready``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnerlens.core.messages import register

MEASURE_NAMES = {
    "ks2.rwm_exp_pct": _(
        "KS2: percentage of pupils meeting the expected standard in reading, writing and maths"
    ),
    "ks2.rwm_high_pct": _(
        "KS2: percentage of pupils at the higher standard in reading, writing and maths"
    ),
    "ks2.read_progress": _("KS2: reading progress score"),
    "ks2.writ_progress": _("KS2: writing progress score"),
    "ks2.mat_progress": _("KS2: maths progress score"),
    "ks2.pupils": _("KS2: pupils at the end of key stage 2"),
    "ks4.att8": _("KS4: Attainment 8"),
    "ks4.p8": _("KS4: Progress 8"),
    "ks4.basics_94_pct": _("KS4: percentage of pupils with grade 4 or above in English and maths"),
    "ks4.basics_95_pct": _("KS4: percentage of pupils with grade 5 or above in English and maths"),
    "ks4.ebacc_aps": _("KS4: EBacc average point score"),
    "ks4.pupils": _("KS4: pupils at the end of key stage 4"),
    "absence.overall_pct": _("Overall absence: percentage of sessions missed"),
    "absence.persistent_pct": _("Persistent absence: percentage of pupils"),
    "census.fsm_ever_pct": _(
        "Percentage of pupils eligible for free school meals in the last 6 years"
    ),
    "census.eal_pct": _("Percentage of pupils with English as an additional language"),
    "census.pupils": _("Pupils on roll"),
}


def measure_name(code: str, own_names: dict | None = None) -> str:
    """A measure's name for people: a published one's, a partnership's own, else the code."""
    if own_names and code in own_names:
        return own_names[code]
    return str(MEASURE_NAMES.get(code, code))


register(
    {
        # Why there is no number (analytics.did.enough_data).
        "impact.too_few_years_before": _(
            "Fewer than 2 years of results before the start: the years before cannot be "
            "compared, so nothing can be estimated."
        ),
        "impact.too_few_years_after": _("No results yet from the start year or after it."),
        "impact.too_few_treated_schools": _(
            "Fewer than 5 of the partnership's schools have results both before and after "
            "the start."
        ),
        "impact.too_few_comparison_schools": _(
            "Fewer than 20 comparison schools have results both before and after the start."
        ),
        # Why a school has no family, or a small one (analytics.families).
        "impact.family.matched": _("Matched"),
        "impact.family.small_family": _("Fewer similar schools than wanted: all are used"),
        "impact.family.missing_covariates": _(
            "Not matched: a prior result, FSM, EAL, SEN or size figure is missing"
        ),
        "impact.family.unknown_school": _("Not matched: the school is not in the directory"),
        # Were trends parallel before the start? (analytics.did)
        "impact.pretrend.parallel": _(
            "Before the start, the partnership's schools and their comparison schools moved "
            "in step: no sign that trends differed (p = %(p).2f)."
        ),
        "impact.pretrend.not_parallel": _(
            "Warning: before the start, the partnership's schools and their comparison "
            "schools were not moving in step (p = %(p).2f). The estimate may reflect that "
            "earlier difference in direction rather than the partnership."
        ),
        "impact.pretrend.untestable": _(
            "With only one year before the start, whether trends were parallel cannot be tested."
        ),
        # Was the analysis registered? (analytics.registration)
        "impact.registration.registered": _(
            "This analysis was registered on %(when)s and matches the registration."
        ),
        "impact.registration.not_registered": _("This analysis was not registered beforehand."),
        "impact.registration.differs_from_registration": _(
            "This analysis differs from the registration of %(when)s: its measure, schools "
            "or start year are not those registered."
        ),
        # Interval method (analytics.did / wild)
        "impact.method.cr1": _(
            "95%% interval robust to clustering by school (CR1), from %(treated)s partnership "
            "schools."
        ),
        "impact.method.wild_bootstrap": _(
            "95%% interval from the wild cluster bootstrap (999 draws), used because there are "
            "fewer than 50 partnership schools."
        ),
        # Why a form was refused (estimates.EstimateError)
        "impact.no_schools": _("Select at least one school."),
        "impact.not_member_schools": _("Choose only the partnership's own schools."),
        "impact.measure_not_available": _("This measure has no results for the partnership."),
        "impact.start_year_out_of_range": _("Enter a start year between 2000 and 2100."),
    }
)
