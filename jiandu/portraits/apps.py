from django.apps import AppConfig


class PortraitsConfig(AppConfig):
    name = "jiandu.portraits"
    label = "portraits"
    verbose_name = "精准画像"
