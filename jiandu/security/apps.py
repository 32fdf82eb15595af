from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "jiandu.security"
    label = "security"
    verbose_name = "安全"

    def ready(self) -> None:
        from jiandu.security import checks, signals  # noqa: F401  (registers checks and receivers)
        from jiandu.security.commands import users_group_extend

        users_group_extend()  # `jiandu users totp-reset|totp-issue` (the group is accounts', below security)
