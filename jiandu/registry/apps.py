from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jiandu.registry"
    label = "registry"
    verbose_name = "登记数据"

    def ready(self) -> None:
        # Registers the start-up check that every interface table has a loader (jiandu.E010).
        from jiandu.accounts.access import recusal_guard_register
        from jiandu.registry import interface_tables  # noqa: F401
        from jiandu.registry.recusal_guard import GUARD

        # Recusal reads the registry, so its guard lives on this floor and registers with the access module.
        recusal_guard_register(GUARD)
