from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "jiandu.entities"
    label = "entities"
    verbose_name = "一人一档"
