from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworksConfig(AppConfig):
    name = "partnerlens.frameworks"
    verbose_name = "Frameworks"

    def ready(self):
        from partnerlens.directory.sections import Section, register
        from partnerlens.frameworks import (
            codes,  # noqa: F401 (registers the problem texts)
            structure,  # noqa: F401 (drops cached snapshots)
        )

        register(
            Section(
                order=10,
                label=_("Frameworks"),
                description=_(
                    "The themes and questions you evaluate with: built-in ones and your own."
                ),
                url_name="frameworks:list",
            )
        )
