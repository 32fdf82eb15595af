from django.apps import AppConfig


class EntitiesConfig(AppConfig):
    name = "jiandu.entities"
    label = "entities"
    verbose_name = "一人一档"

    def ready(self) -> None:
        from jiandu.entities.services import entity_links_to_duckdb
        from jiandu.registry.interface_tables import interface_table_register

        interface_table_register("entity_links", entity_links_to_duckdb)
