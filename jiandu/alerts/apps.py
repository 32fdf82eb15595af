from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "jiandu.alerts"
    label = "alerts"
    verbose_name = "预警"
