from django.apps import AppConfig


class TriggersConfig(AppConfig):
    name = "partnerlens.triggers"
    verbose_name = "Triggers"
