from django.apps import AppConfig


class HsdsConfig(AppConfig):
    name = "directory.hsds"
    label = "hsds"
    verbose_name = "Open data (HSDS)"
