"""Deploy checks Django's own `check --deploy` does not make: MFA, Argon2 first, the lockout backend, and
the identity links recusal needs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from jiandu.accounts.models import User
from jiandu.accounts.roles import Capability, Role, role_allows


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


# Roles whose users open portraits, leads or alerts — the objects the recusal check guards.
_READING = (Capability.VIEW_REGISTRY, Capability.VIEW_ALERTS, Capability.VIEW_LEADS)


@checks.register(checks.Tags.security, deploy=True)
def recusal_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Recusal needs each reader's identity link. The account count needs the database, so it is reported
    only by `jiandu check --deploy --database default`."""
    found: list[checks.CheckMessage] = []
    if not settings.JIANDU_RECUSAL_REQUIRE_LINK:
        found.append(
            checks.Warning(
                "JIANDU_RECUSAL_REQUIRE_LINK 已关闭：未关联本人身份的用户查阅画像、线索、预警时不做回避核查。",
                hint="生产环境保持 JIANDU_RECUSAL_REQUIRE_LINK=true，并用 jiandu users set-id 为查阅人员关联身份。",
                id="jiandu.W004",
            )
        )
    if databases and "default" in databases:
        roles = [role for role in Role.values if any(role_allows(role, cap) for cap in _READING)]
        unlinked = User.objects.filter(is_active=True, role__in=roles, id_number_hash="").count()
        if unlinked:
            found.append(
                checks.Warning(
                    f"{unlinked} 个可查阅画像、线索或预警的启用账户尚未关联本人身份，无法进行回避核查"
                    "（开启 JIANDU_RECUSAL_REQUIRE_LINK 时这些账户查阅将被拒绝）。",
                    hint="用 jiandu users set-id 用户名 逐个关联。",
                    id="jiandu.W005",
                )
            )
    return found
