from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "partnerlens.actions"
    verbose_name = "Actions"

    def ready(self):
        from partnerlens.directory.sections import Section, register

        register(
            Section(
                order=55,
                label=_("Action plans"),
                description=_(
                    "Turn findings into actions, keep the evidence, and record the time, money "
                    "and benefits of working together."
                ),
                url_name="actions:plan",
            )
        )
