from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "jiandu.security"
    label = "security"
    verbose_name = "安全"

    def ready(self) -> None:
        # Registers the deploy checks, the sign-in bookkeeping and the sign-in events of the access log.
        from jiandu.security import checks, signals, signin_log  # noqa: F401
        from jiandu.security.commands import users_group_extend

        users_group_extend()  # `jiandu users totp-reset|totp-issue` (the group is accounts', below security)
