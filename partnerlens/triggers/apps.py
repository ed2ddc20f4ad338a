from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriggersConfig(AppConfig):
    name = "partnerlens.triggers"
    verbose_name = "Triggers"

    def ready(self):
        from partnerlens.directory.sections import Section, register
        from partnerlens.triggers import links, signals
        from partnerlens.triggers.access import can_see

        signals.connect()
        links.register_resolver()
        register(
            Section(
                order=56,
                label=_("Early warnings"),
                description=_(
                    "Agreed indicators that flag a school starting to slip, the support each "
                    "tier brings, and the register of concerns."
                ),
                url_name="triggers:register",
                allowed=can_see,
            )
        )
