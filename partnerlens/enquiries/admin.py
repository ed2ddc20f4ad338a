from django.contrib import admin

from partnerlens.enquiries.models import Cycle, Invitee


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "state", "anonymity_mode", "opens_on", "closes_on"]
    list_filter = ["state", "anonymity_mode"]
    search_fields = ["title", "partnership__name"]
    readonly_fields = ["state", "public_link_hash"]


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    # Hashes and completion only; responses and reflections are deliberately not in admin,
    # so no staff screen can set a person next to their answers.
    list_display = ["email", "cycle", "role", "sent_at", "reminder_count", "completed"]
    list_filter = ["completed"]
    search_fields = ["email"]
    readonly_fields = ["token_hash", "earlier_token_hashes", "completed"]
