from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "partnerlens.actions"
    verbose_name = "Actions"
