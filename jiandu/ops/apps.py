from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "jiandu.ops"
    label = "ops"
    verbose_name = "运维"
