from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummaryConfig(AppConfig):
    name = "partnerlens.summary"
    verbose_name = "Summary"

    def ready(self):
        from partnerlens.directory.sections import Section, register
        from partnerlens.impact.access import can_see

        register(
            Section(
                order=58,
                label=_("Impact and value summary"),
                description=_(
                    "One page for the governing body: the time and money invested, outcomes "
                    "against similar schools, actions and early warnings, in HTML and PDF."
                ),
                url_name="summary:page",
                allowed=can_see,
            )
        )
