"""DfE pupil absence per school (``england_abs.csv``): overall and persistent absence."""

from __future__ import annotations

from partnerlens.directory.importers import apply, measures
from partnerlens.directory.importers import values as v
from partnerlens.directory.importers.base import Format, Options, Row

SPEC: measures.Spec = (
    ("PERCTOT", "absence.overall_pct", v.percentage),
    ("PPERSABS10", "absence.persistent_pct", v.percentage),
)


def parse(row: Row, options: Options):
    return measures.record(row, measures.figures(row, options.period, SPEC), la="LA", estab="ESTAB")


FORMAT = Format(
    name="dfe_absence",
    label="DfE pupil absence per school (england_abs)",
    signature=("URN", "PERCTOT", "PPERSABS10"),
    parse=parse,
    apply=apply.apply_organisations,
    needs_period=True,
    period_default="2018-19",
    source="DfE absence",
)
