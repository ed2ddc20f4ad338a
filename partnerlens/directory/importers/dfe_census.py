"""DfE school census, school level (``england_census.csv`` in the performance-tables download):
pupils, sex, SEN, EAL and free school meals per school for one January census."""

from __future__ import annotations

from partnerlens.directory.importers import apply, measures
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, MeasureValue, Options, Row

SPEC: measures.Spec = (
    ("NOR", "census.pupils", v.integer),
    ("PNORG", "census.girls_pct", v.percentage),
    ("PNORB", "census.boys_pct", v.percentage),
    ("TSENELSE", "census.ehcp_count", v.integer),
    ("PSENELSE", "census.ehcp_pct", v.percentage),
    ("TSENELK", "census.sen_support_count", v.integer),
    ("PSENELK", "census.sen_support_pct", v.percentage),
    ("NUMEAL", "census.eal_count", v.integer),
    ("PNUMEAL", "census.eal_pct", v.percentage),
    ("NUMFSM", "census.fsm_count", v.integer),
    ("NUMFSMEVER", "census.fsm_ever_count", v.integer),
    ("PNUMFSMEVER", "census.fsm_ever_pct", v.percentage),
)


def parse(row: Row, options: Options):
    found = measures.figures(row, options.period, SPEC)
    pupils = row.get("NOR", v.integer)
    fsm = row.get("NUMFSM", v.integer) if row.has("NUMFSM") else None
    if pupils and fsm is not None:
        # Organisation.fsm_pct means "% known to be eligible now", as GIAS publishes it.
        found.append(MeasureValue("census.fsm_pct", options.period, round(100 * fsm / pupils, 1)))
    return measures.record(row, found, la="LA", estab="ESTAB")


FORMAT = Format(
    name="dfe_school_census",
    label="DfE school census per school (england_census)",
    signature=("URN", "NOR", "PNUMFSMEVER"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2018-19",
    source="DfE school census",
)
