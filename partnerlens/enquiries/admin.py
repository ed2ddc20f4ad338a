"""Staff screens for enquiries, kept to what support needs.

No screen shows answers, responses, free text, reflections, receipts or who completed a
cycle: responses, answers, reflections and receipts have no admin at all, and the invitee
screen leaves out the completion flag and the link hashes. A cycle's anonymity mode,
partnership and framework version become read-only once it has responses (the model and a
database trigger refuse the change too).
"""

from django.contrib import admin

from partnerlens.enquiries.models import FROZEN_CYCLE_FIELDS, Cycle, Invitee, Response


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "state", "anonymity_mode", "opens_on", "closes_on"]
    list_filter = ["state", "anonymity_mode"]
    search_fields = ["title", "partnership__name"]
    readonly_fields = ["state", "open_link_hash"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and Response.objects.filter(cycle_id=obj.pk).exists():
            fields += [f.removesuffix("_id") for f in FROZEN_CYCLE_FIELDS]
        return fields


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    # Who was asked and whether the email went, never whether they answered: in anonymous
    # cycles that is known to nobody, and no screen should suggest otherwise.
    list_display = ["email", "cycle", "role", "sent_at", "reminder_count"]
    search_fields = ["email"]
    exclude = ["token_hash", "earlier_token_hashes", "completed"]
    readonly_fields = ["sent_at", "reminder_count", "last_reminded_at", "expires_at"]

    def lookup_allowed(self, lookup, value, request=None):
        # Filtering by a hand-written address (?completed__exact=1) would list responders.
        if lookup.split("__")[0] in {
            "completed",
            "responses",
            "token_hash",
            "earlier_token_hashes",
        }:
            return False
        return super().lookup_allowed(lookup, value, request)
