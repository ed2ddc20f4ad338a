from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "partnerlens.insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from partnerlens.directory.sections import Section, register
        from partnerlens.enquiries.signals import response_submitted
        from partnerlens.insights.receivers import count_submitted_response

        response_submitted.connect(
            count_submitted_response, dispatch_uid="insights.count_submitted_response"
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
