from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "partnerlens.insights"
    verbose_name = "Insights"
