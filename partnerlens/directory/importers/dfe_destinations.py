"""DfE KS4 destination measures (``england_ks4-pupdest.csv``): where pupils went after Year 11.

The period is that of the performance tables that published the figures (the cohort left
school earlier; see docs/data.md). Only school lines (RECTYPE 1, 2) are loaded.
"""

from __future__ import annotations

from partnerlens.directory.importers import apply, measures
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format

SPEC: measures.Spec = (
    ("COHORT", "dest.cohort", v.integer),
    ("OVERALL_DESTPER", "dest.overall_pct", v.percentage),
    ("EDUCATIONPER", "dest.education_pct", v.percentage),
    ("APPRENPER", "dest.apprenticeship_pct", v.percentage),
    ("EMPLOYMENTPER", "dest.employment_pct", v.percentage),
    ("FEPER", "dest.further_education_pct", v.percentage),
    ("SCH_6THPER", "dest.school_sixth_form_pct", v.percentage),
    ("SIXTH_COLPER", "dest.sixth_form_college_pct", v.percentage),
    ("NOT_SUSTAINEDPER", "dest.not_sustained_pct", v.percentage),
    ("UNKNOWNPER", "dest.unknown_pct", v.percentage),
    ("OVERALL_DESTPER_DIS", "dest.overall_disadvantaged_pct", v.percentage),
    ("OVERALL_DESTPER_NONDIS", "dest.overall_other_pct", v.percentage),
)


parse = measures.ks4_school_parser(SPEC)


FORMAT = Format(
    name="dfe_ks4_destinations",
    label="DfE KS4 destination measures (england_ks4-pupdest)",
    signature=("RECTYPE", "URN", "OVERALL_DEST"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2018-19",
    source="DfE KS4 destinations",
)
