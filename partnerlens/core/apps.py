from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "partnerlens.core"
    verbose_name = "Core"
