from django.contrib import admin

from partnerlens.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are made and revoked by the partnership's lead on its API page, so
    each is audited; the hash is not shown."""

    list_display = ("name", "partnership", "scope", "prefix", "created_at", "last_used_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "partnership__name")
    fields = (
        "partnership",
        "name",
        "scope",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
