from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiandu.web"
    label = "web"
    verbose_name = "界面"
