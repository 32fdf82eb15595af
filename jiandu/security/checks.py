"""Deploy checks Django's own `check --deploy` does not make: MFA, Argon2 first, the lockout backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def security_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if not settings.JIANDU_REQUIRE_TOTP:
        found.append(
            checks.Warning(
                "JIANDU_REQUIRE_TOTP 已关闭：密码以外没有第二因素（ASVS 6.3.3）。",
                hint="生产环境保持 JIANDU_REQUIRE_TOTP=true。",
                id="jiandu.W001",
            )
        )
    if not settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher"):
        found.append(checks.Warning("PASSWORD_HASHERS 的首选不是 Argon2（ASVS 11.4.2）。", id="jiandu.W002"))
    if "jiandu.security.backends.LockoutModelBackend" not in settings.AUTHENTICATION_BACKENDS:
        found.append(checks.Warning("未启用登录锁定认证后端。", id="jiandu.W003"))
    return found
