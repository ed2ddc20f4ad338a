from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokerageConfig(AppConfig):
    name = "partnerlens.brokerage"
    verbose_name = "Brokerage"

    def ready(self):
        from partnerlens.directory.sections import Section, register

        register(
            Section(
                order=40,
                label=_("Brokering support"),
                description=_("Match schools that need support with schools that can give it."),
                url_name="brokerage:home",
            )
        )
