from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnquiriesConfig(AppConfig):
    name = "partnerlens.enquiries"
    verbose_name = "Enquiry cycles"

    def ready(self):
        from partnerlens.directory.sections import Section, register

        register(
            Section(
                order=20,
                label=_("Enquiry cycles"),
                description=_(
                    "Ask people in each role about your collaboration, and follow who has answered."
                ),
                url_name="enquiries:cycle_list",
            )
        )
