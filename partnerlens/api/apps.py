from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "partnerlens.api"
    verbose_name = "API"

    def ready(self) -> None:
        from partnerlens.directory.sections import Section, register

        # The partnership page links here (directory must not import the apps above it).
        register(
            Section(
                order=60,
                label=_("API access"),
                description=_(
                    "Tokens that let another system read this partnership's directory, "
                    "cycles, results and matches."
                ),
                url_name="api:tokens",  # takes the partnership's pk only
            )
        )
