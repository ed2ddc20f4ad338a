from __future__ import annotations

from django.contrib import admin

from partnerlens.actions.models import Action, ActionUpdate, Activity, Benefit, EvidenceItem


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "status", "due_on"]
    list_filter = ["status", "source_kind"]
    search_fields = ["title"]
    raw_id_fields = ["partnership", "owner", "created_by", "schools"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "noted_on"]
    raw_id_fields = ["action", "author"]


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "kind", "added_at"]
    list_filter = ["kind"]
    raw_id_fields = ["partnership", "added_by", "actions", "activities"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "kind", "held_on", "hours", "cost"]
    raw_id_fields = ["partnership", "created_by", "schools"]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ["category", "state", "partnership"]
    raw_id_fields = ["partnership", "recorded_by", "evidence"]
