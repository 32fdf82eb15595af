from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiandu.registry"
    label = "registry"
    verbose_name = "登记数据"
