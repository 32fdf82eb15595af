from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiandu.audit"
    label = "audit"
    verbose_name = "访问日志"

    def ready(self) -> None:
        from jiandu.audit import signals  # noqa: F401  (connects the authentication signal receivers)
