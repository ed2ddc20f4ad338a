"""What the estimate and family pages show, from the stored numbers and codes: the codes are
worded through ``core.messages`` (``estimate_codes``), in the reader's language."""

from __future__ import annotations

from django.utils import formats

from partnerlens.core.messages import render as word
from partnerlens.directory.models import Organisation
from partnerlens.impact.estimates import SHARES, higher_is_better, registration_for
from partnerlens.impact.models import ComparisonGroup, Estimate

BALANCED = 0.1  # |SMD| below this is the usual mark of good balance


def _when(registration) -> str:
    return formats.date_format(registration.registered_at, "j F Y, H:i") if registration else ""


def describe(estimate: Estimate) -> dict | None:
    """The sentences and numbers of a finished estimate (None before its first run)."""
    if estimate.status == Estimate.Status.PENDING:
        return None
    result = estimate.result
    registration = registration_for(estimate)
    registered = word(
        f"impact.registration.{result.get('registration') or 'not_registered'}",
        {"when": _when(registration)},
    )
    common = {
        "registration": registered,
        "registration_obj": registration,
        "suppressed": result.get("suppressed", 0),
        "pooled": result.get("pooled", False),
        "cohort_known": result.get("cohort_known", True),
    }
    if estimate.status == Estimate.Status.NOT_ENOUGH_DATA:
        return {
            **common,
            "enough": False,
            "reasons": [word(f"impact.{code}") for code in result.get("reasons", [])],
            "counts": {k: result.get(k, 0) for k in ("treated", "comparison")},
        }
    effect, low, high = result["effect"], result["ci_low"], result["ci_high"]
    pretrend = result.get("pretrend") or "untestable"
    p = result.get("pretrend_p")
    better = higher_is_better(estimate.measure)
    clear = low is not None and high is not None and (low > 0 or high < 0)
    return {
        **common,
        "enough": True,
        "effect": effect,
        "low": low,
        "high": high,
        "p_value": result.get("p_value"),
        "clear": clear,
        "favourable": clear and ((effect > 0) == better),
        "higher_is_better": better,
        "points": estimate.measure in SHARES or estimate.measure.endswith("_pct"),
        "treated": result.get("treated"),
        "comparison": result.get("comparison"),
        "years_before": result.get("years_before"),
        "years_after": result.get("years_after"),
        "method": word(f"impact.method.{result.get('method')}", {"treated": result["treated"]}),
        "pretrend_code": pretrend,
        "pretrend": word(f"impact.pretrend.{pretrend}", {"p": p if p is not None else 0.0}),
        "effect_size": result.get("effect_size"),
        "effect_size_low": result.get("effect_size_low"),
        "effect_size_high": result.get("effect_size_high"),
        "sd_basis": result.get("sd_basis"),
        "months": result.get("months"),
        "events": result.get("event_study", []),
    }


def family_tables(group: ComparisonGroup) -> dict:
    """Each partnership school with its status and family (members by rank), and the balance
    table, in as few queries as the page needs."""
    schools = list(group.schools.select_related("school"))
    members = list(group.members.select_related("member").order_by("school_id", "rank"))
    by_school: dict[int, list] = {}
    for member in members:
        by_school.setdefault(member.school_id, []).append(member)
    for school in schools:
        school.status_text = word(f"impact.family.{school.status}")
        school.family = by_school.get(school.school_id, [])
    balance = [
        {
            **row,
            "balanced": row.get("smd_after") is not None and abs(row["smd_after"]) < BALANCED,
        }
        for row in group.balance
    ]
    shared = len({m.member_id for m in members})
    return {
        "family_schools": schools,
        "balance": balance,
        "comparison_count": shared,
        "member_count": Organisation.objects.filter(pk__in=[s.school_id for s in schools]).count(),
    }
