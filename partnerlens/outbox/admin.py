from django.contrib import admin

from partnerlens.outbox.models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Read-only: what was sent to whom and how delivery went (never the message body)."""

    list_display = ("subject", "to", "reference", "status", "attempts", "created", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "reference", "subject")
    exclude = ("mime",)

    def get_queryset(self, request):
        # A reminder goes only to people who have not answered: listing it would tell staff
        # who has (docs/anonymity.md, "A staff admin"). Leads see their own on the cycle.
        return super().get_queryset(request).filter(confidential=False)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
