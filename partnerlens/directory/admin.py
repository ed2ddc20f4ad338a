from django.contrib import admin

from partnerlens.directory.models import (
    EstablishmentLink,
    Membership,
    Organisation,
    OutcomeMeasure,
    Partnership,
    PartnershipRole,
    RoleInvitation,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "urn", "welsh_school_code", "la_name", "phase", "status")
    list_filter = ("kind", "nation", "phase")
    search_fields = ("name", "urn", "welsh_school_code", "postcode")


class MembershipInline(admin.TabularInline):
    model = Membership
    autocomplete_fields = ("organisation",)
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "gias_group_id", "status")
    list_filter = ("kind",)
    search_fields = ("name", "gias_group_id", "gias_group_uid")
    inlines = [MembershipInline]


@admin.register(PartnershipRole)
class PartnershipRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "partnership", "role", "organisation", "started", "ended")
    list_filter = ("role",)
    autocomplete_fields = ("partnership", "organisation", "user")


@admin.register(RoleInvitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "partnership", "role", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)


@admin.register(OutcomeMeasure)
class OutcomeMeasureAdmin(admin.ModelAdmin):
    list_display = ("organisation", "measure", "period", "value", "value_text", "source")
    list_filter = ("measure", "period")
    raw_id_fields = ("organisation",)


@admin.register(EstablishmentLink)
class EstablishmentLinkAdmin(admin.ModelAdmin):
    list_display = ("urn", "link_type", "link_urn", "link_name", "link_date")
    search_fields = ("urn", "link_urn")
