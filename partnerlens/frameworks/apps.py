from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "partnerlens.frameworks"
    verbose_name = "Frameworks"
