from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "jiandu.leads"
    label = "leads"
    verbose_name = _("问题线索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiandu.leads.bridge import leads_to_duckdb
        from jiandu.registry.interface_tables import interface_table_register

        interface_table_register("leads", leads_to_duckdb)
