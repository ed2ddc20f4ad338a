from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "partnerlens.privacy"
    verbose_name = "Privacy"
