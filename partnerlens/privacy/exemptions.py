"""The rest of the data map: fields that could hold personal data by their type but only
name an author (``AUTHOR_LINKS``) or hold none (``NOT_PERSONAL``, each with the reason).
``datamap.covered`` joins them with ``datamap.KINDS``; the test of the map reads all three.
"""

from __future__ import annotations

# Links to an account that only say who did something to the partnership's own records:
# they point at the anonymised account after erasure, and hold nothing else about the person.
AUTHOR_LINKS: dict[str, tuple[str, ...]] = {
    "brokerage.BrokerageSettings": ("updated_by",),
    "brokerage.SupportOffer": ("declared_by",),
    "brokerage.Scenario": ("created_by",),
    "brokerage.ScenarioRun": ("run_by",),
    "brokerage.ScenarioJob": ("requested_by",),
    "brokerage.ProposedMatch": ("decided_by",),
    "brokerage.ScenarioPin": ("created_by",),
    "brokerage.ScenarioExclusion": ("created_by",),
    "brokerage.SupportRelationship": ("created_by",),
    "insights.ReleaseJob": ("requested_by",),
    "impact.Registration": ("registered_by",),
    "impact.Estimate": ("created_by",),
    "impact.EstimateJob": ("requested_by",),
    "actions.Action": ("created_by",),
    "actions.EvidenceItem": ("added_by",),
    "actions.Activity": ("created_by",),
    "actions.Benefit": ("recorded_by",),
    "triggers.Trigger": ("status_changed_by",),
}

_FRAMEWORK = "framework text written for partnerships, about schools' work, not people"
_SCHOOL = "public facts about schools and partnerships (GIAS, census, outcome tables)"
_CODE = "codes, keys and settings the service writes, never typed by people"
_FINDING = (
    "the name of the finding an action came from (a theme and cycle, or an indicator at a "
    "school), in English or Welsh, written by the service"
)
_AGGREGATE = "suppressed aggregates of many answers (docs/anonymity.md), never one person's"
# Fields that could hold personal data by their type, and why they do not.
NOT_PERSONAL: dict[str, dict[str, str]] = {
    "auth.Permission": {"name": _CODE, "codename": _CODE},
    "auth.Group": {"name": _CODE},
    "contenttypes.ContentType": {"app_label": _CODE, "model": _CODE},
    "admin.LogEntry": {},
    "django_tasks_database.DBTaskResult": {
        "task_path": _CODE,
        "queue_name": _CODE,
        "backend_name": _CODE,
        "exception_class_path": _CODE,
    },
    "outbox.OutgoingMail": {"reference": _CODE, "from_email": "the service's own address"},
    "audit.AuditEvent": {"verb": _CODE, "object_type": _CODE},
    "directory.Organisation": {
        name: _SCHOOL
        for name in (
            "name",
            "welsh_school_code",
            "la_code",
            "la_name",
            "establishment_number",
            "region",
            "school_type",
            "phase_label",
            "gender",
            "religious_character",
            "status",
            "postcode",
            "postcode_compact",
            "ofsted_rating",
            "website",
        )
    },
    "directory.Partnership": {
        name: _SCHOOL
        for name in (
            "name",
            "name_cy",
            "purpose",
            "purpose_cy",
            "gias_group_id",
            "gias_group_type",
            "companies_house_number",
            "status",
            "postcode",
        )
    },
    "directory.Membership": {"source": _SCHOOL},
    "directory.OutcomeMeasure": {n: _SCHOOL for n in ("measure", "period", "value_text", "source")},
    "directory.EstablishmentLink": {"link_name": _SCHOOL, "link_type": _SCHOOL},
    "frameworks.Framework": {
        n: _FRAMEWORK for n in ("slug", "name_en", "name_cy", "summary_en", "summary_cy")
    },
    "frameworks.Theme": {
        n: _FRAMEWORK
        for n in ("key", "dimension", "title_en", "title_cy", "description_en", "description_cy")
    },
    "frameworks.Question": {
        n: _FRAMEWORK
        for n in ("key", "text_en", "text_cy", "help_en", "help_cy", "roles", "config")
    },
    "frameworks.Option": {
        n: _FRAMEWORK for n in ("value", "label_en", "label_cy", "descriptor_en", "descriptor_cy")
    },
    "frameworks.ReflectionPrompt": {n: _FRAMEWORK for n in ("key", "text_en", "text_cy", "roles")},
    "enquiries.Cycle": {
        "title": "the cycle's own text, about the partnership",
        "title_cy": "the cycle's own text, about the partnership",
        "introduction": "the cycle's own text, about the partnership",
        "introduction_cy": "the cycle's own text, about the partnership",
        "audience_roles": _CODE,
        "open_link_hash": "a hash of the cycle's shared link, not of a person",
    },
    "enquiries.ReceiptSet": {
        "digests": "keyed digests readable only with the key kept outside the database; "
        "deleted when the cycle is published (docs/anonymity.md)",
    },
    "insights.QuestionStat": {"levels": _AGGREGATE},
    "insights.Release": {
        "members": "ids of the anonymous responses a release counts",
        "page": _AGGREGATE,
        "exports": _AGGREGATE,
        "tables": _AGGREGATE,
        "benchmark": _AGGREGATE,
    },
    "insights.ReleaseJob": {"error": _CODE, "outcome": _CODE},
    "insights.PreparedDownload": {
        "error": _CODE,
        "language": _CODE,
        "identifier": _CODE,
        "file": _AGGREGATE,
        "filename": _CODE,
    },
    "brokerage.BrokerageSettings": {"areas": _CODE},
    "brokerage.AreaAssessment": {"sources": _SCHOOL},
    "brokerage.SupportOffer": {
        "summary": "a school's offer of support, about the school",
        "summary_cy": "a school's offer of support, about the school",
    },
    "brokerage.Scenario": {
        "name": _CODE,
        "name_cy": _CODE,
        "areas": _CODE,
        "la_name": _SCHOOL,
        "region": _SCHOOL,
        "focus": "ids of the schools a scenario is for",
    },
    "brokerage.ScenarioRun": {"settings": _CODE, "totals": _CODE, "skipped": _CODE},
    "brokerage.ScenarioJob": {"error": _CODE, "problems": _CODE},
    "brokerage.ProposedMatch": {"explanation": _CODE},
    "brokerage.UnmetNeed": {"reason": _CODE, "params": _CODE},
    "brokerage.SupportRelationship": {
        "end_reason": "why support between two schools ended, about the schools",
    },
    "api.ApiToken": {"token_hash": "a hash of a partnership's token", "prefix": _CODE},
    "actions.Action": {
        "success_code": _CODE,
        "source_ref": _CODE,
        "source_label": _FINDING,
        "source_label_cy": _FINDING,
    },
    "actions.ActionUpdate": {"language": _CODE},
    "actions.EvidenceItem": {"content_type": _CODE, "themes": _CODE},
    "impact.OwnMeasure": {
        "name": "the name of a school-level measure the partnership defines, about schools",
        "name_cy": "the Welsh name of a school-level measure the partnership defines",
        "unit": "the unit of a school-level measure (%, score, days)",
        "unit_cy": "the Welsh unit of a school-level measure (%, sgôr, diwrnodau)",
    },
    "impact.OwnMeasureValue": {"period": _CODE},
    "impact.Registration": {
        "question": "the question a partnership registers about its schools' results",
        "question_cy": "the Welsh of the question a partnership registers about its schools",
        "measure": _CODE,
        "schools": _CODE,
        "spec_hash": _CODE,
    },
    "impact.ComparisonGroup": {"measure": _CODE, "weights": _CODE, "balance": _SCHOOL},
    "impact.FamilySchool": {"status": _CODE, "inputs": _SCHOOL},
    "impact.FamilyMember": {"inputs": _SCHOOL},
    "impact.Estimate": {"measure": _CODE, "schools": _CODE, "result": _SCHOOL},
    "impact.EstimateJob": {"error": _CODE},
    "triggers.Indicator": {
        "name": "the name a partnership gives an early-warning indicator, about schools",
        "measure": _CODE,
        "notify_roles": _CODE,
        "universal_support": "the support a tier of an indicator brings schools",
        "targeted_support": "the support a tier of an indicator brings schools",
        "intensive_support": "the support a tier of an indicator brings schools",
        "name_cy": "the Welsh name a partnership gives an early-warning indicator",
        "universal_support_cy": "the support a tier of an indicator brings schools, in Welsh",
        "targeted_support_cy": "the support a tier of an indicator brings schools, in Welsh",
        "intensive_support_cy": "the support a tier of an indicator brings schools, in Welsh",
    },
    "triggers.Trigger": {
        "measure": _CODE,
        "period_before": _CODE,
        "period_now": _CODE,
        "text_before": _SCHOOL,
        "text_now": _SCHOOL,
    },
    "triggers.Evaluation": {"error": _CODE},
    "triggers.DailySchedule": {"token": _CODE},
    "network.Snapshot": {
        "organisations": "schools' public facts and network measures, computed by the service",
        "ties": "levels between organisations: public records and suppressed aggregates",
        "figures": _AGGREGATE,
        "areas": "counts of schools by local authority, computed by the service",
        "components": "sizes of groups of connected organisations, computed by the service",
    },
    "network.SnapshotEntry": {
        "row": "one school's public facts and network measures, computed by the service",
        "ties": "its levels with other organisations: public records and suppressed aggregates",
    },
    "network.SnapshotJob": {"error": _CODE},
    "demo.DemoStep": {"name": _CODE, "detail": _CODE},
    "privacy.SubjectExport": {"scope": _CODE},
}

# Tables in the database that are not models, and what they hold.
OTHER_TABLES: dict[str, str] = {
    "django_migrations": "which schema changes have run: no personal data",
    "partnerlens_cache": (
        "the shared cache: counts of responses started from open links per client, keyed by "
        "a keyed hash of the network address, for the rate window (minutes); frameworks' "
        "structure; no address or name"
    ),
}
