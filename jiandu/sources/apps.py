from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "jiandu.sources"
    label = "sources"
    verbose_name = "数据汇聚"
