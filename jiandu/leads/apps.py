from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "jiandu.leads"
    label = "leads"
    verbose_name = _("问题线索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jiandu.alerts.workflow import lead_opener_register
        from jiandu.leads.bridge import leads_to_duckdb
        from jiandu.leads.services import lead_open_for_alert
        from jiandu.registry.interface_tables import interface_table_register

        interface_table_register("leads", leads_to_duckdb)
        lead_opener_register(lead_open_for_alert)
