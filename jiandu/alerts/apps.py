from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "jiandu.alerts"
    label = "alerts"
    verbose_name = "预警"

    def ready(self) -> None:
        # Registers the start-up checks that the lead register filled its hooks (jiandu.E011, jiandu.E013).
        from jiandu.accounts.access import active_matters_register
        from jiandu.accounts.grant_views import matter_kind_register
        from jiandu.alerts import selectors, workflow  # noqa: F401
        from jiandu.alerts.models import Alert, Scan
        from jiandu.alerts.parties import MATTER_KIND, PARTY_RULE, alert_matters
        from jiandu.jobs.recovery import job_model_register
        from jiandu.registry.recusal import party_rule_register

        job_model_register(Scan, kind="扫描")
        # The access layer's hooks (inversion: accounts and security never import this app).
        party_rule_register(Alert, PARTY_RULE)
        matter_kind_register(MATTER_KIND)
        active_matters_register(alert_matters)
