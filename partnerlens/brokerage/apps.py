from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "partnerlens.brokerage"
    verbose_name = "Brokerage"
