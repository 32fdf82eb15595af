from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "jiandu.leads"
    label = "leads"
    verbose_name = _("问题线索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The access layer's hooks, the DuckDB interface table, the alert → lead opener and who may read a
        # handed-over alert (inversion: the lower floors never import leads).
        from jiandu.accounts.access import active_matters_register
        from jiandu.accounts.grant_views import matter_kind_register
        from jiandu.alerts.selectors import leads_readable_register
        from jiandu.alerts.workflow import lead_opener_register
        from jiandu.leads.bridge import leads_to_duckdb
        from jiandu.leads.models import Lead
        from jiandu.leads.parties import MATTER_KIND, PARTY_RULE, lead_matters
        from jiandu.leads.selectors import leads_in_scope
        from jiandu.leads.services import lead_open_for_alert
        from jiandu.registry.interface_tables import interface_table_register
        from jiandu.registry.recusal import party_rule_register

        interface_table_register("leads", leads_to_duckdb)
        lead_opener_register(lead_open_for_alert)
        leads_readable_register(leads_in_scope)
        party_rule_register(Lead, PARTY_RULE)
        matter_kind_register(MATTER_KIND)
        active_matters_register(lead_matters)
