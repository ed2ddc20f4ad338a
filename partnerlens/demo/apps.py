from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "partnerlens.demo"
    verbose_name = "Demo"
