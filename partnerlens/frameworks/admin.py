"""Read-mostly admin: content is changed through the services (drafts, flex, upload),
so published versions stay frozen; the model guard refuses edits made here anyway."""

from django.contrib import admin

from partnerlens.frameworks.models import Framework, FrameworkVersion, Question, Theme


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ("number", "status", "published_at", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("name_en", "slug", "owner", "based_on", "created_at")
    list_filter = (("owner", admin.EmptyFieldListFilter),)
    search_fields = ("name_en", "name_cy", "slug")
    raw_id_fields = ("owner", "based_on")
    inlines = [VersionInline]


class ThemeInline(admin.TabularInline):
    model = Theme
    fields = ("order", "key", "dimension", "title_en", "title_cy", "weight", "target_level")
    extra = 0
    show_change_link = True


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ("framework", "number", "status", "published_at")
    list_filter = ("status",)
    readonly_fields = ("framework", "number", "status", "published_at")
    inlines = [ThemeInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "theme", "required", "evidence_required")
    list_filter = ("kind",)
    search_fields = ("key", "text_en", "text_cy")
    raw_id_fields = ("theme",)
