from django.contrib import admin

from partnerlens.insights.models import QuestionStat, ThemeRollup

# Read-only views of the group aggregates for support staff. ResponseThemeScore is left out
# on purpose: like responses, per-respondent rows get no staff screen.


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuestionStat)
class QuestionStatAdmin(ReadOnly):
    list_display = ["cycle", "question", "role", "organisation_id", "about_organisation_id", "n"]
    list_filter = ["role"]
    list_select_related = ["cycle", "question"]


@admin.register(ThemeRollup)
class ThemeRollupAdmin(ReadOnly):
    list_display = ["cycle", "theme", "role", "n", "n_answers"]
    list_filter = ["role"]
    list_select_related = ["cycle", "theme"]
