from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "partnerlens.network"
    verbose_name = "Network"

    def ready(self):
        from partnerlens.directory.sections import Section, register
        from partnerlens.network import resurvey
        from partnerlens.network.access import can_see

        resurvey.register()  # re-surveys ask only about new or changed ties (enquiries' hook)

        register(
            Section(
                order=45,
                label=_("Who works with whom"),
                description=_(
                    "The partnership's network: how deeply its schools work together, the "
                    "schools working alone, and the ties the two sides see differently."
                ),
                url_name="network:home",
                allowed=can_see,
            )
        )
