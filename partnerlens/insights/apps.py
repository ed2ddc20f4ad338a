from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "partnerlens.insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from partnerlens.directory.sections import Section, register
        from partnerlens.enquiries.signals import cycle_state_changed, response_submitted
        from partnerlens.insights.receivers import (
            count_submitted_response,
            release_on_state_change,
        )

        response_submitted.connect(
            count_submitted_response, dispatch_uid="insights.count_submitted_response"
        )
        cycle_state_changed.connect(
            release_on_state_change, dispatch_uid="insights.release_on_state_change"
        )
        from django.db.models.signals import post_delete

        from partnerlens.insights.models import PreparedDownload
        from partnerlens.insights.receivers import forget_prepared_file

        post_delete.connect(
            forget_prepared_file, sender=PreparedDownload, dispatch_uid="insights.forget_file"
        )
        # Enquiries' response-rate table uses the partnership's minimum group size.
        from partnerlens.enquiries.disclosure import register_minimum_provider
        from partnerlens.insights.models import InsightSettings

        register_minimum_provider(
            lambda cycle: InsightSettings.for_partnership(cycle.partnership).min_group_size
        )
        # A cycle's page links to its results for whoever may see them (closed: leads only).
        from partnerlens.enquiries.cycle_links import CycleLink
        from partnerlens.enquiries.cycle_links import register as register_cycle_link

        register_cycle_link(
            CycleLink(
                order=10,
                label=_("See the results"),
                url_name="insights:dashboard",
                shown=_results_shown,
                id="results-link",
                note=_release_status,
            )
        )
        # The partnership page links here (directory must not import the apps above it).
        register(
            Section(
                order=30,
                label=_("Results"),
                description=_(
                    "Scores, gaps between roles and schools, trends and reports for governors."
                ),
                url_name="insights:cycle_list",  # takes the partnership's pk only
            )
        )


def _results_shown(cycle, access) -> bool:
    from partnerlens.insights.data import result_cycle_states

    return cycle.state in result_cycle_states(access)


def _release_status(cycle, access, request) -> str:
    from partnerlens.insights.views import release_status_note

    return release_status_note(cycle, access, request)
