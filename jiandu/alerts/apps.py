from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "jiandu.alerts"
    label = "alerts"
    verbose_name = "预警"

    def ready(self) -> None:
        # Registers the start-up check that the lead register is there for 转为问题线索 (jiandu.E011).
        from jiandu.alerts import workflow  # noqa: F401
        from jiandu.alerts.models import Scan
        from jiandu.jobs.recovery import job_model_register

        job_model_register(Scan, kind="扫描")
