from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "partnerlens.directory"
    verbose_name = "Directory"
