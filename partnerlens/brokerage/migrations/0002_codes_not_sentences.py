"""Engines return codes and values: stored English sentences become codes with parameters.

Unmet needs keep `params` instead of an English `detail`; evidence sources keep `code` and
`params` instead of `detail`; a run's left-out schools keep a `code`; proposals lose the
English `summary` (pages word the explanation). Sentences the earlier code wrote are read
back into codes; any other text (a broker's reason) is kept, as written, as a note.
"""

from __future__ import annotations

import re

from django.db import migrations, models

_NUMBER = r"([+-]?\d+(?:\.\d+)?)"
_P8 = re.compile(
    rf"Progress 8 {_NUMBER} \(95% CI {_NUMBER} to {_NUMBER}\): "
    r"(well below average|below average|well above average|above average)"
)
_P8_CODES = {
    "well below average": "evidence.p8_well_below",
    "below average": "evidence.p8_below",
    "well above average": "evidence.p8_well_above",
    "above average": "evidence.p8_above",
}
_WALES = re.compile(r"^Welsh support category (\w+)$")
_ABSENCE = re.compile(
    rf"(overall|persistent) absence {_NUMBER}% is higher than (\d+)% of (\d+) "
    r"(?:(primary|secondary|special) )?schools in (\S+?)(?=;| \(mean|$)"
)
_MEAN = re.compile(r"\(mean rank ([\d.]+)\)")
_RUBRIC = re.compile(r"^(\d+) answer\(s\), mean position ([\d.]+) of the scale(?:: (.*))?$", re.S)


def source_code(source: dict) -> dict:
    """One stored evidence source, its English `detail` replaced by a code and values."""
    if "code" in source:
        return source
    source = dict(source)
    detail = str(source.pop("detail", ""))
    code, params = "evidence.note", {"note": detail}
    if source.get("source") != "broker":
        if found := _P8.search(detail):
            code = _P8_CODES[found.group(4)]
            params = {
                name: float(found.group(i))
                for i, name in enumerate(("p8", "ci_low", "ci_high"), start=1)
            }
        elif found := _WALES.match(detail):
            code, params = "evidence.wales_category", {"category": found.group(1)}
        elif found := _RUBRIC.match(detail):
            params = {"count": int(found.group(1)), "position": float(found.group(2))}
            code = "evidence.rubric"
            if found.group(3):
                code, params["notes"] = "evidence.rubric_notes", found.group(3)
        elif measures := list(_ABSENCE.finditer(detail)):
            params = {}
            for m in measures:
                name = m.group(1)
                params |= {
                    f"{name}_pct": float(m.group(2)),
                    f"{name}_rank": int(m.group(3)),
                    f"{name}_schools": int(m.group(4)),
                    f"{name}_group": m.group(5) or "*",
                    "period": m.group(6),
                }
            names = [m.group(1) for m in measures]
            code = "evidence.absence_both" if len(names) == 2 else f"evidence.absence_{names[0]}"
            if mean := _MEAN.search(detail):
                params["mean_rank"] = float(mean.group(1))
    return {**source, "code": code, "params": params}


def unmet_params(reason: str, detail: str) -> dict:
    if reason == "out_of_range":
        limit = re.search(r"limit ([\d.]+) km", detail)
        nearest = re.search(r"nearest is ([\d.]+) km", detail)
        return {
            "limit_km": float(limit.group(1)) if limit else 0.0,
            "nearest_km": float(nearest.group(1)) if nearest else 0.0,
        }
    if reason == "capacity":
        count = re.search(r"all (\d+) compatible", detail)
        return {"count": int(count.group(1)) if count else 1}
    return {}


def skipped_code(item: dict) -> dict:
    if "code" in item:
        return item
    reason = str(item.get("reason", ""))
    offer = re.match(r"offers (\w+) but has a significant need in it", reason)
    if offer:
        return {
            "school": item["school"],
            "code": "skipped.offer_where_in_need",
            "params": {"area": offer.group(1)},
        }
    code = "skipped.no_location" if reason == "no location" else "skipped.no_phase"
    return {"school": item["school"], "code": code, "params": {}}


def forwards(apps, schema_editor):
    AreaAssessment = apps.get_model("brokerage", "AreaAssessment")
    ProposedMatch = apps.get_model("brokerage", "ProposedMatch")
    ScenarioRun = apps.get_model("brokerage", "ScenarioRun")
    UnmetNeed = apps.get_model("brokerage", "UnmetNeed")
    for row in AreaAssessment.objects.all().iterator():
        row.sources = [source_code(s) for s in row.sources]
        row.save(update_fields=["sources"])
    for row in ProposedMatch.objects.all().iterator():
        evidence = row.explanation.get("evidence") or {}
        for key in ("need_sources", "expertise_sources"):
            evidence[key] = [source_code(s) for s in evidence.get(key, [])]
        for side in ("need", "support"):
            for label in ("severity_label", "strength_label"):
                row.explanation.get(side, {}).pop(label, None)
        row.save(update_fields=["explanation"])
    for row in ScenarioRun.objects.exclude(skipped=[]).iterator():
        row.skipped = [skipped_code(item) for item in row.skipped]
        row.save(update_fields=["skipped"])
    for row in UnmetNeed.objects.all().iterator():
        row.params = unmet_params(row.reason, row.detail)
        row.save(update_fields=["params"])


class Migration(migrations.Migration):
    dependencies = [("brokerage", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="unmetneed",
            name="params",
            field=models.JSONField(default=dict, help_text="Values for the reason's message"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="unmetneed", name="detail"),
        migrations.RemoveField(model_name="proposedmatch", name="summary"),
        migrations.AlterField(
            model_name="proposedmatch",
            name="explanation",
            field=models.JSONField(default=dict, help_text="The engine's codes and values"),
        ),
        migrations.AlterField(
            model_name="areaassessment",
            name="sources",
            field=models.JSONField(
                default=list,
                help_text="[{source, code, params, date, need, expertise}] (see audit.py)",
            ),
        ),
    ]
