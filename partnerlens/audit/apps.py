from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "partnerlens.audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from partnerlens.audit import signals

        user_logged_in.connect(signals.signed_in, dispatch_uid="audit.signed_in")
        user_login_failed.connect(signals.sign_in_failed, dispatch_uid="audit.sign_in_failed")
        user_locked_out.connect(signals.locked_out, dispatch_uid="audit.locked_out")
