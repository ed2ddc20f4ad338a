from __future__ import annotations

from django.contrib import admin

from partnerlens.brokerage.models import (
    AreaAssessment,
    BrokerageSettings,
    ProgressNote,
    ProposedMatch,
    Scenario,
    ScenarioRun,
    SupportOffer,
    SupportOfferArea,
    SupportRelationship,
)


@admin.register(BrokerageSettings)
class BrokerageSettingsAdmin(admin.ModelAdmin):
    list_display = ["partnership", "updated_at"]
    raw_id_fields = ["partnership", "updated_by"]


@admin.register(AreaAssessment)
class AreaAssessmentAdmin(admin.ModelAdmin):
    list_display = ["organisation", "area", "need_level", "expertise_level", "partnership"]
    list_filter = ["area", "need_level", "expertise_level"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["partnership", "organisation", "adjusted_by"]


class SupportOfferAreaInline(admin.TabularInline):
    model = SupportOfferArea
    extra = 0


@admin.register(SupportOffer)
class SupportOfferAdmin(admin.ModelAdmin):
    list_display = ["organisation", "partnership", "capacity_total", "max_km"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["partnership", "organisation", "declared_by"]
    inlines = [SupportOfferAreaInline]


class ScenarioRunInline(admin.TabularInline):
    model = ScenarioRun
    extra = 0
    fields = ["run_at", "run_by", "totals"]
    readonly_fields = fields


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "max_km", "created_at"]
    raw_id_fields = ["partnership", "created_by"]
    inlines = [ScenarioRunInline]


@admin.register(ProposedMatch)
class ProposedMatchAdmin(admin.ModelAdmin):
    list_display = ["need_school", "support_school", "area", "severity", "score", "decision"]
    list_filter = ["decision", "area"]
    raw_id_fields = ["run", "need_school", "support_school", "decided_by", "relationship"]


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    raw_id_fields = ["author"]


@admin.register(SupportRelationship)
class SupportRelationshipAdmin(admin.ModelAdmin):
    list_display = ["supporter", "supported", "area", "status", "started_on", "ended_on"]
    list_filter = ["status", "area"]
    search_fields = ["supporter__name", "supported__name"]
    raw_id_fields = ["partnership", "supporter", "supported", "created_by"]
    inlines = [ProgressNoteInline]
