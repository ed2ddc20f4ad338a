"""DfE KS4 (GCSE) school performance (``england_ks4provisional.csv`` / ``england_ks4final.csv``).

Only school lines (RECTYPE 1 mainstream, 2 special) are loaded; LA and national totals are
skipped. Any of the headline columns below that the file carries is read by name (the column
set changes every year: EBACCAPS is new in 2017-18, for example); the suppression codes SUPP,
NE, NP, LOWCOV, NA and blank mean "no value". DfE leaves out a row's trailing empty cells
(P8_BANDING, or everything after a new school's address): they are read as blank.
"""

from __future__ import annotations

from partnerlens.directory.importers import apply, measures
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format

SPEC: measures.Spec = (
    ("TPUP", "ks4.pupils", v.integer),
    ("ATT8SCR", "ks4.att8", v.number),
    ("P8PUP", "ks4.p8_pupils", v.integer),
    ("P8MEA", "ks4.p8", v.number),
    ("P8CILOW", "ks4.p8_ci_low", v.number),
    ("P8CIUPP", "ks4.p8_ci_high", v.number),
    ("PTL2BASICS_94", "ks4.basics_94_pct", v.percentage),
    ("PTL2BASICS_95", "ks4.basics_95_pct", v.percentage),
    ("EBACCAPS", "ks4.ebacc_aps", v.number),
    ("PTEBACC_E_PTQ_EE", "ks4.ebacc_entry_pct", v.percentage),
    ("PTEBACC_94", "ks4.ebacc_94_pct", v.percentage),
    ("PTEBACC_95", "ks4.ebacc_95_pct", v.percentage),
    ("PT5EM_94", "ks4.five_em_94_pct", v.percentage),
    ("P8_BANDING", "ks4.p8_banding", v.integer),
    ("PTFSM6CLA1A", "ks4.disadvantaged_pct", v.percentage),
    # The cohort's prior attainment and context (for comparison families).
    ("KS2APS", "ks4.ks2_aps", v.number),
    ("PTEALGRP2", "ks4.eal_pct", v.percentage),
    ("PSENAPK", "ks4.sen_support_pct", v.percentage),
    ("PSENSE", "ks4.ehcp_pct", v.percentage),
    ("TOTPUPS", "ks4.roll", measures.count),
)
# Without these a file cannot be read as KS4: which school, its cohort, the headline figure.
KEY_COLUMNS = ("RECTYPE", "URN", "TPUP", "ATT8SCR")


parse = measures.ks4_school_parser(SPEC, KEY_COLUMNS, "KS4 performance")


FORMAT = Format(
    name="dfe_ks4",
    label="DfE KS4 school performance (england_ks4provisional / england_ks4final)",
    signature=("RECTYPE", "URN", "ATT8SCR"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2018-19",
    source="DfE KS4 performance tables",
    short_rows_blank=True,
)
