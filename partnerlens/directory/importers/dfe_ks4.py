"""DfE KS4 (GCSE) school performance (``england_ks4provisional.csv`` / ``england_ks4final.csv``).

Only school lines (RECTYPE 1 mainstream, 2 special) are loaded; LA and national totals are
skipped. Any of the headline columns below that the file carries is read by name.
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
)


parse = measures.ks4_school_parser(SPEC)


FORMAT = Format(
    name="dfe_ks4",
    label="DfE KS4 school performance (england_ks4provisional / england_ks4final)",
    signature=("RECTYPE", "URN", "ATT8SCR"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2018-19",
    source="DfE KS4 performance tables",
)
