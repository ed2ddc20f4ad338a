from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImpactConfig(AppConfig):
    name = "partnerlens.impact"
    verbose_name = "Impact"

    def ready(self):
        from partnerlens.directory.sections import Section, register
        from partnerlens.impact import estimate_codes  # noqa: F401  registers the codes' texts
        from partnerlens.impact.access import can_see

        register(
            Section(
                order=50,
                label=_("Impact on pupils"),
                description=_(
                    "Outcomes against similar schools, registered questions and estimates of "
                    "the partnership's effect."
                ),
                url_name="impact:home",
                allowed=can_see,
            )
        )
