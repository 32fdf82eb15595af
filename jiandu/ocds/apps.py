from django.apps import AppConfig


class OcdsConfig(AppConfig):
    """Side tables of OCDS imports; the rest of jiandu.ocds is framework-free and needs no app."""

    name = "jiandu.ocds"
    label = "ocds"
    verbose_name = "开放合同数据（OCDS）"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiandu.ocds.bridge import process_currencies_to_duckdb
        from jiandu.registry.interface_tables import interface_table_register

        interface_table_register("process_currencies", process_currencies_to_duckdb)
