"""The demo's outcome panel: a partnership of real Surrey primaries (Tandridge) whose KS2
results for 2016-17 to 2018-19 come from demo/data/dfe_performance_2016-19_hampshire_surrey.

Four of them became academies in 2017 under new URNs; their 2016-17 results come through the
KS2 file's URN_AC link (and GIAS), so the panel page shows one series per school with the
predecessor's year marked. The partnership itself is invented for the demo: the schools and
their published results are real, their working together here is not.
"""

from __future__ import annotations

from django.db import transaction

from partnerlens.demo.models import DemoStep
from partnerlens.demo.partnerships import demo_lead, demo_partnership
from partnerlens.directory.models import Organisation, PartnershipKind

OUTCOMES_BUILT = "outcomes"
NAME = "Tandridge Primary Partnership"
NAME_CY = "Partneriaeth Gynradd Tandridge"
# The current URNs: four 2017 converter academies (their LA URNs 124941, 124943, 124945,
# 124993 are their predecessors) and three schools that kept their URN through 2018-19.
URNS = (144229, 144230, 144231, 144232, 124971, 124986, 125124)


@transaction.atomic
def build_outcome_demo() -> str:
    schools = list(Organisation.objects.filter(urn__in=URNS).order_by("name"))
    if not schools:
        DemoStep.mark(OUTCOMES_BUILT, partnership=None)
        return "no Surrey schools in the demo data; skipped"
    partnership = demo_partnership(
        NAME,
        PartnershipKind.CLUSTER,
        "Primary schools around Oxted and Lingfield in Surrey, comparing their pupils' "
        "results over time with similar schools elsewhere (a demo partnership of real "
        "schools and their published results).",
        schools,
        demo_lead(),
        name_cy=NAME_CY,
        purpose_cy="Ysgolion cynradd o gwmpas Oxted a Lingfield yn Surrey, yn cymharu "
        "canlyniadau eu disgyblion dros amser ag ysgolion tebyg mewn mannau eraill "
        "(partneriaeth arddangos o ysgolion go iawn a'u canlyniadau cyhoeddedig).",
    )
    DemoStep.mark(OUTCOMES_BUILT, partnership=partnership.pk)
    return f"{NAME}: {len(schools)} real Surrey primaries with KS2 results for 2016-19"
