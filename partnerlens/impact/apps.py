from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "partnerlens.impact"
    verbose_name = "Impact"
