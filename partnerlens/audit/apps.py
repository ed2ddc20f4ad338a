from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "partnerlens.audit"
    verbose_name = "Audit log"
