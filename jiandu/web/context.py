"""Navigation shown in the page shell, filtered by what the signed-in user's role allows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiandu.accounts.roles import Capability

# (url name, label, capability or None for every signed-in user)
NAV_ITEMS: list[tuple[str, Any, str | None]] = [
    ("home", _("首页"), None),
    ("dashboard", _("驾驶舱"), Capability.VIEW_ALERTS),
    ("search", _("搜索"), Capability.VIEW_REGISTRY),
    ("alert_list", _("预警"), Capability.VIEW_ALERTS),
    ("rule_list", _("预警规则"), Capability.VIEW_ALERTS),
    ("review_queue", _("待确认关联"), Capability.HANDLE_ALERTS),
    ("lead_list", _("问题线索"), Capability.VIEW_LEADS),
    ("registry_index", _("登记数据"), Capability.VIEW_REGISTRY),
    ("delivery_list", _("数据报送"), Capability.VIEW_DELIVERIES),
    ("access_log", _("访问日志"), Capability.VIEW_ACCESS_LOG),
    ("recusal_list", _("回避报告"), Capability.HANDLE_RECUSALS),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(name, label) for name, label, cap in NAV_ITEMS if cap is None or user.can(cap)]
    return {"nav_items": items}
