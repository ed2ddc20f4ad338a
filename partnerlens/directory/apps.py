from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "partnerlens.directory"
    verbose_name = "Directory"

    def ready(self):
        from partnerlens.directory import accounts  # noqa: F401 - starts the session clock at sign-in
