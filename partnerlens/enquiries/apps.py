from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "partnerlens.enquiries"
    verbose_name = "Enquiry cycles"
