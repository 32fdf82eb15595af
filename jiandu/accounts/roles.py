"""Roles and what each may do.

Capabilities are checked by name in the access module; a role grants a fixed set of them. Keeping the
matrix in one table lets docs/security.md and the tests be generated from the same source.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    LEADER = "leader", _("委领导")
    SUPERVISOR = "supervisor", _("监督检查室")
    CLERK = "clerk", _("数据管理员")
    AUDITOR = "auditor", _("审计查阅")


class Capability(models.TextChoices):
    VIEW_REGISTRY = "view_registry", _("查阅登记数据")
    DELIVER_DATA = "deliver_data", _("报送与导入数据")
    VIEW_DELIVERIES = "view_deliveries", _("查看报送记录")
    HANDLE_ALERTS = "handle_alerts", _("处置预警")
    VIEW_ALERTS = "view_alerts", _("查阅预警")
    MANAGE_USERS = "manage_users", _("管理用户")
    VIEW_ACCESS_LOG = "view_access_log", _("查询访问日志")
    VIEW_LEADS = "view_leads", _("查阅问题线索")
    HANDLE_LEADS = "handle_leads", _("处置问题线索")
    HANDLE_RECUSALS = "handle_recusals", _("处理回避报告")
    VIEW_FULL_ID = "view_full_id", _("查看完整身份证号")


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset({Capability.MANAGE_USERS, Capability.VIEW_DELIVERIES, Capability.VIEW_ACCESS_LOG}),
    Role.LEADER: frozenset(
        {
            Capability.VIEW_REGISTRY,
            Capability.VIEW_ALERTS,
            Capability.HANDLE_ALERTS,
            Capability.VIEW_DELIVERIES,
            Capability.VIEW_ACCESS_LOG,
            Capability.VIEW_LEADS,
            Capability.HANDLE_LEADS,
            # Leaders are the superiors recusal reports go to (registry/recusal.py).
            Capability.HANDLE_RECUSALS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Capability.VIEW_REGISTRY,
            Capability.VIEW_ALERTS,
            Capability.HANDLE_ALERTS,
            Capability.VIEW_DELIVERIES,
            Capability.VIEW_LEADS,
            Capability.HANDLE_LEADS,
            # The staff who verify a case, talk to the person and fill transfer documents need the whole
            # number; everyone else sees masked IDs. Each full display is logged (docs/security.md).
            Capability.VIEW_FULL_ID,
        }
    ),
    Role.CLERK: frozenset({Capability.DELIVER_DATA, Capability.VIEW_DELIVERIES}),
    Role.AUDITOR: frozenset(
        {Capability.VIEW_REGISTRY, Capability.VIEW_ALERTS, Capability.VIEW_ACCESS_LOG, Capability.VIEW_LEADS}
    ),
}


PARTNER_WITHHELD = frozenset(
    {Capability.VIEW_REGISTRY, Capability.VIEW_ALERTS, Capability.HANDLE_ALERTS, Capability.VIEW_ACCESS_LOG}
)


def role_allows(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
