from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "jiandu.audit"
    label = "audit"
    verbose_name = "访问日志"

    def ready(self) -> None:
        # accounts (below audit) writes its changes to the log through this writer (jiandu/accounts/events.py).
        from jiandu.accounts.events import account_event_writer_register
        from jiandu.audit.services import access_event_record

        account_event_writer_register(access_event_record)
